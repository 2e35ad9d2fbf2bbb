"""Importing the county's retiree roster and branches' activities from Excel (core.imports does
the reading and the jobs).

A row is a retiree with their branch and Party data. People are matched on their
ID number, so importing the same file twice changes nothing: a person already
registered as this branch's retiree is updated (or left unchanged), a registered
person who is not yet a retiree becomes one, anyone else is new. The whole file is
checked with a fixed number of queries whatever its length.
"""

import re

import pghistory
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.forms.activities import kind_choices
from branches.models import Activity, Attendance, Branch, Membership, Participation, Retiree
from branches.services import activities as activity_services
from branches.services import people as services
from branches.services.activities import AttendanceEntry
from core import access
from core.imports import NEW, UNCHANGED, UPDATE, ImportColumn, ImportKind, Row
from core.models import Person
from core.validators import normalize_id_number, parse_id_number


def _branch_choices(user):
    """The branches the user may register retirees in, by name (the template's drop-down)."""
    names = access.rows(user, Branch.objects.order_by("pinyin"), access.CHANGE).values_list("name", flat=True)
    return [(name, name) for name in names.distinct()[:5000]]


# The fields of Retiree an import sets, in the sheet's order after the person and branch columns.
RETIREE_FIELDS = (
    "status",
    "former_unit",
    "former_post",
    "retired_on",
    "is_party_member",
    "joined_party_on",
    "limited_mobility",
    "lives_alone",
    "in_hardship",
)


