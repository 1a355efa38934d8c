"""Builds the heavy, per-process objects (pipeline, model backend) from the settings."""

from __future__ import annotations

from app.config import Settings
from app.db import get_sessionmaker
from app.pipeline.orchestrator import Pipeline
from app.pipeline.steps import ReadStep, Step


def build_steps(settings: Settings) -> list[Step]:
    return [ReadStep()]


def build_pipeline(settings: Settings) -> Pipeline:
    return Pipeline(get_sessionmaker(settings.resolved_database_url), build_steps(settings))
