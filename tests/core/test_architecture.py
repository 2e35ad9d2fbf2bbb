"""Rules of the layout (ARCHITECTURE.md) that a test can hold: who may import whom."""

import ast
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = ("branches", "volunteers", "aid_cases", "reports")


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
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
