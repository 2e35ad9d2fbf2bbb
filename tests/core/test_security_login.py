"""Login lockout that cannot be turned against a user, client addresses behind nginx,
password rules, forced password changes, and sessions that end (core.security, core.passwords).

Every login here is a POST to the login page (never client.login), from an address
given as nginx would pass it: REMOTE_ADDR is nginx, X-Forwarded-For ends with the client.
"""

from datetime import timedelta

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, PasswordHistory, User
from core.scoping import Role
from core.security import SESSION_SEEN, SESSION_STARTED, client_ip
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("core:login")
HOME = reverse("core:home")
OFFICE = "203.0.113.10"
ELSEWHERE = "198.51.100.7"
NEW_PASSWORD = "Hongqi-Qu-2026"


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=1):
        AxesProxyHandler.get_implementation(force=True)
        axes_reset()
        yield
        axes_reset()
    AxesProxyHandler.get_implementation(force=True)


def post_login(client, username, password, address=OFFICE):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )


def fail(client, username, times, address=OFFICE):
    return [post_login(client, username, "wrong-password", address) for _ in range(times)]


# --- Client address --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("forwarded", "proxies", "expected"),
    [
        ("198.51.100.7", 1, "198.51.100.7"),  # nginx passes the client it saw
        ("10.9.9.9, 198.51.100.7", 1, "198.51.100.7"),  # what the client wrote itself is not trusted
        ("", 1, "127.0.0.1"),
        ("not-an-address", 1, "127.0.0.1"),
        ("198.51.100.7", 0, "127.0.0.1"),  # no proxy: the header is the client's own word
    ],
)
def test_the_client_address_is_read_behind_the_trusted_proxies(settings, forwarded, proxies, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", **extra)

    assert client_ip(request) == expected


# --- Lockout ---------------------------------------------------------------------------------


def test_five_failures_lock_the_username_at_that_address_with_the_time_to_try_again(client, world, axes_on):
    responses = fail(client, "county_staff", 5)

    locked = post_login(client, "county_staff", PASSWORD)

    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert locked.status_code == 429
    html = locked.content.decode()
    retry = timezone.localtime(AccessAttempt.objects.get(username="county_staff").attempt_time + timedelta(minutes=30))
    assert f"请在 {retry:%H:%M} 以后" in html
    assert "_auth_user_id" not in client.session


def test_another_user_at_the_same_address_still_logs_in(client, world, axes_on):
    fail(client, "county_staff", 5)

    response = post_login(client, "committee_staff", PASSWORD)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.users[Role.COMMITTEE_STAFF].pk


def test_the_victim_still_logs_in_from_another_address(client, world, axes_on):
    fail(client, "county_staff", 5, address=ELSEWHERE)  # somebody typing her name elsewhere

    response = post_login(client, "county_staff", PASSWORD, address=OFFICE)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == world.users[Role.COUNTY_STAFF].pk


def test_a_spoofed_forwarded_header_does_not_escape_the_lock(client, world, axes_on):
    fail(client, "county_staff", 5)

    response = post_login(client, "county_staff", PASSWORD, address=f"10.1.2.3, {OFFICE}")

    assert response.status_code == 429


def test_one_address_trying_many_usernames_is_locked(client, world, axes_on, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(8):
        fail(client, f"guess{n}", 1)

    at_attacker = post_login(client, "county_staff", PASSWORD)
    elsewhere = post_login(client, "county_staff", PASSWORD, address=ELSEWHERE)

    assert at_attacker.status_code == 429
    assert elsewhere.status_code == 302


def test_failed_attempts_are_kept_and_audited(client, world, axes_on):
    fail(client, "county_staff", 2)

    assert AccessFailureLog.objects.filter(username="county_staff", ip_address=OFFICE).count() == 2
    entries = AuditEntry.objects.filter(kind=AuditEntry.Kind.LOGIN_FAILED, username="county_staff")
    assert entries.count() == 2
    assert {e.ip_address for e in entries} == {OFFICE}


def test_a_login_is_audited_with_its_address(client, world, axes_on):
    post_login(client, "county_staff", PASSWORD)

    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.LOGIN, user=world.users[Role.COUNTY_STAFF])
    assert entry.ip_address == OFFICE


def test_the_administrator_unlocks_a_user_from_their_page(client, world, axes_on):
    fail(client, "county_staff", 5)
    victim = world.users[Role.COUNTY_STAFF]
    admin_client = client.__class__()
    admin_client.force_login(world.users[Role.ADMIN])

    page = admin_client.get(reverse("admin:core_user_change", args=[victim.pk]))
    response = admin_client.post(reverse("admin:core_user_unlock", args=[victim.pk]))

    assert "解除登录锁定（近期输错5次）" in page.content.decode()
    assert response.status_code == 302
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.UNLOCK, target_id=str(victim.pk)).exists() is True
    assert post_login(client, "county_staff", PASSWORD).status_code == 302


@pytest.mark.parametrize("role", [Role.COUNTY_STAFF, Role.LEADER])
def test_other_roles_cannot_unlock(client, world, axes_on, role):
    fail(client, "committee_staff", 5)
    client.force_login(world.users[role])

    client.post(reverse("admin:core_user_unlock", args=[world.users[Role.COMMITTEE_STAFF].pk]))

    assert AccessAttempt.objects.filter(username="committee_staff").exists() is True


def test_the_lockout_check_of_axes_is_not_silenced(settings):
    assert "axes.W006" not in settings.SILENCED_SYSTEM_CHECKS
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


