"""Writes of the aid app: registering a child, a case's status flow, pairings, disbursements
(with month closing and reversals), drive payouts, and the access log of children's data.

    registered --verify (town)--> verified --approve (county)--> approved --pairing/activate--> active
    active --pairing ended, sponsor left--> waiting --new pairing/activate--> active
    any open status --close (with a reason)--> closed --reopen (with a reason)--> registered

Every function is one transaction, takes keyword arguments only, and raises a Chinese
`ValidationError` when the step is not allowed now, or `PermissionDenied` when this user
may not take it (asked of `core.access`: `verify`, `approve`, `change`). A refused step
changes nothing.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aid_cases.models import (
    AidCase,
    CaseEvent,
    CaseStatus,
    Child,
    ChildAccessLog,
    Consent,
    Disbursement,
    DisbursementItem,
    Drive,
    Guardian,
    MonthClosing,
    Pairing,
    PairingPause,
    PairingSupport,
    Payout,
    first_of_month,
)
from core import access, audit
from core.models import AuditEntry, Person
from core.security import current_request

Status = CaseStatus


# --- The access log ---------------------------------------------------------------------------


# The children's access log and core's audit trail record the same reads, each in its own words.
_AUDIT_KINDS = {
    ChildAccessLog.Kind.VIEW: AuditEntry.Kind.VIEW_PERSONAL,
    ChildAccessLog.Kind.EXPORT: AuditEntry.Kind.EXPORT,
    ChildAccessLog.Kind.ID_NUMBER: AuditEntry.Kind.REVEAL_ID,
}


def _audit_detail(kind: str, filters, row_count) -> dict:
    return {"filters": filters or {}, "rows": row_count} if kind == ChildAccessLog.Kind.EXPORT else {}


def log_child_access(*, user, kind: str, child: Child | None = None, filters=None, row_count=None, reason="") -> None:
    """One row of ChildAccessLog and one audit entry (two INSERTs). Called by every view that shows or
    exports children's data; the audit entry names the record 受助儿童, never the child."""
    ChildAccessLog.objects.create(
        user=user, kind=kind, child=child, filters=filters or {}, row_count=row_count, reason=reason
    )
    audit.record(
        current_request(),
        _AUDIT_KINDS[kind],
        user=user,
        target=child,
        target_label="" if child is not None else _("受助儿童"),  # a child's own label is 受助儿童 too
        reason=reason,
        detail=_audit_detail(kind, filters, row_count),
    )


def log_children_viewed(*, user, children) -> None:
    """A page that names several children (a care visit): one view of each, in two INSERTs."""
    children = list(children)
    ChildAccessLog.objects.bulk_create(
        ChildAccessLog(user=user, kind=ChildAccessLog.Kind.VIEW, child=c) for c in children
    )
    request = current_request()
    audit.record_many(
        request, AuditEntry.Kind.VIEW_PERSONAL, user=user, targets=children, detail=_audit_detail("view", None, None)
    )


@transaction.atomic
def child_reveal_id_number(*, child: Child, by, reason: str) -> str:
    """The child's whole ID number, for a user holding the permission who states why; logged."""
    reason = (reason or "").strip()
    access.require_reveal_id_number(by, child)
    if len(reason) < 4:
        raise ValidationError({"reason": _("请说明查看完整身份证号的理由（至少4个字）")})
    log_child_access(user=by, kind=ChildAccessLog.Kind.ID_NUMBER, child=child, reason=reason[:200])
    return child.person.id_number


# --- Registering a child ----------------------------------------------------------------------


@dataclass
class GuardianData:
    relation: str
    name: str = ""
    person: Person | None = None
    phone: str = ""


