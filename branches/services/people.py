"""Writes about retirees and their care that touch several rows.

`Retiree.branch` (the current branch) and the `Membership` history are kept
together here and nowhere else: registering opens the first membership, a
transfer ends one membership and opens the next, leaving ends the last one.
Each service runs in one transaction, validates before it saves and records
the acting user in the history (pghistory context).
"""

import datetime as dt

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Branch, CarePair, Membership, Need, Retiree
from core.formatting import format_cn_date
from core.models import Person
from core.validators import normalize_id_number


def _history(by):
    return pghistory.context(user=by.pk if by is not None else None)


def _not_in_future(on: dt.date, field: str, label: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})


def _bump_version(obj) -> None:
    """Keep optimistic locking honest: a form opened before this write must see a conflict."""
    type(obj)._base_manager.filter(pk=obj.pk).update(version=F("version") + 1)
    obj.refresh_from_db(fields=["version", "updated_at"])


def _open_membership(retiree: Retiree) -> Membership | None:
    return Membership.objects.select_for_update().filter(retiree=retiree, end_on__isnull=True).first()


def _person_for_registration(person_data: dict) -> Person:
    """The Person with the ID number in `person_data` if one is registered, else a new one (validated).

    A registered person is reused, never duplicated: blank contact fields are
    filled from `person_data`, a different name is refused (one of the two
    is mistyped). Queries: one lookup, plus one insert or update.
    """
    data = dict(person_data)
    data["id_number"] = normalize_id_number(data.get("id_number") or "")
    existing = None
    if data["id_number"]:
        existing = Person.all_objects.select_for_update().filter(id_number=data["id_number"]).first()
    if existing is None:
        person = Person(**data)
        person.full_clean()
        person.save()
        return person
    if hasattr(existing, "retiree"):
        raise ValidationError({"id_number": _("该身份证号的人员已登记为离退休干部，请勿重复登记")})
    if data.get("name") and data["name"] != existing.name:
        raise ValidationError({"name": _("该身份证号已登记在另一姓名下，请核对姓名和身份证号")})
    changed = []
    for field in ("mobile", "address"):
        if data.get(field) and not getattr(existing, field):
            setattr(existing, field, data[field])
            changed.append(field)
    if existing.is_archived:
        existing.archived_at = None
        existing.archived_by = None
        changed += ["archived_at", "archived_by"]
    if changed:
        existing.full_clean(validate_constraints=False)
        existing.save(update_fields=[*changed, "updated_at"])
    return existing


@transaction.atomic
def retiree_register(
    *,
    branch: Branch,
    joined_on: dt.date,
    by,
    person_data: dict | None = None,
    person: Person | None = None,
    **retiree_fields,
) -> Retiree:
    """Register a retiree: the Person (created, or reused by ID number), the Retiree and the first Membership.

    Pass either `person` (an existing Person) or `person_data` (Person field
    values). `retiree_fields` are Retiree fields (status, former_unit, flags…).
    Raises ValidationError (field errors) when anything is invalid; nothing is
    saved then.
    """
    if (person is None) == (person_data is None):
        raise TypeError("pass exactly one of person, person_data")
    _not_in_future(joined_on, "joined_on", _("加入支部日期"))
    with _history(by):
        if person is None:
            person = _person_for_registration(person_data)
        elif Retiree.all_objects.filter(person=person).exists():
            raise ValidationError(_("该人员已登记为离退休干部，请勿重复登记"))
        retiree = Retiree(person=person, branch=branch, **retiree_fields)
        retiree.full_clean(exclude=["person"])
        retiree.save()
        Membership.objects.create(
            retiree=retiree, branch=branch, start_on=joined_on, start_reason=Membership.Reason.JOINED
        )
    return retiree


