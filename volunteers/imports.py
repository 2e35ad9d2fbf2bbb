"""Importing a committee's five-elders roster and its service records from Excel (core.imports
does the reading, the preview, the jobs and the error sheet).

Volunteers are matched on their ID number: a Person already on file is reused (and linked
to their Retiree record when they are one), a volunteer already registered in the row's
committee is updated or left unchanged, so importing the same file twice changes nothing.
Service records are matched to the volunteers the user may record service for, and a row
whose volunteer already has a record of that kind on that day is not recorded again.
Each kind checks the whole file with a fixed number of queries whatever its length, and
saves through volunteers.services (the rules of the registration and service forms).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pghistory
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Retiree, YouthCareCommittee
from core import access
from core.formatting import format_cn_date
from core.imports import NEW, UNCHANGED, UPDATE, ImportColumn, ImportKind, Row
from core.models import Person, Region
from core.validators import parse_id_number
from volunteers import services
from volunteers.forms import registrable_committees
from volunteers.models import MAX_HOURS_PER_DAY, ServiceHours, ServiceRecord, Volunteer, recording_committees
from volunteers.selectors import FIT_LABEL, NOT_FIT_LABEL

FIT, UNFIT = "fit", "unfit"
# What people type between several specialties in one cell.
SEPARATORS = re.compile(r"[、,，;；/\s]+")


def _committee_choices(user):
    """The committees the user may register volunteers in, by name (the template's drop-down)."""
    names = registrable_committees(user).order_by("pinyin").values_list("name", flat=True)
    return [(name, name) for name in names.distinct()[:5000]]


def _specialties_help() -> str:
    labels = "、".join(str(label) for _value, label in Volunteer.Specialty.choices)
    return _("可填多项，用顿号分隔。可选：%(labels)s；其他内容记入专长说明") % {"labels": labels}


def _in_choice_order(specialties) -> list[str]:
    return [value for value in Volunteer.Specialty.values if value in specialties]


def _committees_named(names, queryset) -> dict[str, list[YouthCareCommittee]]:
    found: dict[str, list[YouthCareCommittee]] = {}
    for committee in queryset.filter(name__in=names):
        found.setdefault(committee.name, []).append(committee)
    return found


def _one_committee(row: Row, found: list[YouthCareCommittee]) -> YouthCareCommittee | None:
    name = row.values["committee"]
    if not found:
        # The same words inside and outside the scope: nothing about other counties is revealed.
        row.error("committee", _("在您负责的范围内没有名为“%(name)s”的关工委") % {"name": name})
        return None
    if len(found) > 1:
        row.error(
            "committee",
            _("有%(count)s个同名关工委，无法确定是哪一个，请联系系统管理员区分关工委名称") % {"count": len(found)},
        )
        return None
    return found[0]


# --- Volunteers -------------------------------------------------------------------------------

# The fields of Volunteer every row states (an empty cell clears them, as the retiree import does).
STATED_FIELDS = ("category", "former_unit", "profession", "specialties", "specialty_note", "fit_for_field_work")
# Fields changed only when the cell is filled in.
GIVEN_FIELDS = ("number", "registered_on", "status", "status_on")


@dataclass
class Registration:
    """What a volunteer row matched: its committee, the Person on file and their registration there."""

    committee: YouthCareCommittee
    person: Person | None = None
    volunteer: Volunteer | None = None
    retiree: Retiree | None = None
    person_changes: dict = field(default_factory=dict)
    numbers: services.VolunteerNumbers | None = None  # the file's, shared by its rows


class VolunteerImport(ImportKind):
    name = "volunteers"
    title = gettext_lazy("五老志愿者")
    model = Volunteer
    key = "id_number"
    columns = (
        ImportColumn("name", gettext_lazy("姓名"), required=True, example="张三"),
        ImportColumn(
            "id_number",
            gettext_lazy("身份证号"),
            kind="id_number",
            required=True,
            example="433127194805060015",
            help=gettext_lazy("18位，最后一位可以是X；已有人员档案的按身份证号关联，不重复建档"),
        ),
        ImportColumn("mobile", gettext_lazy("联系电话"), kind="phone", example="13812345678"),
        ImportColumn("address", gettext_lazy("住址"), example="灵溪镇人民路1号"),
        ImportColumn(
            "committee",
            gettext_lazy("所属关工委"),
            kind="lookup",
            required=True,
            choices=_committee_choices,
            help=gettext_lazy("关工委全称，须是您负责的关工委"),
        ),
        ImportColumn(
            "category",
            gettext_lazy("类别"),
            kind="choice",
            required=True,
            choices=tuple(Volunteer.Category.choices),
            example=str(Volunteer.Category.TEACHER.label),
        ),
        ImportColumn("former_unit", gettext_lazy("原工作单位"), example="县第一中学"),
        ImportColumn("profession", gettext_lazy("原职务/专业"), example="数学教师"),
        ImportColumn("specialties", gettext_lazy("特长"), example="教育、书画", help=lazy(_specialties_help, str)()),
        ImportColumn(
            "health",
            gettext_lazy("健康状况/能否外出"),
            kind="choice",
            choices=((FIT, FIT_LABEL), (UNFIT, NOT_FIT_LABEL)),
            default=FIT,
            example=str(FIT_LABEL),
        ),
        ImportColumn(
            "registered_on",
            gettext_lazy("登记日期"),
            kind="date",
            past=True,
            example="2024-01-10",
            help=gettext_lazy("不填则为导入当天"),
        ),
        ImportColumn("number", gettext_lazy("志愿者编号"), help=gettext_lazy("县（区）内唯一；不填由系统自动编号")),
        ImportColumn(
            "status",
            gettext_lazy("状态"),
            kind="choice",
            choices=tuple(Volunteer.Status.choices),
            help=gettext_lazy("不填为“在册服务”"),
        ),
        ImportColumn(
            "status_on",
            gettext_lazy("状态变更日期"),
            kind="date",
            past=True,
            help=gettext_lazy("已退出或已故须填写"),
        ),
    )

    def check(self, *, user, rows: list[Row]) -> None:
        """Match committees, people, their registrations and the numbers of the whole file: seven queries."""
        specialties = {str(label): value for value, label in Volunteer.Specialty.choices}  # label -> value, once a file
        for row in rows:
            self._parse_details(row, specialties)
        committees = _committees_named(
            {row.values["committee"] for row in rows}, registrable_committees(user).select_related("region")
        )
        ids = [row.values["id_number"] for row in rows]
        people = {
            person.id_number: person
            for person in Person.all_objects.filter(id_number__in=ids).select_related("retiree")
        }
        on_file = Person.all_objects.filter(id_number__in=ids)
        readable = set(access.readable(user, on_file).values_list("pk", flat=True))
        changeable = set(access.rows(user, on_file, access.CHANGE).values_list("pk", flat=True))
        # People registered without an ID number who may be the same person (same name and birth date).
        namesakes = set(
            access.readable(user, Person.objects)
            .filter(id_number="", name__in={row.values["name"] for row in rows})
            .values_list("name", "birth_date")
            .distinct()
        )
        registrations: dict[int, list[Volunteer]] = {}
        for volunteer in Volunteer.all_objects.filter(person__id_number__in=ids).select_related("committee"):
            registrations.setdefault(volunteer.person_id, []).append(volunteer)
        numbers = {row.values["number"] for row in rows if row.values["number"]}
        taken = dict(
            ((county, number), pk)
            for county, number, pk in Volunteer.all_objects.filter(number__in=numbers).values_list(
                "county_code", "number", "pk"
            )
        )
        in_file: dict[tuple[str, str], list[Row]] = {}
        numbers = services.VolunteerNumbers()
        for row in rows:
            committee = _one_committee(row, committees.get(row.values["committee"], []))
            person = people.get(row.values["id_number"])
            self._check_row(row, committee, person, readable, changeable, namesakes, registrations)
            if row.target is not None:
                row.target.numbers = numbers
            if committee is not None and row.values["number"]:
                county = Region.county_code_of(committee.region_id)
                mine = row.target.volunteer.pk if row.target and row.target.volunteer else None
                if taken.get((county, row.values["number"]), mine) != mine:
                    row.error("number", _("该志愿者编号在本县（区）已被使用"))
                in_file.setdefault((county, row.values["number"]), []).append(row)
        for same in in_file.values():
            for row in same if len(same) > 1 else ():
                others = "、".join(str(other.number) for other in same if other is not row)
                row.error("number", _("志愿者编号与本文件第%(rows)s行重复") % {"rows": others})

    @staticmethod
    def _parse_details(row: Row, labels: dict[str, str]) -> None:
        """Cells that need more than core's parsing: the specialties, health, the status's date."""
        values = row.values
        words = [word for word in SEPARATORS.split(values.pop("specialties")) if word]
        values["specialties"] = _in_choice_order({labels[word] for word in words if word in labels})
        values["specialty_note"] = "、".join(word for word in words if word not in labels)[:200]
        values["fit_for_field_work"] = values.pop("health") != UNFIT
        if values["status"] in Volunteer.Status.ended() and not values["status_on"]:
            row.error("status_on", _("已退出或已故须填写状态变更日期"))
        if values["status_on"] and not values["status"]:
            row.error("status", _("填写了状态变更日期，请同时填写状态"))
        if values["status_on"] and values["registered_on"] and values["status_on"] < values["registered_on"]:
            row.error("status_on", _("状态变更日期不能早于登记日期"))

    def _check_row(self, row, committee, person, readable, changeable, namesakes, registrations) -> None:
        values = row.values
        if person is None:
            birth = parse_id_number(values["id_number"]).birth_date
            if (values["name"], birth) in namesakes:
                row.error(
                    "name",
                    _("已有同名、同出生日期但未填身份证号的人员，可能是同一人：请先在人员页面为其补填身份证号，再导入"),
                )
            row.status = NEW
            row.target = Registration(committee=committee) if committee else None
            return
        if person.name != values["name"]:
            if person.pk in readable:
                row.error("name", _("该身份证号已登记为“%(name)s”，请核对姓名和身份证号") % {"name": person.name})
            else:
                row.error("name", _("姓名与该身份证号已登记的人员不一致，请核对姓名和身份证号"))
            return
        if person.is_archived:
            row.error("id_number", _("该身份证号的人员档案已归档，请先在人员页面恢复"))
            return
        if committee is None:
            return
        retiree = getattr(person, "retiree", None)
        if retiree is not None and retiree.is_archived:
            retiree = None
        mine = registrations.get(person.pk, [])
        volunteer = next((v for v in mine if v.committee_id == committee.pk), None)
        target = Registration(committee=committee, person=person, volunteer=volunteer, retiree=retiree)
        if person.pk in changeable:
            target.person_changes = {
                name: values[name]
                for name in ("mobile", "address")
                if values[name] and values[name] != getattr(person, name)
            }
        row.target = target
        person_labels = [str(Person._meta.get_field(name).verbose_name) for name in target.person_changes]
        if volunteer is None:
            row.status = NEW
            county = Region.county_code_of(committee.region_id)
            elsewhere = [v for v in mine if v.county_code == county and not v.is_archived]
            if elsewhere:
                places = "、".join(f"{v.committee.name}（{v.number}）" for v in elsewhere)
                row.changes.append(_("此人已在%(places)s登记为志愿者，将在本关工委再登记") % {"places": places})
            if retiree is not None:
                row.changes.append(_("关联离退休干部档案"))
            row.changes += person_labels
            return
        if volunteer.is_archived:
            row.error("id_number", _("此人在本关工委的志愿者档案已归档，请先恢复"))
            return
        stored = {name: getattr(volunteer, name) for name in STATED_FIELDS}
        stored["specialties"] = _in_choice_order(volunteer.specialties)  # the order ticked is no change
        changed = [name for name in STATED_FIELDS if stored[name] != values[name]]
        changed += [name for name in GIVEN_FIELDS if values[name] and getattr(volunteer, name) != values[name]]
        if retiree is not None and volunteer.retiree_id is None:
            changed.append("retiree")
        row.changes = [str(Volunteer._meta.get_field(name).verbose_name) for name in changed] + person_labels
        row.status = UPDATE if row.changes else UNCHANGED

    def save(self, *, user, row: Row) -> None:
        values, target = row.values, row.target
        with pghistory.context(user=user.pk):
            if target.person is not None and target.person_changes:
                person = target.person
                for name, value in target.person_changes.items():
                    setattr(person, name, value)
                person.clean_checked()
                person.save(update_fields=[*target.person_changes, "updated_at"])
            if target.volunteer is None:
                self._register(user, values, target)
            else:
                self._update(user, values, target)

    @staticmethod
    def _register(user, values: dict, target: Registration) -> None:
        volunteer = Volunteer(
            committee=target.committee,
            retiree=target.retiree,
            registered_on=values["registered_on"] or timezone.localdate(),
            number=values["number"],
            status=values["status"] or Volunteer.Status.ACTIVE,
            status_on=values["status_on"],
            **{name: values[name] for name in STATED_FIELDS},
        )
        new_person = None
        if target.person is not None:
            volunteer.person = target.person
        else:
            new_person = services.NewPerson(
                name=values["name"], id_number=values["id_number"], mobile=values["mobile"], address=values["address"]
            )
        services.volunteer_register(
            by=user, volunteer=volunteer, new_person=new_person, checked=True, numbers=target.numbers
        )

    @staticmethod
    def _update(user, values: dict, target: Registration) -> None:
        volunteer = target.volunteer
        status = values["status"] or volunteer.status
        if status != volunteer.status or (values["status_on"] and values["status_on"] != volunteer.status_on):
            on = values["status_on"] or timezone.localdate()
            services.volunteer_change_status(by=user, volunteer=volunteer, status=status, on=on)
        for name in STATED_FIELDS:
            setattr(volunteer, name, values[name])
        if values["number"] and values["number"] != volunteer.number and target.numbers is not None:
            target.numbers.changed(volunteer.county_code)
        for name in ("number", "registered_on"):
            if values[name]:
                setattr(volunteer, name, values[name])
        if target.retiree is not None and volunteer.retiree_id is None:
            volunteer.retiree = target.retiree
        volunteer.full_clean()
        volunteer.save()


# --- Service records --------------------------------------------------------------------------


def _decimal(text: str):
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


@dataclass
class Service:
    """One service record the file describes: the rows that share its date, kind, place, content and people."""

    committee: YouthCareCommittee
    hours: dict = field(default_factory=dict)  # Volunteer -> hours
    saved: bool = False


class ServiceRecordImport(ImportKind):
    name = "service-records"
    title = gettext_lazy("志愿服务记录")
    model = ServiceRecord
    key = ""  # a row is one volunteer's service: duplicates are the same volunteer, day and kind (check)
    columns = (
        ImportColumn(
            "id_number",
            gettext_lazy("志愿者身份证号"),
            kind="id_number",
            example="433127194805060015",
            help=gettext_lazy("身份证号和志愿者编号至少填一项"),
        ),
        ImportColumn("number", gettext_lazy("志愿者编号"), example="WL00001"),
        ImportColumn(
            "served_on",
            gettext_lazy("服务日期"),
            kind="date",
            required=True,
            past=True,
            example="2026-05-20",
            help=gettext_lazy(
                "同一次服务有几名志愿者参加就写几行（日期、类别、内容、地点、服务人次相同），导入后合为一条服务记录"
            ),
        ),
        ImportColumn(
            "kind",
            gettext_lazy("服务类别"),
            kind="choice",
            required=True,
            choices=tuple(ServiceRecord.Kind.choices),
            example=str(ServiceRecord.Kind.DROWNING_PATROL.label),
        ),
        ImportColumn("description", gettext_lazy("服务内容"), example="河边巡查，劝离玩水儿童"),
        ImportColumn(
            "hours",
            gettext_lazy("时长（小时）"),
            required=True,
            example="2",
            help=gettext_lazy("每人本次服务的小时数，大于0且不超过24，可保留一位小数"),
        ),
        ImportColumn("minors_served", gettext_lazy("服务未成年人（人次）"), example="30"),
        ImportColumn("adults_served", gettext_lazy("服务成年人（人次）"), example="0"),
        ImportColumn("place", gettext_lazy("地点"), example="灵溪河"),
        ImportColumn(
            "outcome",
            gettext_lazy("调解结果"),
            kind="choice",
            choices=tuple(ServiceRecord.Outcome.choices),
            help=gettext_lazy("矛盾纠纷调解须填写"),
        ),
    )

    def check(self, *, user, rows: list[Row]) -> None:
        """Match volunteers and their service of those days for the whole file: two queries."""
        for row in rows:
            self._parse_numbers(row)
        ids = {row.values["id_number"] for row in rows if row.values["id_number"]}
        numbers = {row.values["number"] for row in rows if row.values["number"]}
        scope = access.readable(user, Volunteer).filter(committee__in=recording_committees(user))
        by_id: dict[str, list[Volunteer]] = {}
        by_number: dict[str, list[Volunteer]] = {}
        for volunteer in scope.filter(Q(person__id_number__in=ids) | Q(number__in=numbers)).select_related(
            "person", "committee"
        ):
            by_id.setdefault(volunteer.person.id_number, []).append(volunteer)
            by_number.setdefault(volunteer.number, []).append(volunteer)
        matched = {row.number: self._volunteer(row, by_id, by_number) for row in rows}
        found = {v.pk for v in matched.values() if v is not None}
        days = {row.values["served_on"] for row in rows}
        recorded: dict[tuple, Decimal] = {}  # (volunteer, day, kind) -> hours already recorded
        day_hours: dict[tuple, Decimal] = {}  # (volunteer, day) -> hours counted against the 24
        existing = ServiceHours.objects.filter(
            volunteer_id__in=found, record__served_on__in=days, record__archived_at__isnull=True
        ).values_list("volunteer_id", "record__served_on", "record__kind", "record__status", "hours")
        for volunteer_id, day, kind, status, hours in existing:
            recorded.setdefault((volunteer_id, day, kind), hours)
            if status != ServiceRecord.Status.RETURNED:
                day_hours[(volunteer_id, day)] = day_hours.get((volunteer_id, day), Decimal(0)) + hours
        seen: dict[tuple, Row] = {}
        services_by_key: dict[tuple, Service] = {}
        for row in rows:
            volunteer = matched[row.number]
            if volunteer is None or not row.ok:
                continue
            values = row.values
            key = (volunteer.pk, values["served_on"], values["kind"])
            if key in seen:
                row.error(
                    "id_number",
                    _("与本文件第%(rows)s行重复（同一志愿者、同一天、同一类别）") % {"rows": seen[key].number},
                )
                seen[key].error(
                    "id_number", _("与本文件第%(rows)s行重复（同一志愿者、同一天、同一类别）") % {"rows": row.number}
                )
                continue
            seen[key] = row
            if key in recorded:
                if recorded[key] != values["hours"]:
                    row.error(
                        "hours",
                        _("该志愿者在该日已有一条“%(kind)s”记录（%(hours)s小时），如需更正请在服务记录页面修改")
                        % {"kind": ServiceRecord.Kind(values["kind"]).label, "hours": recorded[key]},
                    )
                    continue
                row.status = UNCHANGED
                continue
            if not self._may_serve(row, volunteer):
                continue
            day = (volunteer.pk, values["served_on"])
            total = day_hours.get(day, Decimal(0)) + values["hours"]
            if total > MAX_HOURS_PER_DAY:
                row.error(
                    "hours",
                    _("%(name)s在%(date)s共%(total)s小时（含已记录和本文件其他行），超过每天24小时")
                    % {"name": volunteer.person.name, "date": format_cn_date(values["served_on"]), "total": total},
                )
                continue
            day_hours[day] = total
            group = (
                volunteer.committee_id,
                *(
                    values[name]
                    for name in (
                        "served_on",
                        "kind",
                        "place",
                        "description",
                        "minors_served",
                        "adults_served",
                        "outcome",
                    )
                ),
            )
            service = services_by_key.setdefault(group, Service(committee=volunteer.committee))
            service.hours[volunteer] = values["hours"]
            row.status, row.target = NEW, service

    @staticmethod
    def _parse_numbers(row: Row) -> None:
        values = row.values
        hours = _decimal(values["hours"]) if values["hours"] else None
        if hours is None or not hours.is_finite():
            row.error("hours", _("请填写数字，如 2 或 1.5"))
        elif hours <= 0 or hours > MAX_HOURS_PER_DAY:
            row.error("hours", _("服务时长须大于0且不超过24小时"))
        elif hours != hours.quantize(Decimal("0.1")):
            row.error("hours", _("服务时长最多保留一位小数"))
        values["hours"] = hours.quantize(Decimal("0.1")) if row.ok else None
        for name in ("minors_served", "adults_served"):
            text = values[name] or "0"
            if not text.isdigit():
                row.error(name, _("请填写不小于0的整数"))
            values[name] = int(text) if text.isdigit() else 0
        if values["kind"] != ServiceRecord.Kind.MEDIATION:
            values["outcome"] = None  # as the service form: only a mediation has an outcome
        elif not values["outcome"]:
            row.error("outcome", _("调解记录请选择调解结果"))

    @staticmethod
    def _volunteer(row: Row, by_id: dict, by_number: dict) -> Volunteer | None:
        """The one volunteer a row names by ID number and/or number, among those the user records for."""
        id_number, number = row.values["id_number"], row.values["number"]
        if not id_number and not number:
            if "id_number" not in row.errors:
                row.error("id_number", _("请填写志愿者身份证号或志愿者编号"))
            return None
        candidates = by_id.get(id_number, []) if id_number else by_number.get(number, [])
        if id_number and number:
            candidates = [v for v in candidates if v.number == number]
        column = "id_number" if id_number else "number"
        if not candidates:
            if id_number and number and by_id.get(id_number):
                row.error("number", _("志愿者编号与身份证号不是同一名志愿者"))
            else:
                row.error(column, _("在您负责的范围内没有这名志愿者"))
            return None
        if len(candidates) > 1:
            row.error(
                column,
                _("有%(count)s名志愿者与此相符（在不同关工委登记），请同时填写志愿者编号") % {"count": len(candidates)},
            )
            return None
        return candidates[0]

    @staticmethod
    def _may_serve(row: Row, volunteer: Volunteer) -> bool:
        """The service form's rules: no applicant, and only on days the volunteer is registered and has not left."""
        if volunteer.status == Volunteer.Status.APPLICANT:
            row.error("id_number", _("该志愿者尚在申请中，不能记录服务"))
            return False
        if not volunteer.may_serve_on(row.values["served_on"]):
            row.error(
                "served_on",
                _("%(name)s在%(date)s不在册（未登记或已退出）")
                % {"name": volunteer.person.name, "date": format_cn_date(row.values["served_on"])},
            )
            return False
        return True

    def save(self, *, user, row: Row) -> None:
        """The first row of a service saves it with every volunteer of its rows; the others are in it."""
        service: Service = row.target
        if service.saved:
            return
        values = row.values
        record = ServiceRecord(
            committee=service.committee,
            served_on=values["served_on"],
            kind=values["kind"],
            place=values["place"],
            description=values["description"],
            minors_served=values["minors_served"],
            adults_served=values["adults_served"],
            outcome=values["outcome"] or "",
        )
        with pghistory.context(user=user.pk):
            services.service_record_save(by=user, record=record, hours=service.hours)
        service.saved = True
