"""The English catalogue: every Chinese UI string has a translation, and pages render in English.

A developer who adds `_("…")` or `{% translate "…" %}` gets a failing test that names the
new strings: run `make messages`-style extraction (see the first test) and translate them in
locale/en/LC_MESSAGES/django.po.
"""

import ast
import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import trans_real

BASE_DIR = Path(__file__).resolve().parents[2]
LOCALE = BASE_DIR / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# What makemessages reads; everything else (virtualenv, database, vendored JS, caches) stays behind.
NOT_COPIED = {".venv", ".data", ".git", "locale", "media", "staticfiles", "artifacts", "node_modules"}
NOT_COPIED_NAMES = shutil.ignore_patterns("__pycache__", ".*_cache", ".hypothesis", "*.pyc", "*.mo")

INSTALL_GETTEXT = "GNU gettext is not installed: install it (apt-get install gettext, brew install gettext)"


def require_gettext(*programs: str) -> None:
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        pytest.fail(f"{INSTALL_GETTEXT}; missing {', '.join(missing)}", pytrace=False)


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file as {"flags": set, "msgid": str, "msgstr": str, "msgstr[0]": str, ...}."""
    entries, entry, key = [], None, None
    for line in [*text.splitlines(), ""]:
        if not line.strip() or (line.startswith("#") and entry and key):
            if entry and key:
                entries.append(entry)
            entry, key = None, None
            if not line.strip():
                continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return [e for e in entries if e.get("msgid")]  # the header has an empty msgid


def untranslated(entries: list[dict]) -> list[str]:
    bad = []
    for e in entries:
        strings = [v for k, v in e.items() if k.startswith("msgstr")]
        if "fuzzy" in e["flags"] or not strings or not all(strings):
            bad.append(e["msgid"])
    return bad


def copy_sources(target: Path) -> None:
    def ignore(directory, names):
        ignored = set(NOT_COPIED_NAMES(directory, names))
        if Path(directory).resolve() == BASE_DIR:
            ignored |= NOT_COPIED & set(names)
        if Path(directory).resolve() == BASE_DIR / "static":
            ignored.add("vendor")
        return ignored

    shutil.copytree(BASE_DIR, target, ignore=ignore, symlinks=True)


def test_the_english_catalogue_translates_every_string(tmp_path):
    """Extract the strings of the current sources into a copy of the catalogue; none may be left untranslated.

    makemessages writes into the `locale/` of the directory it runs in, whatever LOCALE_PATHS says,
    so it runs in a copy of the sources (without locale/) with LOCALE_DIR pointing at a copy of the
    catalogue: the real locale/ is never touched.
    """
    require_gettext("xgettext", "msguniq", "msgmerge")
    shutil.copytree(LOCALE, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    project = tmp_path / "project"
    copy_sources(project)
    env = {
        **os.environ,
        "DEBUG": "1",
        "LOCALE_DIR": str(tmp_path / "locale"),
        # makemessages needs no database, but settings want a URL (the copy has no .data/).
        "DATABASE_URL": "postgres://unused@127.0.0.1:1/unused",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--ignore=.venv",
            "--ignore=static/vendor",
            "--ignore=artifacts",
            "--no-obsolete",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (project / "locale").exists(), "makemessages wrote into the project copy, not LOCALE_DIR"

    entries = parse_po((tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 500, "makemessages found too few strings: is the project copy complete?"
    missing = untranslated(entries)
    listed = "\n".join(f"  {msgid!r}" for msgid in missing[:20])
    assert not missing, (
        f"{len(missing)} UI string(s) have no English translation (or are marked fuzzy):\n{listed}\n"
        "Run: DEBUG=1 .venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=static/vendor "
        "--ignore=artifacts --no-obsolete, translate them in locale/en/LC_MESSAGES/django.po, then "
        "compilemessages."
    )


def test_msgfmt_accepts_the_catalogue():
    require_gettext("msgfmt")
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check-format", "--check-header", "-o", os.devnull, str(PO)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_parser_sees_untranslated_fuzzy_and_plural_entries():
    entries = parse_po(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\nmsgid "保存"\nmsgstr "Save"\n\n'
        '#: a.py:2\nmsgid ""\n"很长的"\n"句子"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "%(n)s人"\nmsgstr "%(n)s people"\n'
        '#: a.py:3\nmsgid "%(n)s个"\nmsgid_plural "%(n)s个"\nmsgstr[0] "%(n)s item"\nmsgstr[1] ""\n'
    )
    assert [e["msgid"] for e in entries] == ["保存", "很长的句子", "%(n)s人", "%(n)s个"]
    assert untranslated(entries) == ["很长的句子", "%(n)s人", "%(n)s个"]


@pytest.fixture(scope="session")
def english_mo():
    """The compiled catalogue (git-ignored; `make` builds it): compiled here when missing or stale."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        require_gettext("msgfmt")
        with contextlib.chdir(BASE_DIR):
            call_command(
                "compilemessages", locale=["en"], ignore_patterns=[".venv", "static", "artifacts"], verbosity=0
            )
        # Catalogues loaded before the .mo existed are cached per process.
        trans_real._translations = {}
        trans_real._default = None
    assert MO.exists()
    return MO


@pytest.mark.django_db
@pytest.mark.usefixtures("english_mo")
@pytest.mark.parametrize(
    ("url_name", "english", "chinese"),
    [
        ("core:home", ["Log out", "What I can do", "Party branch"], ["退出", "我能做的事"]),
        (
            "branches:branch_list",
            ["Log out", "Branch name", "New Party branch"],
            ["退出", "新建党支部", "支部名称</th>"],
        ),
    ],
)
def test_pages_render_in_english(client, world, url_name, english, chinese):
    client.force_login(world.users["county_staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    for label in english:
        assert label in html
    for label in chinese:
        assert label not in html


def test_translation_functions_keep_names_that_makemessages_reads():
    """xgettext finds `_`, `gettext`, `gettext_lazy` … by name: `gettext as _t` hid 28 messages from the catalogue."""
    known = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
    renamed = []
    for path in BASE_DIR.rglob("*.py"):
        if set(path.relative_to(BASE_DIR).parts) & NOT_COPIED:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                renamed += [
                    f"{path.relative_to(BASE_DIR)}: {alias.name} as {alias.asname}"
                    for alias in node.names
                    if alias.asname and alias.asname not in known
                ]
    assert renamed == []