class RetireeImport(ImportKind):
    name = "retirees"
    title = gettext_lazy("离退休干部")
    model = Retiree
    key = "id_number"
    columns = (
        ImportColumn("name", gettext_lazy("姓名"), required=True, example="张三"),
        ImportColumn(
            "id_number",
            gettext_lazy("身份证号"),
            kind="id_number",
            required=True,
            example="433127194805060015",
            help=gettext_lazy("18位，最后一位可以是X；性别和出生日期按身份证号识别"),
        ),
        ImportColumn("mobile", gettext_lazy("联系电话"), kind="phone", example="13812345678"),
        ImportColumn("address", gettext_lazy("住址"), example="灵溪镇人民路1号"),
        ImportColumn(
            "branch",
            gettext_lazy("所在支部"),
            kind="lookup",
            required=True,
            choices=_branch_choices,
            help=gettext_lazy("支部全称，须是您负责的支部"),
        ),
        ImportColumn(
            "joined_on",
            gettext_lazy("加入支部日期"),
            kind="date",
            past=True,
            default=timezone.localdate,
            example="2016-09-05",
            help=gettext_lazy("不填则为导入当天"),
        ),
        ImportColumn(
            "status",
            gettext_lazy("离休/退休"),
            kind="choice",
            required=True,
            choices=tuple(Retiree.Status.choices),
            example=str(Retiree.Status.RETIRED.label),
        ),
        ImportColumn("former_unit", gettext_lazy("原工作单位"), example="县教育局"),
        ImportColumn("former_post", gettext_lazy("原职务"), example="副局长"),
        ImportColumn("retired_on", gettext_lazy("离退休日期"), kind="date", past=True, example="2008-05-01"),
        ImportColumn(
            "is_party_member", gettext_lazy("中共党员"), kind="bool", required=True, example="是", default=True
        ),
        ImportColumn("joined_party_on", gettext_lazy("入党日期"), kind="date", past=True, example="1975-07-01"),
        ImportColumn("limited_mobility", gettext_lazy("行动不便"), kind="bool", default=False, example="否"),
        ImportColumn("lives_alone", gettext_lazy("独居"), kind="bool", default=False, example="否"),
        ImportColumn("in_hardship", gettext_lazy("生活困难"), kind="bool", default=False, example="否"),
    )

    def check(self, *, user, rows: list[Row]) -> None:
        """Match branches and people for the whole file: four queries, then each row in Python."""
        names = {row.values["branch"] for row in rows}
        branches: dict[str, list[Branch]] = {}
        for branch in access.rows(user, Branch.objects.filter(name__in=names), access.CHANGE):
            branches.setdefault(branch.name, []).append(branch)
        ids = [row.values["id_number"] for row in rows]
        people = {
            person.id_number: person
            for person in Person.all_objects.filter(id_number__in=ids).select_related("retiree__branch")
        }
        changeable = set(
            access.rows(user, Person.all_objects.filter(id_number__in=ids), access.CHANGE).values_list("pk", flat=True)
        )
        # People registered without an ID number who may be the same person (same name and birth date).
        births = {(row.values["name"], parse_id_number(row.values["id_number"]).birth_date) for row in rows}
        namesakes = {
            (entry["name"], entry["birth_date"]): entry["n"]
            for entry in access.readable(user, Person.objects)
            .filter(id_number="", name__in={name for name, _ in births})
            .values("name", "birth_date")
            .annotate(n=Count("pk"))
        }
        for row in rows:
            self._check_row(row, branches, people, changeable, namesakes)

    def _check_row(self, row, branches, people, changeable, namesakes) -> None:
        values = row.values
        found = branches.get(values["branch"], [])
        if not found:
            row.error("branch", _("在您负责的范围内没有名为“%(name)s”的支部") % {"name": values["branch"]})
        elif len(found) > 1:
            row.error(
                "branch",
                _("有%(count)s个同名支部，无法确定是哪一个，请联系系统管理员区分支部名称") % {"count": len(found)},
            )
        if not values["is_party_member"] and values["joined_party_on"]:
            row.error("joined_party_on", _("非党员不应填写入党日期"))
        person = people.get(values["id_number"])
        if person is None:
            birth = parse_id_number(values["id_number"]).birth_date
            if namesakes.get((values["name"], birth)):
                row.error(
                    "name",
                    _("已有同名、同出生日期但未填身份证号的人员，可能是同一人：请先在人员页面为其补填身份证号，再导入"),
                )
            row.status = NEW
            return
        if person.pk not in changeable:
            row.error("id_number", _("该身份证号已在其他地区登记，无法在此导入；如需转入，请申请组织关系转接"))
            return
        if person.is_archived:
            row.error("id_number", _("该身份证号的人员档案已归档，请先在人员页面恢复"))
            return
        if person.name != values["name"]:
            row.error("name", _("该身份证号已登记为“%(name)s”，请核对姓名和身份证号") % {"name": person.name})
            return
        retiree = getattr(person, "retiree", None)
        if retiree is None:
            row.status, row.target = NEW, person
            return
        if retiree.is_archived:
            row.error("id_number", _("该同志的离退休干部档案已归档，请先恢复"))
            return
        if found and retiree.branch_id != found[0].pk:
            row.error(
                "branch",
                _("该同志现在“%(branch)s”，转到其他支部请在离退休干部页面办理转接")
                % {"branch": retiree.branch or _("已离开")},
            )
            return
        row.target = retiree
        row.changes = [
            str(Retiree._meta.get_field(name).verbose_name)
            for name in RETIREE_FIELDS
            if values[name] is not None and getattr(retiree, name) != values[name]
        ]
        if values["mobile"] and values["mobile"] != person.mobile:
            row.changes.append(str(Person._meta.get_field("mobile").verbose_name))
        if values["address"] and values["address"] != person.address:
            row.changes.append(str(Person._meta.get_field("address").verbose_name))
        row.status = UPDATE if row.changes else UNCHANGED

    def save(self, *, user, row: Row) -> None:
        values = row.values
        branch = access.rows(user, Branch.objects.filter(name=values["branch"]), access.CHANGE).get()
        fields = {name: values[name] for name in RETIREE_FIELDS if values[name] is not None}
        if isinstance(row.target, Retiree):
            self._update(row.target, values, fields, user)
        elif isinstance(row.target, Person):
            services.retiree_register(
                branch=branch, joined_on=values["joined_on"], by=user, person=row.target, **fields
            )
        else:
            person_data = {
                "name": values["name"],
                "id_number": values["id_number"],
                "mobile": values["mobile"],
                "address": values["address"],
                "region": branch.region,
            }
            services.retiree_register(
                branch=branch, joined_on=values["joined_on"], by=user, person_data=person_data, **fields
            )

    @staticmethod
    def _update(retiree: Retiree, values: dict, fields: dict, user) -> None:
        with pghistory.context(user=user.pk):
            for name, value in fields.items():
                setattr(retiree, name, value)
            retiree.full_clean(exclude=["person"])
            retiree.save()
            person = retiree.person
            changed = [name for name in ("mobile", "address") if values[name] and values[name] != getattr(person, name)]
            for name in changed:
                setattr(person, name, values[name])
            if changed:
                person.full_clean(validate_constraints=False)
                person.save(update_fields=[*changed, "updated_at"])


