"""Importing the county's retiree roster from Excel (core.imports does the reading and the jobs).

A row is a retiree with their branch and Party data. People are matched on their
ID number, so importing the same file twice changes nothing: a person already
registered as this branch's retiree is updated (or left unchanged), a registered
person who is not yet a retiree becomes one, anyone else is new. The whole file is
checked with a fixed number of queries whatever its length.
"""

import pghistory
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Branch, Retiree
from branches.services import people as services
from core import access
from core.imports import NEW, UNCHANGED, UPDATE, ImportColumn, ImportKind, Row
from core.models import Person
from core.validators import parse_id_number


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
