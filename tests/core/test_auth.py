"""Logging in and out, the admin site, login lockout, and the per-user display preferences."""

import re

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.test import override_settings
from django.urls import reverse

from core.models import User
from core.scoping import Role
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("core:login")


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]*)"', response.content.decode())
    return match.group(1) if match else ""


# --- Login and logout --------------------------------------------------------------------------


def test_the_login_page_is_public_and_in_chinese(client):
    response = client.get(LOGIN_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert html_lang(response) == "zh-hans"
    assert "登录银龄台账" in html
    assert "用户名" in html
    assert "密码" in html
    assert "连续输错5次密码" in html


def test_a_wrong_password_is_refused_in_chinese(client, world):
    response = client.post(LOGIN_URL, {"username": "county_staff", "password": "wrong-password"})

    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_in_leads_to_the_home_page(client, world):
    response = client.post(LOGIN_URL, {"username": "county_staff", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert int(client.session["_auth_user_id"]) == world.users[Role.COUNTY_STAFF].pk


def test_logging_in_returns_to_the_page_asked_for(client, world):
    target = reverse("core:person_list")

    response = client.post(
        f"{LOGIN_URL}?next={target}", {"username": "county_staff", "password": PASSWORD, "next": target}
    )

    assert response["Location"] == target


def test_logging_in_does_not_follow_a_next_url_to_another_site(client, world):
    response = client.post(
        LOGIN_URL, {"username": "county_staff", "password": PASSWORD, "next": "https://evil.example.com/"}
    )

    assert response["Location"] == reverse("core:home")


def test_an_inactive_user_cannot_log_in(client, world):
    User.objects.filter(username="county_staff").update(is_active=False)

    response = client.post(LOGIN_URL, {"username": "county_staff", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "url",
    [
        reverse("core:home"),
        reverse("core:person_list"),
        reverse("core:person_create"),
        reverse("core:person_detail", args=[1]),
        reverse("core:person_history", args=[1]),
    ],
)
def test_every_other_page_sends_anonymous_users_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={url}"


def test_logout_by_get_is_refused(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])

    response = client.get(reverse("core:logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_logout_by_post_ends_the_session(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])

    response = client.post(reverse("core:logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert client.get(reverse("core:home")).status_code == 302


def test_the_logout_button_is_a_form_that_posts(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])

    html = client.get(reverse("core:home")).content.decode()

    assert re.search(r'<form method="post" action="/logout/"', html)
    assert "退出" in html


# --- Django admin ------------------------------------------------------------------------------


def test_the_administrator_can_open_the_admin_site(client, world):
    client.force_login(world.users[Role.ADMIN])

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "/admin/core/person/" in response.content.decode()


def test_an_administrator_who_is_not_a_superuser_gets_the_admin_site_from_the_role(client, world):
    admin = User.objects.create(username="role-admin", role=Role.ADMIN, is_staff=True)
    client.force_login(admin)

    response = client.get("/admin/core/person/")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "role", [Role.COUNTY_STAFF, Role.COMMITTEE_STAFF, Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR, Role.LEADER]
)
@pytest.mark.parametrize("url", ["/admin/", "/admin/core/person/", "/admin/core/user/"])
def test_other_roles_are_sent_to_the_admin_login_and_see_no_data(client, world, role, url):
    client.force_login(world.users[role])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(f"/admin/login/?next={url}")
    followed = client.get(response["Location"])
    html = followed.content.decode()
    assert world.inside.person.name not in html
    assert world.inside.person.id_number not in html
    assert "county_staff" not in html or role == Role.COUNTY_STAFF


def test_county_staff_cannot_log_into_the_admin_site(client, world):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "county_staff", "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_only_administrators_can_be_staff():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="sneaky", role=Role.LEADER, is_staff=True)


def test_the_menu_offers_the_admin_site_to_administrators_only(client, world):
    client.force_login(world.users[Role.ADMIN])
    admin_home = client.get(reverse("core:home")).content.decode()
    client.force_login(world.users[Role.COUNTY_STAFF])
    staff_home = client.get(reverse("core:home")).content.decode()

    assert "系统管理" in admin_home
    assert "/admin/" in admin_home
    assert "/admin/" not in staff_home


# --- Login lockout (django-axes) ---------------------------------------------------------------


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        AxesProxyHandler.get_implementation(force=True)
        axes_reset()
        yield
        axes_reset()
    AxesProxyHandler.get_implementation(force=True)


def fail_login(client, times: int, username: str = "county_staff"):
    return [client.post(LOGIN_URL, {"username": username, "password": "wrong-password"}) for _ in range(times)]


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, world, axes_on):
    failures = fail_login(client, 5)

    response = client.post(LOGIN_URL, {"username": "county_staff", "password": PASSWORD})

    assert [r.status_code for r in failures[:4]] == [200] * 4
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录已暂时锁定" in html
    assert "以后（约30分钟后）再试" in html
    assert html_lang(response) == "zh-hans"
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock_and_a_success_clears_them(client, world, axes_on):
    fail_login(client, 4)

    response = client.post(LOGIN_URL, {"username": "county_staff", "password": PASSWORD})

    assert response.status_code == 302
    assert AccessAttempt.objects.filter(username="county_staff").exists() is False


def test_the_lockout_is_per_username_not_per_office(client, world, axes_on):
    """Offices share one address behind NAT: a colleague's typos must not lock everyone out."""
    fail_login(client, 5, username="committee_staff")

    response = client.post(LOGIN_URL, {"username": "county_staff", "password": PASSWORD})

    assert response.status_code == 302


def test_resetting_the_lockout_lets_the_user_in_again(client, world, axes_on):
    fail_login(client, 5)

    axes_reset(username="county_staff")
    response = client.post(LOGIN_URL, {"username": "county_staff", "password": PASSWORD})

    assert response.status_code == 302


# --- Large font and language -------------------------------------------------------------------


def test_the_large_font_switch_is_remembered_on_the_user(client, world):
    user = world.users[Role.COUNTY_STAFF]
    client.force_login(user)

    response = client.post(reverse("core:toggle_large_font"), {"next": reverse("core:person_list")})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:person_list")
    assert User.objects.get(pk=user.pk).large_font is True
    page = client.get(reverse("core:home")).content.decode()
    assert 'class="yl-large-font"' in page
    assert 'aria-pressed="true"' in page


def test_the_large_font_switch_toggles_back(client, world):
    user = world.users[Role.COUNTY_STAFF]
    client.force_login(user)

    client.post(reverse("core:toggle_large_font"))
    client.post(reverse("core:toggle_large_font"))

    assert User.objects.get(pk=user.pk).large_font is False


def test_the_large_font_choice_follows_the_user_to_a_new_session(client, world):
    user = world.users[Role.COUNTY_STAFF]
    User.objects.filter(pk=user.pk).update(large_font=True)

    client.post(LOGIN_URL, {"username": "county_staff", "password": PASSWORD})

    assert 'class="yl-large-font"' in client.get(reverse("core:home")).content.decode()


def test_before_login_the_large_font_switch_is_kept_in_the_session(client, world):
    response = client.post(reverse("core:toggle_large_font"), {"next": LOGIN_URL})

    assert response.status_code == 302
    assert client.session["large_font"] is True
    assert 'class="yl-large-font"' in client.get(LOGIN_URL).content.decode()


def test_the_large_font_switch_does_not_redirect_to_another_site(client, world):
    response = client.post(reverse("core:toggle_large_font"), {"next": "https://evil.example.com/"})

    assert response["Location"] == reverse("core:home")


def test_the_large_font_switch_is_post_only(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])

    assert client.get(reverse("core:toggle_large_font")).status_code == 405


def test_switching_to_english_sets_the_page_language(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("core:home")})

    assert response.status_code == 302
    later = client.get(reverse("core:person_list"))
    assert html_lang(later) == "en"
    assert 'value="zh-hans"' in later.content.decode()  # and the switch offers Chinese back


def test_switching_back_to_chinese(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    assert html_lang(client.get(reverse("core:home"))) == "zh-hans"


def test_anonymous_users_can_switch_language_on_the_login_page(client):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN_URL})

    assert html_lang(client.get(LOGIN_URL)) == "en"