# --- Password rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!xyz", "至少需要12个字符"),
        ("abcdefghijklmn", "中的3种"),
        ("abcdefgh12345", "中的3种"),
        ("Password1234!", None),  # accepted below: only the common list decides this one
        ("Xcounty_staff1!", "不能包含用户名"),
    ],
)
def test_passwords_follow_the_rules_in_chinese(world, password, message):
    user = world.users[Role.COUNTY_STAFF]
    if message is None:
        validate_password(password, user)
        return
    with pytest.raises(ValidationError) as error:
        validate_password(password, user)

    assert message in " ".join(error.value.messages)


def test_a_common_password_is_refused(world):
    with pytest.raises(ValidationError) as error:
        validate_password("1qaz2wsx3edc", world.users[Role.COUNTY_STAFF])

    assert "太常见" in " ".join(error.value.messages)


def test_the_last_five_passwords_cannot_be_used_again(world):
    user = User.objects.get(pk=world.users[Role.COUNTY_STAFF].pk)
    used = [f"Hongqi-Qu-{n}x" for n in range(6)]
    for password in used:
        user.set_password(password)
        user.save()

    with pytest.raises(ValidationError) as error:
        validate_password(used[-1], user)
    assert "最近5次" in " ".join(error.value.messages)
    validate_password(used[0], user)  # the sixth-last is allowed again
    assert PasswordHistory.objects.filter(user=user).count() == 5
    assert User.objects.get(pk=user.pk).password_changed_at is not None


def test_users_change_their_own_password(client, world):
    user = world.users[Role.BRANCH_SECRETARY]
    client.force_login(user)

    response = client.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD) is True
    assert client.get(HOME).status_code == 200  # still logged in
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.PASSWORD_CHANGE, user=user).exists() is True


def test_a_weak_new_password_gets_a_message_on_the_field(client, world):
    user = world.users[Role.BRANCH_SECRETARY]
    client.force_login(user)

    response = client.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )

    assert response.status_code == 200
    assert "至少需要12个字符" in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password(PASSWORD) is True


def test_an_account_the_administrator_creates_must_change_its_password_first(client, world):
    admin_client = client.__class__()
    admin_client.force_login(world.users[Role.ADMIN])
    admin_client.post(
        reverse("admin:core_user_add"),
        {
            "username": "new_secretary_staff",
            "password1": "Temp-Passw0rd-9",
            "password2": "Temp-Passw0rd-9",
            "usable_password": "true",
            "role": Role.COUNTY_STAFF,
            "region": world.inside.region.pk,
        },
    )
    created = User.objects.get(username="new_secretary_staff")
    assert created.must_change_password is True

    post_login(client, "new_secretary_staff", "Temp-Passw0rd-9")
    blocked = client.get(reverse("core:person_list"))
    changed = client.post(
        reverse("core:password_change"),
        {"old_password": "Temp-Passw0rd-9", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert blocked.status_code == 302
    assert blocked["Location"] == reverse("core:password_change")
    assert changed.status_code == 302
    assert User.objects.get(pk=created.pk).must_change_password is False
    assert client.get(reverse("core:person_list")).status_code == 200


def test_an_administrators_password_expires(client, world, settings):
    settings.ADMIN_PASSWORD_MAX_AGE_DAYS = 90
    admin = world.users[Role.ADMIN]
    User.objects.filter(pk=admin.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client.force_login(admin)

    response = client.get(HOME)
    page = client.get(reverse("core:password_change"))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:password_change")
    assert "您的密码已到期" in page.content.decode()


def test_other_roles_passwords_do_not_expire(client, world):
    user = world.users[Role.COUNTY_STAFF]
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=400))
    client.force_login(user)

    assert client.get(HOME).status_code == 200


# --- Sessions --------------------------------------------------------------------------------


def age_session(client, *, idle: int = 0, since_login: int = 0):
    session = client.session
    session[SESSION_SEEN] -= idle
    session[SESSION_STARTED] -= since_login
    session.save()


def logged_in(client, username="county_staff"):
    assert post_login(client, username, PASSWORD).status_code == 302
    return client


def test_the_session_key_changes_at_login_and_dies_at_logout(client, world):
    client.get(LOGIN_URL)
    client.session.save()
    before = client.session.session_key

    logged_in(client)
    during = client.session.session_key
    client.post(reverse("core:logout"))

    from django.contrib.sessions.models import Session

    assert during != before
    assert Session.objects.filter(session_key=during).exists() is False


def test_an_idle_session_ends(client, world, settings):
    logged_in(client)
    age_session(client, idle=settings.SESSION_IDLE_TIMEOUT + 5)

    response = client.get(reverse("core:person_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert "_auth_user_id" not in client.session
    assert "已自动退出" in client.get(response["Location"]).content.decode()


def test_a_session_in_use_lasts_past_the_idle_time(client, world, settings):
    logged_in(client)
    age_session(client, idle=settings.SESSION_IDLE_TIMEOUT - 60)

    assert client.post(reverse("core:session_keepalive")).status_code == 200
    assert client.get(HOME).status_code == 200


def test_a_session_ends_after_its_maximum_age_even_in_use(client, world, settings):
    logged_in(client)
    age_session(client, since_login=settings.SESSION_MAX_AGE + 5)

    assert client.get(HOME).status_code == 302


def test_the_session_cookie_ends_with_the_browser(client, world):
    response = post_login(client, "county_staff", PASSWORD)

    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""


def test_pages_carry_the_idle_warning(client, world, settings):
    logged_in(client)

    html = client.get(HOME).content.decode()

    assert f'data-idle-seconds="{settings.SESSION_IDLE_TIMEOUT}"' in html
    assert "js/session_timeout.js" in html
    assert "继续使用" in html


def test_the_keepalive_is_post_only(client, world):
    logged_in(client)

    assert client.get(reverse("core:session_keepalive")).status_code == 405
