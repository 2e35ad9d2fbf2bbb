"""Writes of the volunteers app that touch several rows: each one transaction, keyword-only arguments."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import photos as photo_files
from core import access
from core.formatting import format_cn_date
from core.models import Person, Region
from core.validators import mask_id_number
from volunteers.models import (
    MAX_HOURS_PER_DAY,
    ServiceCertificate,
    ServiceHours,
    ServicePhoto,
    ServiceRecord,
    Team,
    TeamMembership,
    Volunteer,
    facts_digest,
)

NUMBER_WIDTH = 5
AUTO_NUMBER = re.compile(r"WL[0-9]+")


def _advisory_lock(*keys: str) -> None:
    """Serialise writers of the same sequence (a county's volunteer or certificate numbers) until commit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [":".join(keys)])


class VolunteerNumbers:
    """The next free numbers of counties (`WL00001`) for the registrations of one transaction.

    A county's first number takes its lock (held until commit) and asks for the highest number
    on file; the following ones count on from there, so a run of registrations (an import) asks
    once per county instead of once per volunteer. Tell it each number saved (`saved`) and each
    one changed away (`changed`) so it gives what asking again each time would.
    """

    def __init__(self):
        self._highest: dict[str, str | None] = {}

    def next(self, county_code: str) -> str:
        if county_code not in self._highest:
            _advisory_lock("volunteer-number", county_code)
            numbers = Volunteer.all_objects.filter(county_code=county_code, number__regex=r"^WL[0-9]+$")
            self._highest[county_code] = numbers.aggregate(n=Max("number"))["n"]
        highest = self._highest[county_code]
        following = int(highest[2:]) + 1 if highest else 1
        return f"WL{following:0{NUMBER_WIDTH}d}"

    def saved(self, county_code: str, number: str) -> None:
        if county_code in self._highest and AUTO_NUMBER.fullmatch(number):
            highest = self._highest[county_code]
            self._highest[county_code] = max(highest or number, number)  # as the database's MAX()

    def changed(self, county_code: str) -> None:
        """A volunteer's number was changed: the highest may be gone, ask again."""
        self._highest.pop(county_code, None)


@dataclass(frozen=True)
class NewPerson:
    """Who a registration is for when no Person is chosen: found by ID number, else created."""

    name: str
    id_number: str = ""
    gender: str = ""
    birth_date: object = None
    mobile: str = ""
    address: str = ""


def _person_for(new: NewPerson, region, checked: bool) -> Person:
    if new.id_number and not checked:
        existing = Person.all_objects.filter(id_number=new.id_number).first()
        if existing is not None:
            return existing  # one human, once: the same Person gains a volunteer role
    person = Person(
        name=new.name,
        id_number=new.id_number,
        gender=new.gender,
        birth_date=new.birth_date,
        mobile=new.mobile,
        address=new.address,
        region=region,
    )
    if checked:
        person.clean_checked()
    else:
        person.full_clean()
    person.save()
    return person


def volunteer_register(
    *,
    by,
    volunteer: Volunteer,
    new_person: NewPerson | None = None,
    checked: bool = False,
    numbers: VolunteerNumbers | None = None,
) -> Volunteer:
    """Register `volunteer` (its committee and details filled by the form) for its Person, or the
    Person found or created from `new_person`. Numbers it when no number is given.

    Raises ValidationError for a second registration in the same committee (also a database
    constraint) or a retiree record of another person.

    `checked`: the caller (an import) has checked in this transaction, for all its rows at once,
    what is otherwise asked here of the database: the committee is one `by` may register in,
    no Person has the new person's ID number, the number is free in the county and the person
    not registered in the committee yet. Those queries and the savepoints are left out (the
    database's constraints still guard them), so an error here must end the caller's
    transaction. `numbers` numbers the caller's run of registrations (see VolunteerNumbers).
    """
    with transaction.atomic(savepoint=not checked):
        committee = volunteer.committee
        if not checked and not access.can(by, access.CHANGE, committee) and not access.can(by, access.ADD, Volunteer):
            raise ValidationError(_("您无权在该关工委登记志愿者"))
        if new_person is not None:
            volunteer.person = _person_for(new_person, committee.region, checked)
        if volunteer.retiree_id and volunteer.retiree.person_id != volunteer.person_id:
            raise ValidationError({"retiree": _("离退休干部档案与登记人员不是同一人")})
        volunteer.region_id = committee.region_id
        volunteer.county_code = Region.county_code_of(committee.region_id)
        numbers = numbers or VolunteerNumbers()
        if not volunteer.number:
            volunteer.number = numbers.next(volunteer.county_code)
        if checked:
            volunteer.clean_checked()
        else:
            volunteer.full_clean()
        try:
            with transaction.atomic(savepoint=not checked):
                volunteer.save()
        except IntegrityError as error:  # a concurrent registration won the race
            raise ValidationError(_("此人已在本关工委登记为五老志愿者，或志愿者编号已被使用")) from error
        numbers.saved(volunteer.county_code, volunteer.number)
        return volunteer


@transaction.atomic
def volunteer_change_status(*, by, volunteer: Volunteer, status: str, on, reason: str = "") -> Volunteer:
    """Set a volunteer's status with its date and reason (paused, left, deceased, back to active)."""
    if on and on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天")})
    volunteer.lock_unchanged(volunteer.version)
    volunteer.status, volunteer.status_on, volunteer.status_reason = status, on, reason
    volunteer.full_clean()
    volunteer.save(update_fields=["status", "status_on", "status_reason", "updated_at"])
    return volunteer


# --- Teams ----------------------------------------------------------------------------------


@transaction.atomic
def team_add_members(*, by, team: Team, volunteers, joined_on) -> int:
    """Add current members (those already in the team are left as they are); returns how many joined."""
    current = set(team.memberships.current().values_list("volunteer_id", flat=True))
    rows = [TeamMembership(team=team, volunteer=v, joined_on=joined_on) for v in volunteers if v.pk not in current]
    for row in rows:
        if not row.volunteer.may_serve_on(joined_on):
            raise ValidationError(
                {"volunteers": _("%(name)s在该日期不在册，不能入队") % {"name": row.volunteer.person.name}}
            )
    TeamMembership.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def team_member_leave(*, by, membership: TeamMembership, left_on) -> TeamMembership:
    membership.left_on = left_on
    membership.full_clean()
    membership.save(update_fields=["left_on", "updated_at"])
    return membership


# --- Service records ------------------------------------------------------------------------


def _check_hours(record: ServiceRecord, hours: dict[Volunteer, Decimal]) -> None:
    """Each hour value in range, each volunteer in service that day, and at most 24 hours a day
    across records: the volunteers' rows are locked first (SELECT … FOR UPDATE, in pk order), so
    two records saved at once for the same person are checked one after the other."""
    errors = []
    if not hours:
        raise ValidationError({"volunteers": _("请至少勾选一名志愿者")})
    for volunteer, value in hours.items():
        if value is None or value <= 0 or value > MAX_HOURS_PER_DAY:
            errors.append(_("%(name)s的服务时长须大于0且不超过24小时") % {"name": volunteer.person.name})
        if volunteer.committee_id != record.committee_id:
            errors.append(_("%(name)s不是本关工委的志愿者") % {"name": volunteer.person.name})
        elif not volunteer.may_serve_on(record.served_on):
            errors.append(
                _("%(name)s在%(date)s不在册（未登记或已退出），不能勾选")
                % {"name": volunteer.person.name, "date": format_cn_date(record.served_on)}
            )
    if errors:
        raise ValidationError({"volunteers": errors})
    pks = sorted(v.pk for v in hours)
    list(Volunteer.all_objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk"))
    others = (
        ServiceHours.objects.filter(volunteer_id__in=pks, record__served_on=record.served_on)
        .filter(record__archived_at__isnull=True)
        .exclude(record__status=ServiceRecord.Status.RETURNED)
        .exclude(record_id=record.pk)
        .values("volunteer_id")
        .annotate(total=Sum("hours"))
    )
    already = {row["volunteer_id"]: row["total"] for row in others}
    for volunteer, value in hours.items():
        total = already.get(volunteer.pk, Decimal(0)) + value
        if total > MAX_HOURS_PER_DAY:
            errors.append(
                _("%(name)s在%(date)s已记录%(done)s小时，加上本次共%(total)s小时，超过每天24小时")
                % {
                    "name": volunteer.person.name,
                    "date": format_cn_date(record.served_on),
                    "done": already.get(volunteer.pk, 0),
                    "total": total,
                }
            )
    if errors:
        raise ValidationError({"volunteers": errors})


@transaction.atomic
def service_record_save(
    *, by, record: ServiceRecord, hours: dict[Volunteer, Decimal], photos=(), version: int | None = None
) -> ServiceRecord:
    """Save a new or corrected service record with one hours row per ticked volunteer.

    谁记录谁证明: whoever may confirm the committee's records (its director, the offices)
    confirms by recording; a team leader's record waits for confirmation. A correction of
    a confirmed record by someone who may not confirm sends it back to waiting.
    """
    if record.served_on and record.served_on > timezone.localdate():
        raise ValidationError({"served_on": _("服务日期不能晚于今天")})
    if record.team_id and record.team.committee_id not in (None, record.committee_id):
        raise ValidationError({"team": _("服务队不属于该关工委")})
    if record.pk:
        record.lock_unchanged(version or record.version)
    record.region_id = record.committee.region_id
    if not record.pk:
        record.recorded_by = by
    record.full_clean(exclude=["recorded_by"])
    prepared = [photo_files.prepare_photo(upload) for upload in photos]
    if len(prepared) + (record.photos.count() if record.pk else 0) > ServiceRecord.MAX_PHOTOS:
        raise ValidationError({"photos": _("每条服务记录最多10张照片")})
    record.status = ServiceRecord.Status.PENDING
    record.confirmed_by, record.confirmed_at, record.return_reason = None, None, ""
    record.save()
    _check_hours(record, hours)
    record.hours.all().delete()
    ServiceHours.objects.bulk_create(
        [ServiceHours(record=record, volunteer=volunteer, hours=value) for volunteer, value in hours.items()]
    )
    for content in prepared:
        ServicePhoto.objects.create(record=record, image=content)
    if access.rows(by, ServiceRecord, "confirm").filter(pk=record.pk).exists() and access.has_permission(
        by, "volunteers.confirm_servicerecord"
    ):
        _confirm(by, ServiceRecord.objects.filter(pk=record.pk))
        record.refresh_from_db()
    return record


def _confirm(by, records) -> int:
    return records.update(
        status=ServiceRecord.Status.CONFIRMED, confirmed_by=by, confirmed_at=timezone.now(), return_reason=""
    )


def _confirmable(by, records):
    allowed = access.rows(by, ServiceRecord.objects.filter(pk__in=[r.pk for r in records]), "confirm")
    if len({r.pk for r in records}) != allowed.count() or not access.has_permission(
        by, "volunteers.confirm_servicerecord"
    ):
        raise ValidationError(_("所选记录中有您无权确认的记录"))
    return allowed.exclude(status=ServiceRecord.Status.CONFIRMED).select_for_update()


@transaction.atomic
def service_records_confirm(*, by, records) -> int:
    """Confirm waiting (or returned and corrected) records, one or many; returns how many changed."""
    rows = _confirmable(by, records)
    list(rows.values_list("pk"))  # lock them
    return _confirm(by, rows)


@transaction.atomic
def service_records_return(*, by, records, reason: str) -> int:
    """Send records back to who recorded them, with the reason; their hours stop counting."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回原因")})
    rows = _confirmable(by, records)
    list(rows.values_list("pk"))
    return rows.update(status=ServiceRecord.Status.RETURNED, return_reason=reason, confirmed_by=None, confirmed_at=None)


# --- Certificates ---------------------------------------------------------------------------


def next_certificate_number(county_code: str, year: int) -> str:
    """`ZYFW-511102-2026-00001`: numbered per county and year (call inside a transaction)."""
    _advisory_lock("certificate-number", county_code, str(year))
    prefix = f"ZYFW-{county_code[:6]}-{year}-"
    highest = ServiceCertificate.all_objects.filter(number__startswith=prefix).aggregate(n=Max("number"))["n"]
    following = int(highest.rsplit("-", 1)[1]) + 1 if highest else 1
    return f"{prefix}{following:0{NUMBER_WIDTH}d}"


def certificate_facts(volunteer: Volunteer, period_start, period_end, **issuer) -> dict:
    """What a certificate states, from the confirmed service of the period (two queries)."""
    rows = list(
        ServiceHours.objects.confirmed()
        .filter(volunteer=volunteer, record__served_on__range=(period_start, period_end))
        .select_related("record")
        .order_by("record__served_on", "record_id")
    )
    total = sum((row.hours for row in rows), Decimal(0))
    person = volunteer.person
    return {
        "name": person.name,
        "id_type": _("居民身份证") if person.id_number else "",
        "id_number": mask_id_number(person.id_number) if person.id_number else "",
        "volunteer_number": volunteer.number,
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "total_hours": str(total),
        "services": [
            {"date": row.record.served_on.isoformat(), "kind": row.record.get_kind_display(), "hours": str(row.hours)}
            for row in rows
        ],
        **issuer,
    }


@transaction.atomic
def certificate_issue(
    *, by, volunteer: Volunteer, period_start, period_end, person_in_charge: str, handler: str, contact: str
) -> ServiceCertificate:
    """Issue a numbered certificate of the volunteer's confirmed hours in a period; its facts are frozen."""
    today = timezone.localdate()
    if period_end < period_start:
        raise ValidationError({"period_end": _("截止日期不能早于起始日期")})
    if period_end > today:
        raise ValidationError({"period_end": _("截止日期不能晚于今天")})
    committee = volunteer.committee
    number = next_certificate_number(volunteer.county_code, today.year)
    facts = certificate_facts(
        volunteer,
        period_start,
        period_end,
        number=number,
        organisation=committee.name,
        person_in_charge=person_in_charge,
        handler=handler,
        contact=contact,
        issued_on=today.isoformat(),
    )
    certificate = ServiceCertificate(
        number=number,
        volunteer=volunteer,
        committee=committee,
        region_id=committee.region_id,
        period_start=period_start,
        period_end=period_end,
        total_hours=Decimal(facts["total_hours"]),
        person_in_charge=person_in_charge,
        handler=handler,
        contact=contact,
        issued_on=today,
        issued_by=by,
        facts=facts,
        facts_hash=facts_digest(facts),
    )
    certificate.full_clean()
    certificate.save()
    return certificate


@transaction.atomic
def certificate_reissue(*, by, certificate: ServiceCertificate) -> ServiceCertificate:
    """补发: the same number and frozen facts, marked as a reissue with its date."""
    certificate.lock_unchanged(certificate.version)
    certificate.reissue_count += 1
    certificate.reissued_on = timezone.localdate()
    certificate.save(update_fields=["reissue_count", "reissued_on", "updated_at"])
    return certificate
