"""The README's deployment step `manage.py createsuperuser` makes a working first administrator."""

import pytest
from django.core.management import call_command

from core.models import User
from core.scoping import Role

pytestmark = pytest.mark.django_db


def test_createsuperuser_makes_an_administrator_with_the_whole_scope(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-first-password-9")
    call_command("createsuperuser", "--noinput", username="first_admin", email="admin@example.gov.cn", verbosity=0)
    admin = User.objects.get(username="first_admin")
    assert (admin.role, admin.is_staff, admin.is_superuser) == (Role.ADMIN, True, True)
    assert admin.check_password("a-long-first-password-9")


def test_a_superuser_of_another_role_is_refused():
    with pytest.raises(ValueError, match="administrator"):
        User.objects.create_superuser("boss", password="x-long-password-1", role=Role.COUNTY_STAFF)
