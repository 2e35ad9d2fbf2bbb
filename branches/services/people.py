"""Writes about retirees and their care that touch several rows, and transfers between counties.

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
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Branch, CarePair, Membership, Need, Participation, Retiree, TransferRequest
from core import access
from core.formatting import format_cn_date
from core.models import Person
from core.validators import normalize_id_number


def _history(by):
    return pghistory.context(user=by.pk if by is not None else None)


def _not_in_future(on: dt.date, field: str, label: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})


def _open_membership(retiree: Retiree) -> Membership | None:
    return Membership.objects.select_for_update().filter(retiree=retiree, end_on__isnull=True).first()


# The code of the refusal below: the registration page then offers a transfer request.
NOT_REGISTERABLE_HERE = "not_registerable_here"


def _person_for_registration(person_data: dict, *, by) -> Person:
    """The Person with the ID number in `person_data` if one is registered, else a new one (validated).

    A registered person is reused, never duplicated, and only when `by` may
    change that Person: someone registered in another county is not taken
    over (their contact details and whole ID number would then be shown and
    changed here). The refusal does not say who they are or what they are
    registered as; it points to a transfer request (组织关系转接) instead. An
    archived person is not brought back silently: it must be restored first.
    Blank contact fields are filled from `person_data`, a different name is
    refused (one of the two is mistyped). Queries: one lookup, one access
    question, plus one insert or update.
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
    _check_registerable(existing, by=by)
    if data.get("name") and data["name"] != existing.name:
        raise ValidationError({"name": _("该身份证号已登记在另一姓名下，请核对姓名和身份证号")})
    changed = []
    for field in ("mobile", "address"):
        if data.get(field) and not getattr(existing, field):
            setattr(existing, field, data[field])
            changed.append(field)
    if changed:
        existing.full_clean(validate_constraints=False)
        existing.save(update_fields=[*changed, "updated_at"])
    return existing