@transaction.atomic
def child_register(
    *,
    by,
    person: Person,
    child: Child,
    guardian: GuardianData | None = None,
    consent: Consent | None = None,
) -> Child:
    """Save a new child: the Person, the Child, the first guardian and the consent, or none of them.

    `person` and `child` are unsaved instances (from the registration form). The child
    must lie in the user's scope: else PermissionDenied and nothing is kept.
    """
    access.require(by, "add", Child)
    person.full_clean()
    person.save()
    child.person = person
    child.full_clean()
    child.save()
    if guardian is not None:
        row = Guardian(
            child=child, relation=guardian.relation, name=guardian.name, person=guardian.person, phone=guardian.phone
        )
        row.full_clean()
        row.save()
    if consent is not None:
        consent.child = child
        consent.full_clean()
        consent.save()
    if not access.rows(by, Child, access.CHANGE).filter(pk=child.pk).exists():
        raise PermissionDenied  # the transaction takes everything back
    return child


# --- The status flow of a case ----------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    label: str
    sources: tuple[str, ...]
    target: str
    access_action: str  # the core.access action that decides who may take it


TRANSITIONS: dict[str, Transition] = {
    "verify": Transition(gettext_lazy("乡镇核实"), (Status.REGISTERED,), Status.VERIFIED, "verify"),
    "approve": Transition(gettext_lazy("县级审批"), (Status.VERIFIED,), Status.APPROVED, "approve"),
    "activate": Transition(gettext_lazy("开始帮扶"), (Status.APPROVED, Status.WAITING), Status.ACTIVE, "change"),
    "close": Transition(
        gettext_lazy("结案"),
        (Status.REGISTERED, Status.VERIFIED, Status.APPROVED, Status.ACTIVE, Status.WAITING),
        Status.CLOSED,
        "change",
    ),
    "reopen": Transition(gettext_lazy("重新开启"), (Status.CLOSED,), Status.REGISTERED, "change"),
}


def transitions_for(user, case: AidCase) -> list[tuple[str, Transition]]:
    """The steps this user may take on the case now (for its page's buttons)."""
    return [
        (name, t)
        for name, t in TRANSITIONS.items()
        if case.status in t.sources and not case.is_archived and access.can(user, t.access_action, case)
    ]


def _event(case, *, action, from_status, by, on, comment=""):
    CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=from_status,
        to_status=case.status,
        happened_on=on,
        by=by,
        comment=comment,
    )


def _set_status(case: AidCase, status: str, **fields) -> None:
    case.status = status
    case.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(case, name, value)
    case.save(update_fields=["status", "status_changed_at", "updated_at", *fields])


@transaction.atomic
def case_transition(
    *,
    case: AidCase,
    action: str,
    by,
    on: dt.date | None = None,
    comment: str = "",
    close_reason: str = "",
    outcome: str = "",
) -> AidCase:
    """Take one step of the case's status flow and add it to the timeline.

    PermissionDenied when the user's role or scope does not allow this step (the
    `verify` / `approve` / `change` rules of AidCaseQuerySet); ValidationError when the
    case is not in a status the step starts from, a close has no reason, a reopen no
    comment, or the approver is the one who verified. The row is locked first, so two
    people approving at once take one step between them.
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(_("未知的操作"))
    access.require(by, transition.access_action, case)
    case = AidCase.objects.select_for_update().get(pk=case.pk)
    on = on or timezone.localdate()
    comment = (comment or "").strip()
    if case.status not in transition.sources:
        raise ValidationError(
            _("个案当前状态为“%(status)s”，不能%(action)s。")
            % {"status": case.get_status_display(), "action": transition.label}
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天")})
    if on < case.registered_on:
        raise ValidationError({"on": _("日期不能早于登记日期")})
    before = case.status
    if action == "verify":
        _set_status(case, transition.target, verified_by=by)
    elif action == "approve":
        if case.verified_by_id == by.pk:
            raise ValidationError(_("核实和审批须由不同人员完成：您已核实过这一个案。"))
        _set_status(case, transition.target)
    elif action == "close":
        if close_reason not in AidCase.CloseReason.values:
            raise ValidationError({"close_reason": _("请选择结案原因")})
        _set_status(case, transition.target, close_reason=close_reason, closed_on=on, outcome=outcome or case.outcome)
    elif action == "reopen":
        if not comment:
            raise ValidationError({"comment": _("请说明重新开启的原因")})
        _set_status(case, transition.target, close_reason="", closed_on=None, verified_by=None)
    else:
        _set_status(case, transition.target)
    _event(case, action=action, from_status=before, by=by, on=on, comment=comment)
    return case


@transaction.atomic
def case_open(*, case: AidCase, by) -> AidCase:
    """Register a new case (from its form): saved, in the user's scope, first timeline row."""
    access.require(by, "add", AidCase)
    case.status = Status.REGISTERED
    case.full_clean()
    case.save()
    if not access.rows(by, AidCase, access.CHANGE).filter(pk=case.pk).exists():
        raise PermissionDenied
    _event(case, action="register", from_status="", by=by, on=case.registered_on)
    return case