@transaction.atomic
def retiree_transfer(
    *,
    retiree: Retiree,
    to_branch: Branch,
    on: dt.date,
    by,
    reason: str = Membership.Reason.TRANSFERRED,
) -> Membership:
    """Move a retiree to another branch from `on`: the open membership ends on `on`, a new one starts on `on`.

    The retiree counts in the old branch up to the day before and in the new
    branch from `on` (see `Membership.open_on`). Refused with a field error
    for a transfer to the same branch, a date not after the start of the
    current membership, or a date in the future. Returns the new membership.
    """
    retiree = Retiree.all_objects.select_for_update().get(pk=retiree.pk)
    current = _open_membership(retiree)
    if current is None:
        raise ValidationError(_("该同志目前不在任何支部，无法转接"))
    if current.branch_id == to_branch.pk:
        raise ValidationError({"to_branch": _("该同志已在%(branch)s，请选择另一个支部") % {"branch": to_branch}})
    if on <= current.start_on:
        raise ValidationError(
            {
                "on": _("转接日期必须晚于加入%(branch)s的日期（%(date)s）")
                % {"branch": current.branch, "date": format_cn_date(current.start_on)}
            }
        )
    _not_in_future(on, "on", _("转接日期"))
    with _history(by):
        current.end_on = on
        current.end_reason = reason
        current.save(update_fields=["end_on", "end_reason", "updated_at"])
        new = Membership.objects.create(retiree=retiree, branch=to_branch, start_on=on, start_reason=reason)
        retiree.branch = to_branch
        retiree.save(update_fields=["branch", "updated_at"])
        _bump_version(retiree)
    return new


@transaction.atomic
def retiree_leave(*, retiree: Retiree, on: dt.date, reason: str, by) -> Membership:
    """A retiree leaves the county's branches (转出本县, 去世): the membership ends on `on`, `branch` becomes empty.

    Open care pairs end on the same day. The record, its history and its
    hardship payments (遗属 may still receive them) stay. Returns the ended
    membership.
    """
    if reason not in Membership.Reason.leaving():
        raise ValidationError({"reason": _("请选择离开原因")})
    retiree = Retiree.all_objects.select_for_update().get(pk=retiree.pk)
    current = _open_membership(retiree)
    if current is None:
        raise ValidationError(_("该同志目前不在任何支部"))
    if on <= current.start_on:
        raise ValidationError(
            {
                "on": _("日期必须晚于加入%(branch)s的日期（%(date)s）")
                % {"branch": current.branch, "date": format_cn_date(current.start_on)}
            }
        )
    _not_in_future(on, "on", _("日期"))
    with _history(by):
        current.end_on = on
        current.end_reason = reason
        current.save(update_fields=["end_on", "end_reason", "updated_at"])
        retiree.branch = None
        retiree.save(update_fields=["branch", "updated_at"])
        _bump_version(retiree)
        CarePair.objects.filter(retiree=retiree, ended_on__isnull=True, started_on__lte=on).update(
            ended_on=on, version=F("version") + 1
        )
    return current


@transaction.atomic
def need_resolve(*, need: Need, on: dt.date, outcome: str, by) -> Need:
    """Mark a need resolved on `on` with its outcome (required: the county reads what was done)."""
    outcome = (outcome or "").strip()
    need = Need.all_objects.select_for_update().get(pk=need.pk)
    errors = {}
    if need.resolved_on is not None:
        raise ValidationError(_("该需求已于%(date)s办结") % {"date": format_cn_date(need.resolved_on)})
    if not outcome:
        errors["outcome"] = _("请填写办理结果")
    if on < need.received_on:
        errors["resolved_on"] = _("办结日期不能早于受理日期（%(date)s）") % {"date": format_cn_date(need.received_on)}
    elif on > timezone.localdate():
        errors["resolved_on"] = _("办结日期不能晚于今天")
    if errors:
        raise ValidationError(errors)
    with _history(by):
        need.resolved_on = on
        need.outcome = outcome
        need.version += 1
        need.save(update_fields=["resolved_on", "outcome", "version", "updated_at"])
    return need


@transaction.atomic
def care_pair_end(*, care_pair: CarePair, on: dt.date, by) -> CarePair:
    """End a care pair on `on` (its records stay)."""
    care_pair = CarePair.all_objects.select_for_update().get(pk=care_pair.pk)
    if care_pair.ended_on is not None:
        raise ValidationError(_("该帮扶对子已于%(date)s结束") % {"date": format_cn_date(care_pair.ended_on)})
    if on < care_pair.started_on:
        raise ValidationError(
            {"ended_on": _("结束日期不能早于结对日期（%(date)s）") % {"date": format_cn_date(care_pair.started_on)}}
        )
    with _history(by):
        care_pair.ended_on = on
        care_pair.version += 1
        care_pair.save(update_fields=["ended_on", "version", "updated_at"])
    return care_pair
