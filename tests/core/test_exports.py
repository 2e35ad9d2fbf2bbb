"""Every list exports its rows to .xlsx: same scope, filters and permission as the list, masked, logged."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse
from openpyxl import load_workbook

from branches import models as b
from core.models import AuditEntry, ExportLog
from core.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def _export_urls(resolver=None, namespace=""):
    """The name of every list URL whose view declares `export_columns`."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLPattern):
            view_class = getattr(entry.callback, "view_class", None)
            if view_class is not None and getattr(view_class, "export_columns", ()):
                yield f"{namespace}{entry.name}"
        elif entry.namespace != "admin":
            yield from _export_urls(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)


EXPORT_URLS = sorted(set(_export_urls()))


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content), read_only=True).active


def _rows(response) -> list[list]:
    return [list(row) for row in _sheet(response).iter_rows(values_only=True)]


def test_every_list_of_the_project_exports():
    assert len(EXPORT_URLS) >= 16, EXPORT_URLS


@pytest.mark.parametrize("url_name", EXPORT_URLS)
def test_each_list_exports_its_declared_columns(client, world, url_name):
    client.force_login(world.users[Role.ADMIN])
    response = client.get(reverse(url_name), {"export": "xlsx"})
    assert response.status_code == 200
    rows = _rows(response)
    view = get_resolver().resolve(reverse(url_name)).func.view_class
    assert rows[0] == [str(column.label) for column in view.export_columns]
    assert len(rows) >= 2  # the world has a row of every kind


def test_retiree_export_keeps_the_users_scope_and_filters_and_is_logged(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    inside, outside = world.inside.retiree, world.outside.retiree

    everything = _rows(client.get(reverse("branches:retiree_list"), {"export": "xlsx"}))
    names = {row[0] for row in everything[1:]}
    assert inside.person.name in names
    assert outside.person.name not in names
    number = inside.person.id_number
    # Lists never carry whole ID numbers, not even to county staff (显示完整号码 is per record).
    assert next(row for row in everything if row[0] == inside.person.name)[1] == f"{number[:6]}********{number[-4:]}"

    filtered = _rows(client.get(reverse("branches:retiree_list"), {"export": "xlsx", "q": inside.person.name}))
    assert [row[0] for row in filtered[1:]] == [inside.person.name]

    log = ExportLog.objects.filter(user=world.users[Role.COUNTY_STAFF]).order_by("-pk").first()
    assert log.model == "branches.Retiree"
    assert log.row_count == 1
    assert log.personal is True
    assert "q=" in log.filters
    assert "export" not in log.filters
    entry = AuditEntry.objects.filter(user=world.users[Role.COUNTY_STAFF], kind=AuditEntry.Kind.EXPORT).first()
    assert entry is not None
    assert (entry.detail["model"], entry.detail["rows"], entry.detail["personal"]) == ("branches.Retiree", 1, True)
    assert "q=" in entry.detail["filters"]


def test_export_log_rows_cannot_be_rewritten(world):
    log = ExportLog.objects.create(user=world.users[Role.ADMIN], model="x", path="/", row_count=1)
    from django.db import InternalError, transaction

    with pytest.raises(InternalError), transaction.atomic():
        ExportLog.objects.filter(pk=log.pk).update(row_count=0)


@pytest.mark.parametrize("role", [Role.BRANCH_SECRETARY, Role.COUNTY_STAFF, Role.ADMIN])
def test_id_numbers_are_masked_for_every_role(client, world, role):
    client.force_login(world.users[role])
    rows = _rows(client.get(reverse("branches:retiree_list"), {"export": "xlsx"}))
    number = world.inside.person.id_number
    row = next(row for row in rows if row[0] == world.inside.person.name)
    assert row[1] != number
    assert "*" in row[1]
    assert row[1].endswith(number[-4:])


def test_leaders_export_organisations_without_names_and_no_people(client, world):
    client.force_login(world.users[Role.LEADER])
    assert client.get(reverse("branches:retiree_list"), {"export": "xlsx"}).status_code == 403
    rows = _rows(client.get(reverse("branches:honour_list"), {"export": "xlsx"}))
    assert rows[0][0] == "荣誉名称"
    assert "个人" not in rows[0]
    assert len(rows) == 2  # the inside county's honour only


def test_cells_that_look_like_formulas_are_escaped(client, world):
    retiree = world.inside.retiree
    b.Retiree.objects.filter(pk=retiree.pk).update(former_unit='=HYPERLINK("http://evil","x")')
    client.force_login(world.users[Role.COUNTY_STAFF])
    response = client.get(reverse("branches:retiree_list"), {"export": "xlsx", "q": retiree.person.name})
    sheet = _sheet(response)
    row = next(iter(sheet.iter_rows(min_row=2, max_row=2)))
    unit = row[7]
    assert unit.value.startswith("'=")
    assert unit.data_type == "s"


def test_the_list_page_offers_the_export_with_its_filters(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    page = client.get(reverse("branches:retiree_list"), {"q": "张", "page": "1"}).content.decode()
    assert "export=xlsx" in page
    assert "q=%E5%BC%A0" in page


def test_export_query_count_does_not_grow_with_the_rows(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    url = reverse("branches:retiree_list")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            _rows(client.get(url, {"export": "xlsx"}))
        return len(captured)

    few = queries()
    for _ in range(30):
        f.RetireeFactory(branch=world.inside.branch, person=f.PersonFactory(region=world.inside.town))
    assert queries() == few
