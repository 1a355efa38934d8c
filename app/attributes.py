"""Values built from the same-named attributes of another object: a settings group, an ORM row."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


def from_attributes(cls: type[T], source: object, **given: Any) -> T:
    """A `cls` (dataclass or pydantic model) whose fields are `source`'s attributes, but for `given`.

    Every field not given must be an attribute of `source`: a renamed one fails loudly, never
    falls back to the field's default.
    """
    names = field_names(cls)
    values = {name: getattr(source, name) for name in names if name not in given}
    return cls(**values, **given)


def field_names(cls: type[Any]) -> list[str]:
    if issubclass(cls, BaseModel):
        return list(cls.model_fields)
    return [f.name for f in dataclasses.fields(cls)]
