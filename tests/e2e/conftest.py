"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here; it starts /usr/bin/chromium
(`make test` installs Debian's chromium and fonts-noto-cjk when missing).
Screenshots of what each test checked land in artifacts/screenshots/.
"""

import copy
import os
import shutil
from pathlib import Path

import pytest

from tests.world import PASSWORD

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by the tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 375, "height": 812}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (as root it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def e2e_world(shared_database, transactional_db):
    """The committed world of every test, for a browser test (its live server needs committed rows).

    pytest-django empties the database after each browser test; the next one
    finds it restored first."""
    if shared_database.is_emptied():
        shared_database.restore()
    return copy.deepcopy(shared_database.world)


@pytest.fixture(scope="package", autouse=True)
def _database_restored_after_browser_tests(shared_database, django_db_blocker):
    """The tests that run after the browser tests find the database as every test does."""
    yield
    with django_db_blocker.unblock():
        if shared_database.is_emptied():
            shared_database.restore()


@pytest.fixture
def login(page, live_server):
    def _login(username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return _login


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _shot(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
