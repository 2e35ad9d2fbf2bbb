"""Every template stays ready for a strict Content-Security-Policy and an intranet without internet.

No inline scripts, no style attributes, no on…= handlers, no CDN; `{% extends %}` first;
vendored front-end packages keep their licences.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.template.loader import get_template

BASE_DIR = Path(settings.BASE_DIR)
VENDOR_DIR = BASE_DIR / "static" / "vendor"


def template_dirs() -> list[Path]:
    dirs = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    for config in apps.get_app_configs():
        app_dir = Path(config.path)
        if app_dir.is_relative_to(BASE_DIR) and ".venv" not in app_dir.parts:
            dirs.append(app_dir / "templates")
    return [d for d in dirs if d.is_dir()]


def all_templates() -> list[tuple[str, Path]]:
    found = []
    for directory in template_dirs():
        for path in sorted(directory.rglob("*.html")):
            found.append((path.relative_to(directory).as_posix(), path))
    return found


TEMPLATES = all_templates()
IDS = [name for name, _ in TEMPLATES]

SCRIPT_ELEMENT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.DOTALL)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.DOTALL)
REMOTE_ASSET = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*\b(?:src|href|data)\s*=\s*[\"']?(?:https?:)?//",
    re.IGNORECASE | re.DOTALL,
)
CSS_REMOTE = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"']?)(?:https?:)?//", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"\b(?:href|src|action)\s*=\s*[\"']\s*javascript:", re.IGNORECASE)
LEADING_NOISE = re.compile(r"\A(?:\s|\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\})*", re.DOTALL)


def source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_there_are_templates_to_check():
    names = set(IDS)
    assert {"base.html", "core/form.html", "registration/login.html"} <= names


@pytest.mark.parametrize(("name", "path"), TEMPLATES, ids=IDS)
def test_no_inline_script(name, path):
    inline = [attrs for attrs, body in SCRIPT_ELEMENT.findall(source(path)) if body.strip()]

    assert inline == [], f"{name}: move the script to static/js and pass data with json_script"


@pytest.mark.parametrize(("name", "path"), TEMPLATES, ids=IDS)
def test_scripts_load_from_static_files(name, path):
    for attrs, _body in SCRIPT_ELEMENT.findall(source(path)):
        assert "src=" in attrs, f"{name}: an empty <script> without src"


@pytest.mark.parametrize(("name", "path"), TEMPLATES, ids=IDS)
def test_no_style_attribute_or_element(name, path):
    text = source(path)

    assert STYLE_ATTRIBUTE.search(text) is None, f"{name}: use a class from static/css/yinling.css"
    assert STYLE_ELEMENT.search(text) is None, f"{name}: styles belong in static/css"


@pytest.mark.parametrize(("name", "path"), TEMPLATES, ids=IDS)
def test_no_event_handler_attributes(name, path):
    match = HANDLER_ATTRIBUTE.search(source(path))

    assert match is None, f"{name}: {match and match.group(0)[-40:]!r}: bind events in static/js"


@pytest.mark.parametrize(("name", "path"), TEMPLATES, ids=IDS)
def test_no_javascript_urls(name, path):
    assert JAVASCRIPT_URL.search(source(path)) is None


@pytest.mark.parametrize(("name", "path"), TEMPLATES, ids=IDS)
def test_no_asset_from_another_site(name, path):
    text = source(path)

    assert REMOTE_ASSET.search(text) is None, f"{name}: vendor the file under static/vendor (no CDN)"
    assert CSS_REMOTE.search(text) is None, f"{name}: vendor the file under static/vendor (no CDN)"


CHILD_TEMPLATES = [(name, path) for name, path in TEMPLATES if "{% extends" in source(path)]


@pytest.mark.parametrize(("name", "path"), CHILD_TEMPLATES, ids=[name for name, _ in CHILD_TEMPLATES])
def test_extends_is_the_first_tag(name, path):
    text = source(path)

    assert LEADING_NOISE.sub("", text).startswith("{% extends"), f"{name}: put {{% extends %}} first"


@pytest.mark.parametrize(("name", "path"), TEMPLATES, ids=IDS)
def test_the_template_compiles(name, path):
    assert get_template(name) is not None


@pytest.mark.parametrize(
    "path",
    sorted((BASE_DIR / "static").glob("css/**/*.css")) + sorted((BASE_DIR / "static").glob("js/**/*.js")),
    ids=lambda p: p.relative_to(BASE_DIR).as_posix(),
)
def test_our_own_static_files_load_nothing_from_another_site(path):
    text = path.read_text(encoding="utf-8")

    assert CSS_REMOTE.search(text) is None
    assert re.search(r"""(?:import|fetch|src\s*=)\s*\(?\s*["'](?:https?:)?//""", text) is None


def vendor_packages() -> list[Path]:
    return sorted(p for p in VENDOR_DIR.iterdir() if p.is_dir())


def test_bootstrap_htmx_echarts_and_tom_select_are_vendored():
    assert {p.name for p in vendor_packages()} >= {"bootstrap", "htmx", "echarts", "tom-select"}


@pytest.mark.parametrize("package", vendor_packages(), ids=lambda p: p.name)
def test_every_vendored_package_has_its_licence(package):
    licences = [p for p in package.iterdir() if p.is_file() and p.name.upper().startswith(("LICENSE", "LICENCE"))]

    assert licences, f"static/vendor/{package.name} has no LICENSE file"
    assert licences[0].stat().st_size > 100


# --- Access decisions belong to core.access ----------------------------------------------------

# A template asks `{% can "change" object as may_change %}` (core.access), never the role table
# (`perms.*`) or the role itself: those answer "may this role", not "may this user, this row".
ROLE_TEST = re.compile(r"\bperms\b|\buser\.role\b|\.has_perm\b")
# The link to Django's admin site: the admin decides who gets in (`is_staff`), not a role.
ADMIN_LINK = re.compile(r"\buser\.is_(?:staff|superuser)\b")
ADMIN_LINK_TEMPLATES = {"base.html", "core/home.html"}
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)