# --- Pairings ---------------------------------------------------------------------------------


@dataclass
class SupportData:
    label: str
    amount: Decimal
    months: list[int]


@transaction.atomic
def pairing_create(
    *,
    case: AidCase,
    sponsor,
    monthly_amount: Decimal,
    start_on: dt.date,
    planned_end_on: dt.date | None = None,
    end_condition: str = "",
    supports: list[SupportData] = (),
    by,
) -> Pairing:
    """Pair a sponsor with an approved case; the case becomes active (a timeline row says so)."""
    access.require(by, "add", Pairing)
    access.require(by, "change", case)
    case = AidCase.objects.select_for_update().get(pk=case.pk)
    if case.status not in (Status.APPROVED, Status.ACTIVE, Status.WAITING):
        raise ValidationError(
            _("个案须经县级审批后才能结对资助（当前状态：%(status)s）。") % {"status": case.get_status_display()}
        )
    if not planned_end_on and not end_condition.strip():
        raise ValidationError({"planned_end_on": _("请填写计划结束日期或结束条件（如：直至完成学业）")})
    pairing = Pairing(
        case=case,
        sponsor=sponsor,
        monthly_amount=monthly_amount,
        start_on=start_on,
        planned_end_on=planned_end_on,
        end_condition=end_condition.strip(),
    )
    pairing.full_clean()
    pairing.save()
    for support in supports:
        row = PairingSupport(pairing=pairing, label=support.label, amount=support.amount, months=support.months)
        row.full_clean()
        row.save()
    if case.status != Status.ACTIVE:
        before = case.status
        _set_status(case, Status.ACTIVE)
        _event(
            case,
            action="pairing",
            from_status=before,
            by=by,
            on=min(start_on, timezone.localdate()),
            comment=_("与%(sponsor)s结对资助") % {"sponsor": sponsor.name},
        )
    return pairing


def _lock_pairing(pairing: Pairing, by) -> Pairing:
    access.require(by, "change", pairing)
    return Pairing.objects.select_for_update().get(pk=pairing.pk)


