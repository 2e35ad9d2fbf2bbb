"""Rules of the layout (ARCHITECTURE.md) that a test can hold: who may import whom."""

import ast
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = ("branches", "volunteers", "aid_cases", "funds", "reports")


def imported_modules(path: Path, *, top_level_only: bool = False) -> set[str]:
    """The modules a file imports (`from a.b import c` gives `a.b` and `a.b.c`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in tree.body if top_level_only else ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in ("config", "core", *APPS):
        for path in (BASE_DIR / package).rglob("*.py"):
            if "migrations" not in path.parts:
                parts = path.relative_to(BASE_DIR).with_suffix("").parts
                modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def test_core_imports_no_app():
    offending = {
        f"{path.relative_to(BASE_DIR)}: {module}"
        for path in (BASE_DIR / "core").rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in APPS
    }
    assert offending == set()


def test_loading_the_apps_imports_no_view_module():
    """Menus, home panels and benchmark pages are registered from modules without views."""
    code = (
        "import sys, django; django.setup(); "
        f"print(' '.join(m for m in sorted(sys.modules) if m.split('.')[0] in {('core', *APPS)!r} and 'views' in m))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "YINLING_TESTING": "1"}
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == []


def _module_graph(modules: dict[str, Path], *, top_level_only: bool) -> dict[str, set[str]]:
    return {
        name: (imported_modules(path, top_level_only=top_level_only) & modules.keys()) - {name}
        for name, path in modules.items()
    }


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in edges[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def test_no_module_imports_itself_in_a_circle():
    modules = project_modules()
    edges = _module_graph(modules, top_level_only=True)
    circles, done = [], set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            circles.append(" → ".join([*path[path.index(name) :], name]))
            return
        if name in done:
            return
        for target in sorted(edges[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(modules):
        visit(name, [])
    assert circles == []


def test_no_import_inside_a_function_hides_a_circle():
    """An import in a function body is fine for load order, not to close a circle of imports."""
    modules = project_modules()
    top_level = _module_graph(modules, top_level_only=True)
    every = _module_graph(modules, top_level_only=False)
    hidden = {
        f"{name} → {target}"
        for name in modules
        for target in every[name] - top_level[name]
        if name in _reachable(top_level, target)
    }
    assert hidden == set()
