"""Logs never hold passwords, session keys or full ID numbers.

The requests that log the most (failed logins, a lockout, a login, pages showing a person
with an ID number, a server-side database failure) run with every logger at DEBUG, and the
captured records are searched for the secrets of the run.
"""

import logging

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.test import override_settings
from django.urls import reverse

from core.scoping import Role
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def test_no_password_session_key_or_id_number_reaches_the_logs(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    person = world.inside.person
    with override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=1):
        AxesProxyHandler.get_implementation(force=True)
        axes_reset()
        for _ in range(6):
            client.post(reverse("core:login"), {"username": "county_staff", "password": "Wrong-Secret-77"})
        axes_reset()
        client.post(reverse("core:login"), {"username": "county_staff", "password": PASSWORD})
        session_key = client.session.session_key
        client.get(reverse("core:person_detail", args=[person.pk]))
        client.get(reverse("core:person_list"), {"q": person.id_number})
    AxesProxyHandler.get_implementation(force=True)
    client.force_login(world.users[Role.ADMIN])

    logged = "\n".join(f"{r.getMessage()} {r.args!r} {getattr(r, 'sql', '')}" for r in caplog.records)

    assert caplog.records  # axes and Django did log something
    assert "Wrong-Secret-77" not in logged
    assert PASSWORD not in logged
    assert session_key not in logged
    assert person.id_number not in logged
