"""Importing children and sponsors from Excel (core.imports does the reading and the jobs).

Children are matched on their ID number, so importing the same file twice changes nothing: a
child already registered is updated (or left unchanged), anyone else is registered through
`aid_cases.services.child_register` with the first guardian and the guardian's consent, as the
registration form does. Children's data is for the roles that work on aid only (the import asks
`add_child`), and every preview of their rows or download of the rows in error is logged as a
view of children's data (`log_children_viewed`, `log_child_access`).

Sponsors are matched as the sponsor form keeps them apart: an enterprise on its unified social
credit code, a Party member on their ID number (the Person they are), anyone else on name and
area. The whole file is checked with a fixed number of queries whatever its length.
"""

import re

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aid_cases import services
from aid_cases.models import AccessKind, Child, Circumstance, Consent, GuardianRelation
from core import access
from core.imports import NEW, UNCHANGED, UPDATE, ImportColumn, ImportKind, Row
from core.models import Person, Region
from core.validators import normalize_id_number, parse_id_number

# Several circumstances in one cell: 留守儿童、单亲 (or with commas, semicolons, spaces).
LIST_SEPARATORS = re.compile(r"[、，,；;/\s]+")
# The fields of Child an import sets and an update may change (the child form's).
CHILD_FIELDS = ("region", "school", "grade", "class_name", "circumstances", "situation")
AREA_LEVELS = (Region.Level.TOWN, Region.Level.VILLAGE)


def _area_choices(user):
    """The towns and villages the user works in, by name (the template's drop-down)."""
    names = access.readable(user, Region.objects.filter(level__in=AREA_LEVELS).order_by("code")).values_list(
        "name", flat=True
    )
    return [(name, name) for name in dict.fromkeys(names[:5000])]


def _areas(user, names) -> dict[str, list[Region]]:
    """The towns and villages the user sees by name, and by 乡镇/村 for a village (one query)."""
    villages = {name.split("/")[-1] for name in names}
    found: dict[str, list[Region]] = {}
    areas = access.readable(user, Region.objects.filter(level__in=AREA_LEVELS, name__in=villages))
    for area in areas.select_related("parent"):
        found.setdefault(area.name, []).append(area)
        if area.parent is not None:
            found.setdefault(f"{area.parent.name}/{area.name}", []).append(area)
    return found


def _area_of(row: Row, key: str, areas) -> Region | None:
    name = row.values[key].replace("／", "/").replace(" ", "")
    found = areas.get(name, [])
    if not found:
        row.error(key, _("在您负责的范围内没有名为“%(name)s”的乡镇或村（社区）") % {"name": row.values[key]})
        return None
    if len(found) > 1:
        row.error(key, _("有%(count)s个同名的村（社区），请写成“乡镇名/村名”") % {"count": len(found)})
        return None
    return found[0]


