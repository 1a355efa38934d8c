"""A real server and a real browser for the review pages' end-to-end tests (`browser` is in conftest)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from huey import MemoryHuey
from playwright.sync_api import Browser, Page, expect

from app.main import create_app
from app.worker import create_queue
from tests.app.review.factories import PASSWORD
from tests.conftest import make_settings

#: Flags for Chromium in a container: no sandbox (no user namespaces), no GPU, nothing fetched from outside.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    """Debian's Chromium (`scripts/test-services.sh` installs it); Playwright downloads no browser here."""
    path = os.environ.get("KONTOR_TEST_CHROMIUM") or shutil.which("chromium")
    if not path:
        raise RuntimeError("Chromium is missing: run scripts/test-services.sh (or set KONTOR_TEST_CHROMIUM)")
    return path


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port in a thread; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="none", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@contextmanager
def review_site(tmp_path: Path, database_url: str, **overrides: Any) -> Iterator[str]:
    """The whole app on `database_url`, served on a free port (its queue in memory, never consumed)."""
    settings = make_settings(tmp_path, database_url, **overrides)
    app = create_app(settings, queue=create_queue(settings, MemoryHuey("kontor-e2e", immediate=False)))
    with live_server(app) as url:
        yield url


@contextmanager
def browsing(browser: Browser, url: str, *, width: int = 1280, timeout_ms: int = 20_000) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies) on the site at `url`."""
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=url)
    context.set_default_timeout(timeout_ms)
    try:
        yield context.new_page()
    finally:
        context.close()


def log_in(page: Page, username: str = "rita") -> None:
    """Open the queue, get sent to the login form, and log in there as `username`."""
    page.goto("/review")
    expect(page).to_have_url(re.compile(r"/review/login\?next="))
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.locator(".who")).to_contain_text(username)