def _check_registerable(person: Person, *, by) -> None:
    """ValidationError on `id_number` unless `by` may make this Person a retiree here (one access query)."""
    if not access.can(by, access.CHANGE, person):
        raise ValidationError(
            {
                "id_number": ValidationError(
                    _("该身份证号无法在此登记。如该同志已在其他县（市、区）登记，请向其登记地申请组织关系转接。"),
                    code=NOT_REGISTERABLE_HERE,
                )
            }
        )
    if person.is_archived:
        raise ValidationError(
            {"id_number": _("该身份证号的人员档案已删除。请先在人员页面恢复该档案，再登记为离退休干部。")}
        )
    if Retiree.all_objects.filter(person=person).exists():
        raise ValidationError({"id_number": _("该身份证号的人员已登记为离退休干部，请勿重复登记")})


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
    values; a Person registered with the same ID number is reused only when
    `by` may change it). `retiree_fields` are Retiree fields (status, former_unit, flags…).
    Raises ValidationError (field errors) when anything is invalid; nothing is
    saved then.
    """
    if (person is None) == (person_data is None):
        raise TypeError("pass exactly one of person, person_data")
    _not_in_future(joined_on, "joined_on", _("加入支部日期"))
    with _history(by):
        if person is None:
            person = _person_for_registration(person_data, by=by)
        else:
            _check_registerable(person, by=by)
        retiree = Retiree(person=person, branch=branch, **retiree_fields)
        retiree.full_clean(exclude=["person"])
        retiree.save()
        Membership.objects.create(
            retiree=retiree, branch=branch, start_on=joined_on, start_reason=Membership.Reason.JOINED
        )
    return retiree


@transaction.atomic
def retiree_update(*, retiree: Retiree, version: int, person_version: int, mobile: str, address: str, by) -> Retiree:
    """Save a retiree edited on its form together with the person's contact details shown there.

    `retiree` carries the form's (validated, unsaved) changes; `version` and
    `person_version` are the versions of the retiree and of the person the
    form was opened with. When either row was saved since, StaleRecordError
    is raised and nothing is saved: a change made on the person's own page is
    never overwritten from here, nor the other way round. The person is
    written only when the mobile or address differ, so an edit of the retiree
    alone leaves the person's version and history as they were. Both
    instances come back with the versions the database gave them.
    Queries: two row locks, the retiree's update and version, the person's when they changed.
    """
    person = retiree.person
    retiree.lock_unchanged(version)
    person.lock_unchanged(person_version)
    with _history(by):
        retiree.save()
        if (person.mobile, person.address) != (mobile, address):
            person.mobile, person.address = mobile, address
            person.clean_fields(exclude=[f.name for f in Person._meta.fields if f.name not in ("mobile", "address")])
            person.save(update_fields=["mobile", "address", "updated_at"])
            person.refresh_from_db(fields=["version"])  # raised by the database
    retiree.refresh_from_db(fields=["version"])
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
    current membership, or a date in the future. Returns the new membership (its
    `retiree` carries the version the database gave it).
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
    retiree.refresh_from_db(fields=["version"])  # new.retiree: the version an undo checks against
    return new


@transaction.atomic
def retiree_transfer_undo(*, retiree: Retiree, membership_pk: int, version: int, by) -> Membership:
    """Undo a transfer (core.undo): the membership it started is archived (kept, out of every count)
    and the one it ended is open again, if nothing changed since: the retiree's record is still at
    `version` and the new membership still open. Returns the reopened membership."""
    retiree = Retiree.all_objects.select_for_update().get(pk=retiree.pk)
    new = Membership.objects.select_for_update().filter(pk=membership_pk, retiree=retiree).first()
    changed = _("转接后该同志的记录又有变动，不能撤销；如需更正，请重新办理转接。")
    if new is None or new.end_on is not None or retiree.version != version:
        raise ValidationError(changed)
    previous = (
        Membership.objects.select_for_update()
        .filter(retiree=retiree, end_on=new.start_on)
        .exclude(pk=new.pk)
        .order_by("-start_on")
        .first()
    )
    if previous is None:
        raise ValidationError(changed)
    with _history(by):
        new.archive(by=by)  # first: the one-open-membership rule counts archived rows out
        previous.end_on = None
        previous.end_reason = ""
        previous.save(update_fields=["end_on", "end_reason", "updated_at"])
        retiree.branch_id = previous.branch_id
        retiree.save(update_fields=["branch", "updated_at"])
    return previous


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
        CarePair.objects.filter(retiree=retiree, ended_on__isnull=True, started_on__lte=on).update(
            ended_on=on, updated_at=timezone.now()
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
        need.save(update_fields=["resolved_on", "outcome", "updated_at"])
    need.refresh_from_db(fields=["version"])  # raised by the database
    return need


@transaction.atomic
def need_reopen(*, need: Need, version: int, by) -> Need:
    """Undo a 办结 (core.undo): the need is open again, if nothing changed since it was resolved
    at `version` (a later edit is someone's work and is not undone)."""
    need = Need.all_objects.select_for_update().get(pk=need.pk)
    if need.resolved_on is None:
        raise ValidationError(_("该需求已不是办结状态，无需撤销。"))
    if need.version != version:
        raise ValidationError(_("办结后这条需求又被修改过，不能撤销；请打开需求修改。"))
    with _history(by):
        need.resolved_on = None
        need.outcome = ""
        need.save(update_fields=["resolved_on", "outcome", "updated_at"])
    need.refresh_from_db(fields=["version"])
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
        care_pair.save(update_fields=["ended_on", "updated_at"])
    care_pair.refresh_from_db(fields=["version"])  # raised by the database
    return care_pair


# --- transfers between counties ---------------------------------------------------------------


def _pending_request(request: TransferRequest) -> TransferRequest:
    """The request locked for this transaction; ValidationError once it is no longer pending."""
    request = TransferRequest.all_objects.select_for_update().get(pk=request.pk)
    if not request.is_pending:
        raise ValidationError(_("该申请已处理（%(status)s）") % {"status": request.get_status_display()})
    return request


@transaction.atomic
def transfer_request(*, id_number: str, name: str, to_branch: Branch, by, note: str = "") -> TransferRequest:
    """Ask the county where a retiree is registered to transfer them to `to_branch` (跨县组织关系转接).

    The retiree is found by ID number in every county, and the answer is not
    told: a number registered nowhere makes a request that simply stays
    pending, so asking reveals no more than the registration refusal did.
    Refused (field errors) only for what the requester may see anyway: a
    person they may change themselves (registered in their own county), or a
    request of theirs for the same number that is still pending.
    Queries: two lookups, one access question, one insert.
    """
    id_number = normalize_id_number(id_number)
    person = Person.all_objects.filter(id_number=id_number).first()
    if person is not None and access.can(by, access.CHANGE, person):
        raise ValidationError(
            {"id_number": _("该同志的档案在本县，无需跨县转接：请直接登记，或在其档案页面办理支部间转接。")}
        )
    request = TransferRequest(
        id_number=id_number,
        name=name.strip(),
        to_branch=to_branch,
        note=note.strip(),
        retiree=Retiree.all_objects.filter(person=person).first() if person else None,
        requested_by=by,
    )
    request.full_clean()
    with _history(by):
        request.save()
    return request


@transaction.atomic
def transfer_accept(*, request: TransferRequest, by, on: dt.date | None = None) -> TransferRequest:
    """The sending county agrees: the retiree moves to the requested branch from `on` (default today).

    The current membership ends and one in the receiving branch starts
    (`retiree_transfer`); a retiree who had left the county's branches joins
    it. The person's region becomes the branch's, so the receiving county
    now keeps the record and the sending one no longer reaches it; open care
    pairs (with the sending county's cadres) end the same day. The request
    remembers where the retiree came from (`from_region`).
    """
    request = _pending_request(request)
    retiree = request.retiree
    if retiree is None:
        raise ValidationError(_("没有与该身份证号对应的离退休干部，无法同意"))
    retiree = Retiree.all_objects.select_related("branch__region", "person__region").get(pk=retiree.pk)
    if retiree.is_archived:
        raise ValidationError(_("该同志的档案已删除，请先恢复后再办理转接"))
    on = on or timezone.localdate()
    to_branch = request.to_branch
    from_region = retiree.branch.region if retiree.branch_id else retiree.person.region
    with _history(by):
        if retiree.branch_id:
            retiree_transfer(retiree=retiree, to_branch=to_branch, on=on, by=by)
        else:
            _not_in_future(on, "on", _("转接日期"))
            Membership.objects.create(
                retiree=retiree, branch=to_branch, start_on=on, start_reason=Membership.Reason.TRANSFERRED
            )
            Retiree.all_objects.filter(pk=retiree.pk).update(branch=to_branch, updated_at=timezone.now())
        Person.all_objects.filter(pk=retiree.person_id).update(region=to_branch.region, updated_at=timezone.now())
        for pair in CarePair.objects.filter(retiree=retiree, ended_on__isnull=True, started_on__lte=on):
            care_pair_end(care_pair=pair, on=on, by=by)
        request.decide(status=TransferRequest.Status.ACCEPTED, by=by, from_region=from_region)
    return request


@transaction.atomic
def transfer_decline(*, request: TransferRequest, by) -> TransferRequest:
    """The sending county refuses: nothing moves; the request is closed."""
    request = _pending_request(request)
    retiree = request.retiree
    from_region = None
    if retiree is not None:
        from_region = retiree.branch.region if retiree.branch_id else retiree.person.region
    with _history(by):
        request.decide(status=TransferRequest.Status.DECLINED, by=by, from_region=from_region)
    return request


@transaction.atomic
def transfer_withdraw(*, request: TransferRequest, by) -> TransferRequest:
    """The requesting county takes its request back while it is pending."""
    request = _pending_request(request)
    with _history(by):
        request.decide(status=TransferRequest.Status.WITHDRAWN, by=by)
    return request


@transaction.atomic
def participation_add_many(*, branch, people, start_on, by, note: str = "") -> int:
    """Put many people into a temporary or functional branch at once (search and tick).

    Their home memberships stay as they are. People already taking part are skipped.
    Returns how many were added. Queries: one for those already in, one INSERT.
    """
    if branch.kind not in Participation.BRANCH_KINDS:
        raise ValidationError(_("只有临时党支部和功能性党支部可以添加参加人员；正式成员请办理组织关系。"))
    if start_on > timezone.localdate():
        raise ValidationError({"start_on": _("参加日期不能晚于今天。")})
    already = set(Participation.objects.filter(branch=branch, end_on__isnull=True).values_list("person_id", flat=True))
    rows = [
        Participation(person=person, branch=branch, start_on=start_on, note=note[:200])
        for person in people
        if person.pk not in already
    ]
    Participation.objects.bulk_create(rows)
    return len(rows)
