"""Rules of the layout (ARCHITECTURE.md) that a test can hold: who may import whom."""

import ast
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = ("branches", "volunteers", "aid_cases", "reports")


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


def test_no_module_imports_itself_in_a_circle():
    """Module-level imports only: an import inside a function is how a circle would be hidden."""
    modules = project_modules()
    edges = {
        name: (imported_modules(path, top_level_only=True) & modules.keys()) - {name} for name, path in modules.items()
    }
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


def test_no_function_imports_its_own_app_to_break_a_circle():
    """Except `AppConfig.ready()`, which is where Django wants an app's registrations imported."""
    lazy = set()
    for name, path in project_modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))
        for function in (f for f in functions if f.name != "ready"):
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == name.split(".")[0]:
                    lazy.add(f"{name}: {node.module}")
    assert lazy == set()
