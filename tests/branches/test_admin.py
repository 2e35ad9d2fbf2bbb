"""Django admin shows the big tables to administrators only, 25 rows a page, and deletes nothing."""

import pytest
from django.urls import reverse

from core.scoping import Role

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:branches_branch_changelist",
    "admin:branches_retiree_changelist",
    "admin:branches_activity_changelist",
    "admin:core_exportlog_changelist",
    "admin:core_job_changelist",
]


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_administrators_open_the_changelists(client, world, url_name):
    client.force_login(world.users[Role.ADMIN])
    response = client.get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_no_one_else_gets_in(client, world, url_name):
    client.force_login(world.users[Role.COUNTY_STAFF])
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_retiree_pages_hold_25_rows_and_nothing_is_deleted(client, world):
    client.force_login(world.users[Role.ADMIN])
    response = client.get(reverse("admin:branches_retiree_changelist"))
    assert response.context["cl"].list_per_page == 25
    assert response.context["cl"].model_admin.has_delete_permission(response.wsgi_request) is False