# --- activities with their attendance ----------------------------------------------------------

# Names and ID numbers on the attendance cell are separated by 、，, ; or spaces.
ATTENDEE_SEPARATORS = re.compile(r"[、，,；;\s]+")
# The fields of an activity an import sets, besides its branch; `ACTIVITY_FIELDS` gives the rest defaults.
ACTIVITY_IMPORT_FIELDS = (
    "kind",
    "held_on",
    "topic",
    "start_time",
    "end_time",
    "place",
    "is_online",
    "speaker",
    "content",
)
# A row is "the same" activity as one recorded when these agree (with the branch).
SAME_ACTIVITY = ("held_on", "kind", "topic")
# What an update may change of that activity (and its roll): compared field by field.
COMPARED_FIELDS = ("start_time", "end_time", "place", "is_online", "speaker", "content")


def _recordable_branches(user):
    """The open branches the user sees and may record activities for (a queryset, by pinyin): the
    role's permission to add activities and the branches' `record_activity` row rule, which mirrors
    the activities' own (`BranchQuerySet.activities_recordable_by`)."""
    if not access.can(user, access.ADD, Activity):
        return Branch.objects.none()
    branches = access.rows(user, access.readable(user, Branch), "record_activity")
    return branches.filter(dissolved_on__isnull=True).order_by("pinyin")


def _activity_branch_choices(user):
    names = dict.fromkeys(_recordable_branches(user)[:5000].values_list("name", flat=True))
    return [(name, name) for name in names]


def _open_on(start_on, end_on, on, *, end_inclusive: bool) -> bool:
    """A membership (end day excluded, as `MembershipQuerySet.open_on`) or a participation (end day
    included, as `ParticipationQuerySet.current`) in force on a day."""
    if start_on > on:
        return False
    return end_on is None or end_on > on or (end_inclusive and end_on == on)