def access_decisions(text: str) -> list[str]:
    """The template code (tags and variables, not prose or comments) that asks the role instead of core.access."""
    return [code for code in TEMPLATE_CODE.findall(text) if ROLE_TEST.search(code)]


def admin_links(text: str) -> list[str]:
    return [code for code in TEMPLATE_CODE.findall(text) if ADMIN_LINK.search(code)]


@pytest.mark.parametrize(("name", "path"), TEMPLATES, ids=IDS)
def test_access_decisions_go_through_core_access(name, path):
    found = access_decisions(source(path))

    assert found == [], f"{name}: {found[:3]}: ask {{% can %}} (core.access), not perms or user.role"


@pytest.mark.parametrize(("name", "path"), TEMPLATES, ids=IDS)
def test_only_the_admin_link_looks_at_is_staff(name, path):
    if name in ADMIN_LINK_TEMPLATES:
        return
    found = admin_links(source(path))

    assert found == [], f"{name}: {found[:3]}: ask {{% can %}} (core.access)"


# --- The guard itself: these snippets must be caught -------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "snippet"),
    [
        (SCRIPT_ELEMENT, '<script>alert("x")</script>'),
        (STYLE_ATTRIBUTE, '<div class="a" style="color:red">'),
        (STYLE_ATTRIBUTE, '<div\n  style="color:red">'),
        (HANDLER_ATTRIBUTE, '<button type="submit" onclick="go()">'),
        (HANDLER_ATTRIBUTE, "<body onload='x()'>"),
        (REMOTE_ASSET, '<script src="https://cdn.jsdelivr.net/npm/bootstrap.js"></script>'),
        (REMOTE_ASSET, '<link rel="stylesheet" href="//cdn.example.com/a.css">'),
        (CSS_REMOTE, "background: url('https://cdn.example.com/a.png')"),
    ],
)
def test_the_patterns_catch_what_they_are_meant_to(pattern, snippet):
    assert pattern.search(snippet) is not None


@pytest.mark.parametrize(
    "snippet",
    [
        "{% if perms.branches.change_venue %}",
        '{% include "x.html" with may_edit=perms.branches.change_post %}',
        "{% if user.role == 'leader' %}",
        "{% if request.user.role in roles %}",
        "{{ user.has_perm }}",
    ],
)
def test_the_access_guard_catches_role_tests(snippet):
    assert access_decisions(snippet) != []


@pytest.mark.parametrize(
    "snippet",
    [
        '{% can "change" object as may_change %}',
        "{{ user.role_label }}",
        "{# no perms.branches.change_venue here: ask can #}",
        "<p>permissions and perms. in prose</p>",
    ],
)
def test_the_access_guard_leaves_other_code_alone(snippet):
    assert access_decisions(snippet) == []


@pytest.mark.parametrize(
    ("pattern", "snippet"),
    [
        (STYLE_ATTRIBUTE, '<div class="yl-style">'),
        (HANDLER_ATTRIBUTE, '<div data-confirm="确定吗？" class="only">'),
        (HANDLER_ATTRIBUTE, '<input name="phone" aria-label="online">'),
        (REMOTE_ASSET, '<a href="https://www.gov.cn/">中国政府网</a>'),
    ],
)
def test_the_patterns_leave_harmless_markup_alone(pattern, snippet):
    assert pattern.search(snippet) is None


def test_inline_script_check_ignores_script_elements_with_a_source():
    bodies = [body for _attrs, body in SCRIPT_ELEMENT.findall('<script src="/static/js/yinling.js"></script>')]

    assert [b for b in bodies if b.strip()] == []


# A date typed into a template misses the one date widget (its hint, the Chinese formats, ISO value).
# The home-study page's per-row form keeps its own: each row's earliest date is that row's last meeting.
HAND_WRITTEN_DATE = re.compile(r"<input\b[^>]*\btype=[\"'](?:date|month)[\"']", re.IGNORECASE)
OWN_DATE_INPUT = {"branches/home_study_todo.html"}


@pytest.mark.parametrize(("name", "path"), TEMPLATES, ids=IDS)
def test_date_and_month_inputs_come_from_the_form_widget(name, path):
    if name not in OWN_DATE_INPUT:
        assert not HAND_WRITTEN_DATE.search(source(path)), f"{name}: render the form's DateInput / MonthInput"
