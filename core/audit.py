"""The audit trail: who logged in, failed, was locked out, saw or exported personal data,
revealed a full ID number, or changed someone's role.

Every entry is written through `record(...)` (one INSERT). Apps call it for their own
events, e.g. the children's records app for each view of a child's page and the Excel
export for each download:

    audit.record(request, AuditEntry.Kind.EXPORT, target=programme, detail={"rows": n})

Logins, failed logins, lockouts, logouts and role changes are recorded here by signal
receivers (connected in `CoreConfig.ready()`). The application's database role cannot
rewrite or delete entries (`core.dbroles`); `manage.py prune_audit` removes those older
than `AUDIT_RETENTION_DAYS` only when that is configured (never under `MIN_RETENTION_DAYS`),
on the schema owner's connection.
"""

from __future__ import annotations

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import pre_save

from core.models import AuditEntry, User
from core.security import client_ip, current_request

log = logging.getLogger(__name__)

# Cybersecurity Law art. 21: network logs are kept at least six months.
MIN_RETENTION_DAYS = 180

# What of a user counts as their rights: a change to any of these is a role change.
RIGHTS_FIELDS = ("role", "region_id", "person_id", "is_active", "is_staff", "is_superuser")


def _entry(request, kind, *, user, username, target, target_label, reason, detail) -> AuditEntry:
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    label = target_label
    if target is not None and not label:
        label = target.str_without_names() if hasattr(target, "str_without_names") else str(target)
    return AuditEntry(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request) if request is not None else None,
        target_model=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=label[:200],
        reason=reason[:500],
        detail=detail or {},
    )


def record(
    request,
    kind: str,
    *,
    user=None,
    username: str = "",
    target=None,
    target_label: str = "",
    reason: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """Write one audit entry for `request` (its user and client address). One INSERT.

    `target` is the record concerned (any model instance); its label defaults to its
    `str_without_names()` when it has one, so entries name no one by accident.
    """
    entry = _entry(
        request,
        kind,
        user=user,
        username=username,
        target=target,
        target_label=target_label,
        reason=reason,
        detail=detail,
    )
    entry.save(force_insert=True)
    return entry


def record_many(request, kind: str, *, targets, user=None, reason: str = "", detail: dict | None = None) -> None:
    """One entry per target, all in one INSERT (a page that shows several people's records)."""
    AuditEntry.objects.bulk_create(
        _entry(request, kind, user=user, username="", target=t, target_label="", reason=reason, detail=detail)
        for t in targets
    )


def _logged_in(sender, request, user, **kwargs):
    record(request, AuditEntry.Kind.LOGIN, user=user)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(request, AuditEntry.Kind.LOGOUT, user=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the username: Django already replaces the password in `credentials` by stars.
    username = str(credentials.get("username", ""))[:150]
    locked = bool(getattr(request, "axes_locked_out", False))
    kind = AuditEntry.Kind.LOCKED_OUT if locked else AuditEntry.Kind.LOGIN_FAILED
    record(request, kind, user=None, username=username)


def _rights_changed(sender, instance: User, raw=False, update_fields=None, **kwargs):
    """An audit entry when a user's role, scope or admin rights change (one SELECT per such save)."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {f.removesuffix("_id") for f in update_fields} & {
        f.removesuffix("_id") for f in RIGHTS_FIELDS
    }:
        return  # e.g. last_login on every login, large_font
    before = User.objects.filter(pk=instance.pk).values(*RIGHTS_FIELDS).first()
    if before is None:
        return
    changes = {
        field: [before[field], getattr(instance, field)]
        for field in RIGHTS_FIELDS
        if before[field] != getattr(instance, field)
    }
    if changes:
        request = current_request()  # the administrator's, when the change comes from a page
        record(
            request,
            AuditEntry.Kind.ROLE_CHANGE,
            user=request.user if request is not None and request.user.is_authenticated else None,
            target=instance,
            target_label=instance.get_username(),
            detail={"changes": changes},
        )


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="core.audit.login")
    user_logged_out.connect(_logged_out, dispatch_uid="core.audit.logout")
    user_login_failed.connect(_login_failed, dispatch_uid="core.audit.login_failed")
    pre_save.connect(_rights_changed, sender=User, dispatch_uid="core.audit.rights")