class ChildImport(ImportKind):
    name = "children"
    title = gettext_lazy("受助儿童")
    model = Child
    key = "id_number"
    columns = (
        ImportColumn("name", gettext_lazy("姓名"), required=True, example="李小明"),
        ImportColumn(
            "id_number",
            gettext_lazy("身份证号"),
            kind="id_number",
            required=True,
            example="433127201205060013",
            help=gettext_lazy("18位，最后一位可以是X；性别和出生日期按身份证号识别"),
        ),
        ImportColumn(
            "region",
            gettext_lazy("所在村（社区）"),
            kind="lookup",
            required=True,
            choices=_area_choices,
            example="灵溪镇社区",
            help=gettext_lazy("村（社区）或乡镇的全称；同名时写成“乡镇名/村名”"),
        ),
        ImportColumn("school", gettext_lazy("学校"), example="灵溪镇中心小学"),
        ImportColumn("grade", gettext_lazy("年级"), example="五年级"),
        ImportColumn("class_name", gettext_lazy("班级"), example="2班"),
        ImportColumn(
            "circumstances",
            gettext_lazy("困难情形"),
            required=True,
            example=f"{Circumstance.LEFT_BEHIND.label}、{Circumstance.SINGLE_PARENT.label}",
            help=gettext_lazy("可填多项，用顿号分开：%(choices)s")
            % {"choices": "、".join(str(label) for _value, label in Circumstance.choices)},
        ),
        ImportColumn("situation", gettext_lazy("家庭情况"), help=gettext_lazy("简要说明，只写帮扶工作需要的内容")),
        ImportColumn("guardian_name", gettext_lazy("监护人姓名"), required=True, example="李建国"),
        ImportColumn(
            "guardian_relation",
            gettext_lazy("与儿童关系"),
            kind="choice",
            required=True,
            choices=tuple(GuardianRelation.choices),
            example=str(GuardianRelation.choices[0][1]),
        ),
        ImportColumn("guardian_phone", gettext_lazy("监护人电话"), kind="phone", example="13812345678"),
        ImportColumn(
            "consent_on",
            gettext_lazy("监护人同意登记日期"),
            kind="date",
            required=True,
            past=True,
            example="2026-03-01",
            help=gettext_lazy(
                "监护人同意登记保存儿童信息的日期（个人信息保护法：不满十四周岁儿童的信息须经监护人同意）"
            ),
        ),
    )

    def check(self, *, user, rows: list[Row]) -> None:
        """Areas, the people and children of these ID numbers, and possible duplicates: five queries."""
        areas = _areas(user, {row.values["region"].replace("／", "/").replace(" ", "") for row in rows})
        ids = [row.values["id_number"] for row in rows]
        people = {p.id_number: p for p in Person.all_objects.filter(id_number__in=ids).select_related("child")}
        changeable = set(
            access.rows(user, Child.all_objects.filter(person__id_number__in=ids), access.CHANGE).values_list(
                "pk", flat=True
            )
        )
        births = {parse_id_number(row.values["id_number"]).birth_date for row in rows}
        namesakes = self._namesakes({row.values["name"].strip() for row in rows}, births)
        for row in rows:
            self._check_row(row, areas, people, changeable, namesakes)

    @staticmethod
    def _namesakes(names, births) -> set[tuple]:
        """(county code, name, birth date, guardian name) of the children registered with these names
        and birth dates: who `selectors.possible_duplicates` shows the form before it registers a
        child (asked only of rows whose ID number nobody has, so each is under another number or none)."""
        children = Child.all_objects.filter(person__name__in=names, person__birth_date__in=births).values_list(
            "region__code", "person__name", "person__birth_date", "guardians__name", "guardians__person__name"
        )
        found = set()
        for code, name, birth, guardian, guardian_person in children:
            county = Region.county_code_of(code)
            for who in (guardian, guardian_person):
                if who:
                    found.add((county, name, birth, who))
        return found

    @staticmethod
    def _circumstances(row: Row) -> list[str]:
        by_label = {str(label): value for value, label in Circumstance.choices} | {v: v for v in Circumstance.values}
        words = [word for word in LIST_SEPARATORS.split(row.values["circumstances"]) if word]
        unknown = [word for word in words if word not in by_label]
        if unknown:
            row.error(
                "circumstances",
                _("“%(words)s”不是可选的困难情形，可选：%(choices)s")
                % {"words": "、".join(unknown), "choices": "、".join(str(label) for _v, label in Circumstance.choices)},
            )
        return list(dict.fromkeys(by_label[word] for word in words if word in by_label))

    def _check_row(self, row, areas, people, changeable, namesakes) -> None:
        values = row.values
        values["name"] = values["name"].strip()
        values["guardian_name"] = values["guardian_name"].strip()
        region = _area_of(row, "region", areas)
        values["circumstances"] = self._circumstances(row)
        if row.errors:
            return
        values["region"] = region
        person = people.get(values["id_number"])
        if person is None:
            birth = parse_id_number(values["id_number"]).birth_date
            county = Region.county_code_of(region.code)
            if (county, values["name"], birth, values["guardian_name"]) in namesakes:
                row.error(
                    "name",
                    _("县内已登记过同名、同出生日期、同监护人的儿童，可能是同一人：请先在受助儿童页面核对"),
                )
                return
            row.status = NEW
            return
        child = getattr(person, "child", None)
        if child is None:
            row.error(
                "id_number",
                _("该身份证号已登记为其他人员（不是受助儿童），请核对；如确是同一人，请联系关工委办公室处理"),
            )
            return
        if child.pk not in changeable:
            row.error("id_number", _("该身份证号的儿童已在其他地区登记，无法在此导入"))
            return
        if child.is_archived or person.is_archived:
            row.error("id_number", _("该儿童的档案已归档，请先在受助儿童页面恢复"))
            return
        if person.name != values["name"]:
            row.error("name", _("该身份证号已登记为“%(name)s”，请核对姓名和身份证号") % {"name": person.name})
            return
        row.target = child
        row.changes = [
            str(Child._meta.get_field(name).verbose_name)
            for name in CHILD_FIELDS
            if self._new_value(values, name) != getattr(child, name if name != "region" else "region_id")
        ]
        row.status = UPDATE if row.changes else UNCHANGED

    @staticmethod
    def _new_value(values, name):
        """What the row sets a child's field to (the region by its code, as `region_id`)."""
        if name == "region":
            return values["region"].pk
        return values[name] if values[name] is not None else ""

    def save(self, *, user, row: Row) -> None:
        values = row.values
        if isinstance(row.target, Child):
            child = row.target
            with pghistory.context(user=user.pk):
                child.region = values["region"]
                for name in CHILD_FIELDS[1:]:
                    setattr(child, name, self._new_value(values, name))
                child.full_clean()
                child.save()
            return
        person = Person(name=values["name"], id_number=values["id_number"], region=values["region"])
        child = Child(
            **{name: values["region"] if name == "region" else self._new_value(values, name) for name in CHILD_FIELDS}
        )
        guardian = services.GuardianData(
            relation=values["guardian_relation"], name=values["guardian_name"], phone=values["guardian_phone"] or ""
        )
        consent = Consent(
            given_by=values["guardian_name"],
            relation=values["guardian_relation"],
            given_on=values["consent_on"],
            purpose=Consent.Purpose.KEEP,
        )
        try:
            services.child_register(by=user, person=person, child=child, guardian=guardian, consent=consent)
        except PermissionDenied as error:
            raise ValidationError(_("所选村（社区）不在您的管辖范围内")) from error

    def previewed(self, *, user, upload, entries: list[dict], download: bool = False) -> None:
        """Rows of children shown: each child on file is logged as viewed (as a child's page logs it);
        the rows in error downloaded are logged as an export of children's data."""
        if download:
            services.log_child_access(
                user=user, kind=AccessKind.EXPORT, filters={"import": upload.filename}, row_count=len(entries)
            )
            return
        index = [column.key for column in self.columns].index("id_number")
        ids = {normalize_id_number(entry["cells"][index]) for entry in entries} - {""}
        if ids:
            children = access.readable(user, Child.all_objects.filter(person__id_number__in=ids))
            services.log_children_viewed(user=user, children=children)
