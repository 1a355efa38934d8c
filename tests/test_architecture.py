"""The layout's rules that imports can break: `agents/` runs without `app/` (the app uses the agents,
never the other way round), so an agent can be tested, benchmarked and shipped on its own."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every module `path` imports (absolute names; relative imports stay inside their package)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Call) and _dynamic_import(node):
            yield node.lineno, "<dynamic import>"


def _dynamic_import(call: ast.Call) -> bool:
    """`importlib.import_module(...)` or `__import__(...)`, unless it names a module of `agents/` itself."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name not in {"import_module", "__import__"}:
        return False
    first = call.args[0] if call.args else None
    return not (isinstance(first, ast.JoinedStr | ast.Constant) and _own_package(first))


def _own_package(node: ast.JoinedStr | ast.Constant) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value.startswith("agents.")
    return any(
        isinstance(part, ast.FormattedValue) and ast.unparse(part.value) == "__name__"
        for part in node.values[:1]
    )


def _forbidden(module: str) -> bool:
    return module == "app" or module.startswith("app.") or module == "<dynamic import>"


def test_agents_import_nothing_from_the_app() -> None:
    modules = sorted((ROOT / "agents").rglob("*.py"))
    assert len(modules) > 50  # the walk found the agents
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in modules
        for line, module in _imports(path)
        if _forbidden(module)
    ]
    assert offenders == []


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from app.errors import KontorError\n", encoding="utf-8")
    assert [m for _, m in _imports(module) if _forbidden(m)] == ["app.errors"]