@transaction.atomic
def pairing_pause(*, pairing: Pairing, from_month: dt.date, reason: str, by) -> PairingPause:
    """Pause from a month on: no money is due until it resumes. The pause is kept as a row."""
    pairing = _lock_pairing(pairing, by)
    if pairing.status != Pairing.Status.ACTIVE:
        raise ValidationError(_("只有资助中的结对可以暂停。"))
    from_month = first_of_month(from_month)
    if from_month < first_of_month(pairing.start_on):
        raise ValidationError({"from_month": _("暂停月份不能早于结对开始月份")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写暂停原因")})
    pause = PairingPause.objects.create(pairing=pairing, from_month=from_month, reason=reason.strip(), by=by)
    pairing.status = Pairing.Status.PAUSED
    pairing.save(update_fields=["status", "updated_at"])
    return pause


@transaction.atomic
def pairing_resume(*, pairing: Pairing, month: dt.date, by) -> Pairing:
    """Resume from a month on (money is due again from that month)."""
    pairing = _lock_pairing(pairing, by)
    pause = pairing.pauses.filter(resumed_month__isnull=True).first()
    if pairing.status != Pairing.Status.PAUSED or pause is None:
        raise ValidationError(_("这一结对没有暂停。"))
    month = first_of_month(month)
    if month <= pause.from_month:
        raise ValidationError(
            {"month": _("恢复月份须晚于暂停起始月份（%(month)s）") % {"month": f"{pause.from_month:%Y-%m}"}}
        )
    pause.resumed_month = month
    pause.save(update_fields=["resumed_month"])
    pairing.status = Pairing.Status.ACTIVE
    pairing.save(update_fields=["status", "updated_at"])
    return pairing


@transaction.atomic
def pairing_end(*, pairing: Pairing, ended_on: dt.date, reason: str, by) -> Pairing:
    """End a pairing. The reason decides the case: closed (completed studies, moved, no longer
    eligible) or waiting for a new sponsor (the sponsor withdrew) unless another pairing still runs."""
    pairing = _lock_pairing(pairing, by)
    if pairing.status == Pairing.Status.ENDED:
        raise ValidationError(_("这一结对已结束。"))
    if reason not in Pairing.EndReason.values:
        raise ValidationError({"reason": _("请选择结束原因")})
    if ended_on < pairing.start_on:
        raise ValidationError({"ended_on": _("结束日期不能早于开始日期")})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("日期不能晚于今天")})
    # An open pause stays open: the months after it owed nothing, and the end month bounds it.
    pairing.status = Pairing.Status.ENDED
    pairing.ended_on = ended_on
    pairing.end_reason = reason
    pairing.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
    case = AidCase.objects.select_for_update().get(pk=pairing.case_id)
    others_running = case.pairings.exclude(pk=pairing.pk).exclude(status=Pairing.Status.ENDED).exists()
    close_reason = Pairing.EndReason(reason).closes_case_with()
    comment = _("结对结束：%(reason)s") % {"reason": Pairing.EndReason(reason).label}
    if case.status == Status.ACTIVE and not others_running:
        before = case.status
        if close_reason:
            _set_status(case, Status.CLOSED, close_reason=close_reason, closed_on=ended_on)
        else:
            _set_status(case, Status.WAITING)
        _event(case, action="pairing_end", from_status=before, by=by, on=ended_on, comment=comment)
    return pairing


# --- Disbursements ----------------------------------------------------------------------------


def month_is_closed(committee_id: int, day: dt.date) -> bool:
    return MonthClosing.objects.filter(committee_id=committee_id, month=first_of_month(day)).exists()


@dataclass
class ItemData:
    description: str
    quantity: int
    value: Decimal


@transaction.atomic
def disbursement_record(
    *,
    case: AidCase,
    by,
    paid_on: dt.date,
    amount: Decimal = Decimal("0"),
    items: list[ItemData] = (),
    pairing: Pairing | None = None,
    for_month: dt.date | None = None,
    handed_over_by: Person | None = None,
    present: str = "",
    receipt=None,
    note: str = "",
) -> Disbursement:
    """Record cash and/or goods handed to the child of a case, in an open month.

    `for_month` is the pairing's month it pays (default: the month of `paid_on`); a pairing
    must be the case's own, and the month inside its period. `receipt` is a prepared file
    (`branches.photos.prepare_photo` / `attachment_file`: the shared upload checks).
    """
    access.require(by, "add", Disbursement)
    access.require(by, "change", case)
    errors = {}
    if case.status == Status.CLOSED:
        errors["__all__"] = _("个案已结案，不能再登记发放。")
    if paid_on > timezone.localdate():
        errors["paid_on"] = _("发放日期不能晚于今天")
    elif month_is_closed(case.committee_id, paid_on):
        errors["paid_on"] = _("%(month)s已月结，不能再登记这个月的发放；请按本月日期登记。") % {
            "month": f"{paid_on:%Y年%m月}"
        }
    items = [item for item in items if item.description]
    if amount < 0 or any(item.value < 0 or item.quantity <= 0 for item in items):
        errors["amount"] = _("金额和数量须大于0")
    elif amount == 0 and not items:
        errors["amount"] = _("请填写现金金额或发放的物品")
    for_month = first_of_month(for_month or paid_on)
    if pairing is not None:
        if pairing.case_id != case.pk:
            errors["pairing"] = _("所选结对不属于这一个案")
        elif for_month < first_of_month(pairing.start_on) or (
            pairing.ended_on and for_month > first_of_month(pairing.ended_on)
        ):
            errors["for_month"] = _("所属月份不在结对期间内")
    if errors:
        raise ValidationError(errors)
    disbursement = Disbursement(
        case=case,
        pairing=pairing,
        paid_on=paid_on,
        for_month=for_month,
        amount=amount,
        goods_value=sum((item.value for item in items), Decimal("0")),
        handed_over_by=handed_over_by,
        present=present,
        note=note,
        recorded_by=by,
    )
    if receipt is not None:
        disbursement.receipt.save(receipt.name, receipt, save=False)
    disbursement.save()
    DisbursementItem.objects.bulk_create(
        DisbursementItem(disbursement=disbursement, description=i.description, quantity=i.quantity, value=i.value)
        for i in items
    )
    return disbursement


