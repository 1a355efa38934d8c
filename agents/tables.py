"""Tables kept as data: TOML files beside the code that reads them, checked by pydantic.

Word lists (a language's labels, a language's class words) and XML paths are data, not code: adding a
language is adding one file, and a file that does not fit its model fails the import instead of a
later lookup.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)


def read_table(package: str, name: str) -> dict[str, Any]:
    """The TOML file `name` in `package`'s folder."""
    return tomllib.loads(resources.files(package).joinpath(name).read_text(encoding="utf-8"))


def load_tables(package: str, model: type[Model]) -> tuple[Model, ...]:
    """Every `*.toml` file in `package`'s folder, in file-name order, as a `model`."""
    names = sorted(entry.name for entry in resources.files(package).iterdir() if entry.name.endswith(".toml"))
    return tuple(model.model_validate(read_table(package, name)) for name in names)
