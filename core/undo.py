"""Undo for the steps that are easy to tap by mistake (办结, 登记送学 …).

After such a step the success message carries a 撤销 link, valid for UNDO_SECONDS. The link
holds a signed token naming what to undo (its kind and the rows, with the version they had
right after the step); it opens a page that asks once more, and its POST calls the handler
the app registered for that kind. The handler loads the rows through core.access, like any
write, and refuses when they changed since (someone else's later work is never undone).
"""

from collections.abc import Callable

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.formatting import join_clauses

UNDO_SECONDS = 5 * 60
_SALT = "yinling.undo"


class UndoHandler:
    """`describe(user, data) -> str` says what will be undone (404/403 through core.access when
    the user may not); `undo(user, data) -> str` undoes it and says what was done."""

    def __init__(self, describe: Callable, undo: Callable):
        self.describe, self.undo = describe, undo


_handlers: dict[str, UndoHandler] = {}


def register_undo(kind: str, handler: UndoHandler) -> None:
    _handlers[kind] = handler


def undo_token(kind: str, **data) -> str:
    if kind not in _handlers:
        raise LookupError(f"no undo handler {kind!r} is registered (core.undo.register_undo)")
    return signing.dumps({"kind": kind, "data": data}, salt=_SALT, compress=True)


def success_with_undo(request: HttpRequest, message: str, kind: str, *, next_url: str = "", **data) -> None:
    """A success message with a 撤销 link for the step just done (valid UNDO_SECONDS)."""
    url = reverse("core:undo", args=[undo_token(kind, **data)])
    if next_url:
        url += "?" + urlencode({"next": next_url})
    minutes = UNDO_SECONDS // 60
    link = format_html(
        '{} <a class="alert-link yl-undo" href="{}">{}</a>',
        message,
        url,
        _("撤销（%(n)s分钟内有效）") % {"n": minutes},
    )
    messages.success(request, link)


def _read(token: str):
    """The handler and data of a token; None when it is forged, or expired (the message says which)."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=UNDO_SECONDS)
    except signing.SignatureExpired:
        return None, _("撤销的时限（%(n)s分钟）已过，不能再撤销。如需更正，请打开这条记录修改。") % {
            "n": UNDO_SECONDS // 60
        }
    except signing.BadSignature:
        raise Http404 from None
    handler = _handlers.get(payload.get("kind"))
    if handler is None:
        raise Http404
    return (handler, payload.get("data") or {}), ""


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("core:home")


@require_http_methods(["GET", "POST"])
def undo(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what will be undone, and a button; POST: undo it (the handler asks core.access)."""
    found, expired = _read(token)
    if found is None:
        messages.error(request, expired)
        return HttpResponseRedirect(_next(request))
    handler, data = found
    description = handler.describe(request.user, data)  # 404 / 403 for a user who may not
    if request.method == "POST":
        try:
            done = handler.undo(request.user, data)
        except ValidationError as error:
            messages.error(request, join_clauses(error.messages))
        except PermissionDenied:
            raise
        else:
            messages.success(request, done)
        return HttpResponseRedirect(_next(request))
    return render(request, "core/undo_confirm.html", {"description": description, "next": _next(request)})