class ActivityImport(ImportKind):
    """One row per activity of a branch, with the names (or ID numbers) of the members who came.

    A row equal to an activity the branch has already recorded (same day, kind and topic) is
    that activity: unchanged when its times, place, online flag, speaker, content and the members
    present agree, else updated; so importing the same file twice changes nothing. Rows are
    saved through `branches.services.activities` as the activity form saves: the branch's roll
    on that day, the members listed present and the others absent (so compliance, presence and
    送学上门 stay right). The check costs a fixed number of queries whatever the file's length.
    """

    name = "activities"
    title = gettext_lazy("活动记录")
    model = Activity
    key = ""  # a branch may hold two activities on one day: the check refuses the same one twice
    columns = (
        ImportColumn(
            "branch",
            gettext_lazy("支部"),
            kind="lookup",
            required=True,
            choices=_activity_branch_choices,
            help=gettext_lazy("支部全称，须是您可以记录活动的支部"),
        ),
        ImportColumn(
            "kind",
            gettext_lazy("活动类型"),
            kind="choice",
            required=True,
            choices=lambda user: kind_choices(Activity.OrganiserType.BRANCH),
            example=str(Activity.Kind.THEME_DAY.label),
        ),
        ImportColumn("held_on", gettext_lazy("活动日期"), kind="date", required=True, past=True, example="2026-07-01"),
        ImportColumn("start_time", gettext_lazy("开始时间"), kind="time", example="09:00"),
        ImportColumn("end_time", gettext_lazy("结束时间"), kind="time", example="11:00"),
        ImportColumn("place", gettext_lazy("地点"), example="老干部活动中心"),
        ImportColumn("is_online", gettext_lazy("线上会议"), kind="bool", default=False, example="否"),
        ImportColumn("topic", gettext_lazy("主题"), required=True, example="学习党的二十届四中全会精神"),
        ImportColumn("speaker", gettext_lazy("主讲人或主持人"), example="王建国"),
        ImportColumn(
            "attendance",
            gettext_lazy("出席人员"),
            example="张三、李四",
            help=gettext_lazy("出席的支部成员姓名或身份证号，用顿号、逗号或空格分开；未列出的成员记为缺席"),
        ),
        ImportColumn("content", gettext_lazy("内容纪要")),
    )

    def may_use(self, user) -> bool:
        return _recordable_branches(user).exists()

    def check(self, *, user, rows: list[Row]) -> None:
        """Branches, their rolls and the activities already recorded for the whole file: a fixed
        number of queries (the branches and the rule, two of the rolls, two of the activities)."""
        names = {row.values["branch"] for row in rows}
        branches: dict[str, list[Branch]] = {}
        for branch in _recordable_branches(user).filter(name__in=names):
            branches.setdefault(branch.name, []).append(branch)
        found = [branch for group in branches.values() for branch in group]
        days = [row.values["held_on"] for row in rows if row.values.get("held_on")]
        rolls = self._rolls(found, days)
        existing, present = self._recorded(found, days)
        seen: dict[tuple, int] = {}
        for row in rows:
            self._check_row(row, branches, rolls, existing, present, seen)

    @staticmethod
    def _rolls(branches, days) -> dict[int, list[tuple]]:
        """Per branch, (person id, name, ID number, start, end, end day included) of everyone on its
        roll on any of the days: its memberships, and for a temporary or functional branch its
        participants, as `services.roll_person_ids` counts them."""
        rolls: dict[int, list[tuple]] = {branch.pk: [] for branch in branches}
        if not branches or not days:
            return rolls
        first, last = min(days), max(days)
        memberships = (
            Membership.objects.filter(branch__in=branches, start_on__lte=last)
            .filter(Q(end_on__isnull=True) | Q(end_on__gt=first))
            .values_list(
                "branch_id",
                "retiree__person_id",
                "retiree__person__name",
                "retiree__person__id_number",
                "start_on",
                "end_on",
            )
        )
        for branch_id, *person, start_on, end_on in memberships:
            rolls[branch_id].append((*person, start_on, end_on, False))
        gathering = [branch for branch in branches if branch.kind in Participation.BRANCH_KINDS]
        if gathering:
            participations = (
                Participation.objects.filter(branch__in=gathering, start_on__lte=last)
                .filter(Q(end_on__isnull=True) | Q(end_on__gte=first))
                .values_list("branch_id", "person_id", "person__name", "person__id_number", "start_on", "end_on")
            )
            for branch_id, *person, start_on, end_on in participations:
                rolls[branch_id].append((*person, start_on, end_on, True))
        return rolls

    @staticmethod
    def _recorded(branches, days) -> tuple[dict, dict]:
        """The activities of these branches on these days by (branch, day, kind, topic), and the
        people present at each."""
        if not branches or not days:
            return {}, {}
        activities = Activity.objects.filter(branch__in=branches, held_on__in=set(days))
        existing = {(a.branch_id, a.held_on, a.kind, a.topic.strip()): a for a in activities}
        present: dict[int, set[int]] = {}
        lines = Attendance.objects.filter(
            activity__in=[a.pk for a in existing.values()], status=Attendance.Status.PRESENT
        )
        for activity_id, person_id in lines.values_list("activity_id", "person_id"):
            present.setdefault(activity_id, set()).add(person_id)
        return existing, present

    def _check_row(self, row, branches, rolls, existing, present, seen) -> None:
        values = row.values
        found = branches.get(values["branch"], [])
        if not found:
            row.error("branch", _("在您可以记录活动的范围内没有名为“%(name)s”的支部") % {"name": values["branch"]})
        elif len(found) > 1:
            row.error(
                "branch",
                _("有%(count)s个同名支部，无法确定是哪一个，请联系系统管理员区分支部名称") % {"count": len(found)},
            )
        start, end = values["start_time"], values["end_time"]
        if start and end and end < start:
            row.error("end_time", _("结束时间不能早于开始时间"))
        values["topic"] = values["topic"].strip()
        if len(values["topic"]) > Activity._meta.get_field("topic").max_length:
            row.error("topic", _("主题不能超过200个字"))
        if row.errors:
            return
        branch, day = found[0], values["held_on"]
        values["attendees"] = self._attendees(row, rolls[branch.pk], day)
        if row.errors:
            return
        same = (branch.pk, day, values["kind"], values["topic"])
        if same in seen:
            row.error(
                "topic",
                _("与本文件第%(row)s行是同一支部、同一天、同一类型和主题的活动") % {"row": seen[same]},
            )
            return
        seen[same] = row.number
        row.target = branch
        activity = existing.get(same)
        if activity is None:
            row.status = NEW
            return
        row.target = activity
        row.changes = [
            str(Activity._meta.get_field(name).verbose_name)
            for name in COMPARED_FIELDS
            if _blank(values[name]) != _blank(getattr(activity, name))
        ]
        if set(values["attendees"]) != present.get(activity.pk, set()):
            row.changes.append(str(_("出席人员")))
        row.status = UPDATE if row.changes else UNCHANGED

    @staticmethod
    def _attendees(row, roll, day) -> list[int]:
        """The people named on the attendance cell, each found among the branch's roll on the day."""
        on_roll = [entry for entry in roll if _open_on(entry[3], entry[4], day, end_inclusive=entry[5])]
        by_id = {entry[2]: entry[0] for entry in on_roll if entry[2]}
        by_name: dict[str, set[int]] = {}
        for person_id, name, *_rest in on_roll:
            by_name.setdefault(name, set()).add(person_id)
        people, unknown, ambiguous = [], [], []
        for word in ATTENDEE_SEPARATORS.split(row.values["attendance"] or ""):
            if not word:
                continue
            number = normalize_id_number(word)
            if number in by_id:
                people.append(by_id[number])
            elif len(by_name.get(word, ())) == 1:
                people.append(next(iter(by_name[word])))
            elif by_name.get(word):
                ambiguous.append(word)
            else:
                unknown.append(word)
        if unknown:
            row.error(
                "attendance",
                _("%(names)s 不是该支部当天的成员，请核对姓名或改填身份证号") % {"names": "、".join(unknown)},
            )
        elif ambiguous:
            row.error(
                "attendance",
                _("该支部有同名成员：%(names)s，无法确定是哪一位，请改填身份证号") % {"names": "、".join(ambiguous)},
            )
        return list(dict.fromkeys(people))

    def save(self, *, user, row: Row) -> None:
        values = row.values
        data = {name: values[name] for name in ACTIVITY_IMPORT_FIELDS}
        data = data | {name: data[name] or "" for name in ("place", "speaker", "content")}
        attendees = set(values["attendees"])
        if isinstance(row.target, Activity):
            activity = row.target
            listed = activity_services.roll_person_ids(activity.branch, activity.held_on) | set(
                Attendance.all_objects.filter(activity=activity).values_list("person_id", flat=True)
            )
            with pghistory.context(user=user.pk):
                for name in COMPARED_FIELDS:
                    setattr(activity, name, data[name])
                activity.full_clean()
                activity.save()
                activity_services.activity_set_attendance(
                    activity=activity, attendance=_entries(listed | attendees, attendees), by=user
                )
            return
        branch = row.target
        listed = activity_services.roll_person_ids(branch, values["held_on"]) | attendees
        activity = activity_services.activity_record(
            organiser=branch,
            data=data,
            attendance=_entries(listed, attendees),
            photos=[],
            attachments=[],
            by=user,
        )
        if not access.can(user, access.CHANGE, activity):  # as the form: an entry the user may change, or nothing
            raise ValidationError(_("您不能为“%(name)s”记录活动") % {"name": branch.name})


def _blank(value):
    """None and "" alike: an empty cell leaves a text field blank."""
    return "" if value is None else value


def _entries(listed, present) -> list:
    """The roll as the form posts it: everyone listed, ticked present or absent."""
    return [AttendanceEntry(person_id=pk, present=pk in present) for pk in sorted(listed)]
