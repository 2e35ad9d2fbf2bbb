"""Login, session and response rules that hold for every page.

* `client_ip(request)`: the client's address behind `TRUSTED_PROXY_COUNT` proxies (nginx),
  used by the lockout (django-axes' `AXES_CLIENT_IP_CALLABLE`) and the audit trail.
* `LockoutHandler`: django-axes locks a username *at one address* after
  `AXES_FAILURE_LIMIT` failures; this handler adds a looser limit for one address
  trying many usernames (`LOGIN_ADDRESS_FAILURE_LIMIT`).
* `lockout_response`: the Chinese lockout page, saying when to try again.
* `SecurityMiddleware`: strips control characters from every query and form (core.input),
  ends idle and too-old sessions, sends users who must change their password to the
  password page, and adds the headers every response needs
  (Permissions-Policy; no caching of anything shown to a logged-in user).
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
import time
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import OperationalError
from django.db.models import Max, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.input import strip_control_characters

log = logging.getLogger(__name__)

SESSION_STARTED = "yl_started"  # epoch seconds of the login
SESSION_SEEN = "yl_seen"  # epoch seconds of the last request
# Writing the session on every request would cost an UPDATE each; a minute's slack is enough.
SEEN_WRITE_INTERVAL = 60

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

_current_request: contextvars.ContextVar = contextvars.ContextVar("yinling_request", default=None)


def current_request():
    """The request being handled in this thread, or None (a command, a test without a client)."""
    return _current_request.get()


def client_ip(request) -> str | None:
    """The client's address: `REMOTE_ADDR`, or behind N trusted proxies the Nth address from
    the right of X-Forwarded-For (nginx appends the address it saw; anything to its left
    was written by the client and is not trusted)."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain = [*chain, remote] if proxies else [remote]
    candidate = chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


# --- Lockout ---------------------------------------------------------------------------------


def _cool_off_since(request):
    return (request.axes_attempt_time or timezone.now()) - get_cool_off(request)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler plus a limit per address across all usernames.

    A username is locked only at the address its failures came from (so nobody can lock a
    secretary out by typing her name); one address guessing many usernames is stopped by
    `LOGIN_ADDRESS_FAILURE_LIMIT` failures within the cool-off time (looser, since an
    office behind one NAT address shares it).
    """

    def address_failures(self, request) -> int:
        """Failures from the request's address within the cool-off time (one aggregate query)."""
        return (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address, attempt_time__gte=_cool_off_since(request)
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return self.address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if (
            request is not None
            and not getattr(request, "axes_locked_out", False)
            and self.address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
        ):
            request.axes_locked_out = True


def lockout_until(request, username: str | None):
    """When the lock on this username at this address (or on the address) ends."""
    attempts = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=_cool_off_since(request)
    )
    if username:
        mine = attempts.filter(username=username)
        if (mine.aggregate(total=Sum("failures_since_start"))["total"] or 0) >= settings.AXES_FAILURE_LIMIT:
            attempts = mine
    latest = attempts.aggregate(latest=Max("attempt_time"))["latest"] or timezone.now()
    return latest + get_cool_off(request)


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The lockout page (django-axes' AXES_LOCKOUT_CALLABLE): status 429, when to try again."""
    username = get_client_username(request, credentials)
    until = timezone.localtime(lockout_until(request, username))
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {
            "retry_at": until,
            "retry_minutes": max(1, round((until - timezone.localtime()).total_seconds() / 60)),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_timedelta": get_cool_off(request),
        },
        status=429,
    )


def failures_of(username: str) -> int:
    """Current failures of a username at any address (for the administrator's user page)."""
    return AccessAttempt.objects.filter(username=username).aggregate(total=Sum("failures_since_start"))["total"] or 0


def unlock(username: str) -> int:
    """Lift every lock on the username (from any address); the count of attempts removed."""
    deleted, _rows = AccessAttempt.objects.filter(username=username).delete()
    return deleted


# --- Passwords that must change --------------------------------------------------------------


def password_expired(user) -> bool:
    """Administrators' passwords expire after ADMIN_PASSWORD_MAX_AGE_DAYS (0: never)."""
    days = settings.ADMIN_PASSWORD_MAX_AGE_DAYS
    if not days or user.role != user.Role.ADMIN:
        return False
    changed = user.password_changed_at or user.date_joined
    return changed < timezone.now() - timedelta(days=days)


def must_change_password(user) -> bool:
    return bool(user.must_change_password) or password_expired(user)


# --- The middleware --------------------------------------------------------------------------

# Pages a user who must change their password (or whose session ended) may still reach.
PASSWORD_EXEMPT_URLS = (
    "core:password_change",
    "core:logout",
    "core:session_keepalive",
    "core:toggle_large_font",
    "core:health",
    "set_language",
)


def session_started(sender, request, user, **kwargs) -> None:
    """At login (user_logged_in): the clock of the absolute session lifetime starts."""
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


class DatabaseUnavailableMiddleware:
    """The database went away while a view ran: a friendly Chinese page (503), not a 500.

    `process_exception` sees what views raise; a failure inside another middleware (the
    session lookup) is turned into a response by Django before it gets here, so the 500
    page (handler500) should say the same for an OperationalError. The next request finds
    a new connection by itself (CONN_HEALTH_CHECKS throws the dead one away).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError):
            return None
        # Django closes the broken connection when the request ends (close_old_connections).
        log.error("database unavailable: %s", type(exception).__name__)
        # Rendered without the request: its context processors would ask the database again.
        page = get_template("errors/database_unavailable.html").render({"retry_url": request.get_full_path()})
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "30"
        add_never_cache_headers(response)
        return response


class SecurityMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware (see settings.MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        request.GET = strip_control_characters(request.GET)
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            request.POST = strip_control_characters(request.POST)
        try:
            response = self.check_session(request) or self.check_password(request) or self.get_response(request)
        finally:
            _current_request.reset(token)
        return self.add_headers(request, response)

    def check_session(self, request):
        """Log out a session idle longer than SESSION_IDLE_TIMEOUT or older than SESSION_MAX_AGE."""
        if not request.user.is_authenticated:
            return None
        session = request.session
        now = int(time.time())
        started = session.setdefault(SESSION_STARTED, now)
        seen = session.get(SESSION_SEEN, now)
        if now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_MAX_AGE:
            logout(request)
            messages.info(request, _("您已较长时间未操作，为保护数据安全已自动退出，请重新登录。"))
            login = f"{reverse('core:login')}?{urlencode({'next': request.get_full_path()})}"
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = login
                return response
            return redirect(login)
        if now - seen >= SEEN_WRITE_INTERVAL or SESSION_SEEN not in session:
            session[SESSION_SEEN] = now
        return None

    def check_password(self, request):
        user = request.user
        if not user.is_authenticated or not must_change_password(user):
            return None
        match = request.resolver_match or _resolve(request.path_info)
        if match is not None and match.view_name in PASSWORD_EXEMPT_URLS:
            return None
        if request.path_info.startswith(("/" + settings.STATIC_URL.lstrip("/"),)):
            return None
        return redirect("core:password_change")

    def add_headers(self, request, response):
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Shared office computers: nothing a logged-in user saw (pages, photos, files)
            # may be kept by the browser or a proxy for the next person at the desk.
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


def _resolve(path):
    try:
        return resolve(path)
    except Resolver404:
        return None