@transaction.atomic
def disbursement_reverse(*, original: Disbursement, by, on: dt.date | None = None, reason: str) -> Disbursement:
    """Cancel a disbursement with a reversing entry dated in an open month: every amount negated,
    linked to the original; both stay on the case's page and in every sum (which nets to zero)."""
    access.require(by, "reverse", original)
    original = Disbursement.objects.select_for_update().get(pk=original.pk)
    on = on or timezone.localdate()
    if original.is_reversal:
        raise ValidationError(_("冲销记录本身不能再冲销。"))
    if Disbursement.all_objects.filter(reverses=original).exists():
        raise ValidationError(_("这笔发放已冲销过。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写冲销原因")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天")})
    if month_is_closed(original.case.committee_id, on):
        raise ValidationError({"on": _("%(month)s已月结，请按本月日期冲销。") % {"month": f"{on:%Y年%m月}"}})
    reversal = Disbursement.objects.create(
        case=original.case,
        pairing=original.pairing,
        paid_on=on,
        for_month=original.for_month,
        amount=-original.amount,
        goods_value=-original.goods_value,
        reverses=original,
        note=(_("冲销：") + reason.strip())[:200],
        recorded_by=by,
    )
    DisbursementItem.objects.bulk_create(
        DisbursementItem(disbursement=reversal, description=i.description, quantity=-i.quantity, value=-i.value)
        for i in original.items.all()
    )
    return reversal


@transaction.atomic
def month_close(*, committee, month: dt.date, by) -> MonthClosing:
    """Close a past month of a committee's disbursements (nothing dated in it is added afterwards)."""
    access.require(by, "change", committee)
    access.require(by, "add", Disbursement)
    month = first_of_month(month)
    if month >= first_of_month(timezone.localdate()):
        raise ValidationError({"month": _("只能结已经过去的月份")})
    if MonthClosing.objects.filter(committee=committee, month=month).exists():
        raise ValidationError({"month": _("%(month)s已经月结") % {"month": f"{month:%Y年%m月}"}})
    return MonthClosing.objects.create(committee=committee, month=month, closed_by=by)


# --- Drives -----------------------------------------------------------------------------------


@transaction.atomic
def payout_record(*, drive: Drive, by, paid_on: dt.date, payee: str, purpose: str, amount: Decimal) -> Payout:
    """Pay money out of a drive; never more than the cash it holds (the drive row is locked while checking)."""
    access.require(by, "add", Payout)
    access.require(by, "change", drive)
    from aid_cases.selectors import drive_totals

    drive = Drive.objects.select_for_update().get(pk=drive.pk)
    balance = drive_totals(drive)["balance"]
    if amount > balance:
        raise ValidationError({"amount": _("支出金额超过募捐余额（%(balance)s元）") % {"balance": balance}})
    if paid_on < drive.launched_on:
        raise ValidationError({"paid_on": _("支出日期不能早于发起日期")})
    payout = Payout(drive=drive, paid_on=paid_on, payee=payee, purpose=purpose, amount=amount)
    payout.full_clean()
    payout.save()
    return payout
