"""`manage.py backup` then `manage.py restore` into a fresh database: every table has the same
rows (count and checksum) and every uploaded file the same bytes.

The fresh database is made on the test server next to the test database and dropped after.
"""

import hashlib
import json
import tarfile
from urllib.parse import quote

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from tests.core.test_settings import production_env, run

pytestmark = pytest.mark.django_db


def _connect(name: str):
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=name, user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"] or None, port=db["PORT"] or None
    )


def _fingerprint(name: str) -> dict[str, tuple[int, str]]:
    """Rows and an md5 of the sorted rows of every table."""
    with _connect(name) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608 (catalogue names)
            )
            result[table] = cursor.fetchone()
    return result


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restore"[:63]
    admin = _connect(connection.settings_dict["NAME"])
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(world, tmp_path, settings, fresh_database):
    media = tmp_path / "media"
    (media / "photos").mkdir(parents=True)
    (media / "photos" / "a.jpg").write_bytes(b"\xff\xd8 photo bytes")
    settings.MEDIA_ROOT = media
    call_command("backup", output=str(tmp_path / "out"), stdout=open(tmp_path / "log", "w"))  # noqa: SIM115
    archive = next((tmp_path / "out").glob("yinling-*.tar.gz"))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["tables"]["core_person"] >= 2  # the world's people are in it

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{quote(db['HOST'] or '', safe='')}:{db['PORT'] or 5432}/{fresh_database}"
    restored_media = tmp_path / "restored-media"
    result = run(
        ["manage.py", "restore", str(archive)], production_env(DATABASE_URL=url, MEDIA_ROOT=str(restored_media))
    )

    assert result.returncode == 0, result.stderr
    assert _fingerprint(fresh_database) == _fingerprint(db["NAME"])
    restored = (restored_media / "photos" / "a.jpg").read_bytes()
    assert hashlib.sha256(restored).hexdigest() == manifest["files"]["photos/a.jpg"]


def test_restore_refuses_a_database_that_is_not_empty(world, tmp_path):
    result = run(["manage.py", "restore", str(tmp_path / "none.tar.gz")], production_env())

    assert result.returncode != 0
    assert "The database is not empty" in result.stderr
