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
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aid_cases import services
from aid_cases.forms import SponsorForm
from aid_cases.models import AccessKind, Child, Circumstance, Consent, GuardianRelation, Sponsor
from core import access
from core.imports import NEW, UNCHANGED, UPDATE, ImportColumn, ImportKind, Row
from core.models import Person, Region
from core.validators import (
    credit_code_check_char,
    normalize_credit_code,
    normalize_id_number,
    parse_id_number,
    validate_credit_code,
)

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
        """Areas, the people and children of these ID numbers, and possible duplicates: four queries."""
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


# --- sponsors ---------------------------------------------------------------------------------

# What an update of a sponsor may change, compared field by field (the sponsor form's fields).
SPONSOR_FIELDS = ("kind", "name", "region", "contact_name", "contact_phone", "payer", "note")


def _sponsor_region_choices(user):
    """The county, towns and villages the user works in, by name (the template's drop-down)."""
    levels = (Region.Level.COUNTY, *AREA_LEVELS)
    names = access.readable(user, Region.objects.filter(level__in=levels).order_by("code")).values_list(
        "name", flat=True
    )
    return [(name, name) for name in dict.fromkeys(names[:5000])]


class SponsorImport(ImportKind):
    """One row per sponsor, saved through the sponsor form (`SponsorForm`), as the page saves it.

    An enterprise is the sponsor of its credit code, a person (a Party member, or an individual
    giving their ID number) the sponsor of that registered Person, anyone else the sponsor of
    that name in that area. The form never registers a Person: an ID number nobody in the
    user's scope has is refused on its cell.
    """

    name = "sponsors"
    title = gettext_lazy("资助人")
    model = Sponsor
    key = ""  # enterprises, people and the rest are told apart by different columns: the check does it
    columns = (
        ImportColumn(
            "kind",
            gettext_lazy("类型"),
            kind="choice",
            required=True,
            choices=tuple(Sponsor.Kind.choices),
            example=str(Sponsor.Kind.ENTERPRISE.label),
        ),
        ImportColumn("name", gettext_lazy("名称或姓名"), required=True, example="永顺县爱心饭店有限公司"),
        ImportColumn(
            "credit_code",
            gettext_lazy("统一社会信用代码"),
            kind="text",
            example="91433127MA4L00009" + credit_code_check_char("91433127MA4L00009"),
            help=gettext_lazy("爱心企业必填，18位"),
        ),
        ImportColumn(
            "id_number",
            gettext_lazy("身份证号"),
            kind="id_number",
            help=gettext_lazy("党员必填：须是已登记的人员；爱心人士可填，按身份证号识别"),
        ),
        ImportColumn(
            "region",
            gettext_lazy("所在区划"),
            kind="lookup",
            required=True,
            choices=_sponsor_region_choices,
            help=gettext_lazy("县、乡镇或村（社区）的全称"),
        ),
        ImportColumn("contact_name", gettext_lazy("联系人"), example="张经理"),
        ImportColumn("contact_phone", gettext_lazy("联系电话"), kind="phone", example="13812345678"),
        ImportColumn(
            "payer", gettext_lazy("实际付款人"), help=gettext_lazy("付款人不是资助人本人时填写，如企业负责人个人")
        ),
        ImportColumn("note", gettext_lazy("备注")),
    )

    def check(self, *, user, rows: list[Row]) -> None:
        """Areas, people and the sponsors already registered (and which the user may change): four queries."""
        levels = (Region.Level.COUNTY, *AREA_LEVELS)
        names = {row.values["region"].replace(" ", "") for row in rows}
        areas: dict[str, list[Region]] = {}
        for area in access.readable(user, Region.objects.filter(level__in=levels, name__in=names)):
            areas.setdefault(area.name, []).append(area)
        ids = [row.values["id_number"] for row in rows if row.values["id_number"]]
        people = {p.id_number: p for p in access.readable(user, Person.objects.filter(id_number__in=ids))}
        codes = [normalize_credit_code(row.values["credit_code"] or "") for row in rows]
        sponsors = Sponsor.all_objects.filter(
            Q(credit_code__in=[c for c in codes if c])
            | Q(person__in=list(people.values()))
            | Q(name__in={row.values["name"].strip() for row in rows})
        )
        sponsors = list(sponsors)
        changeable = set(
            access.rows(user, Sponsor.all_objects.filter(pk__in=[s.pk for s in sponsors]), access.CHANGE).values_list(
                "pk", flat=True
            )
        )
        seen: dict[tuple, int] = {}
        for row in rows:
            self._check_row(row, areas, people, sponsors, changeable, seen)

    def _check_row(self, row, areas, people, sponsors, changeable, seen) -> None:
        values = row.values
        values["name"] = values["name"].strip()
        kind = values["kind"]
        values["credit_code"] = code = normalize_credit_code(values["credit_code"] or "")
        if code:
            try:
                validate_credit_code(code)
            except ValidationError as error:
                row.error("credit_code", error.messages[0])
        elif kind == Sponsor.Kind.ENTERPRISE:
            row.error("credit_code", _("爱心企业须填写统一社会信用代码"))
        person = None
        if values["id_number"]:
            person = people.get(values["id_number"])
            if person is None:
                row.error("id_number", _("您负责的范围内没有登记该身份证号的人员，请先登记该人员，或不填身份证号"))
        elif kind == Sponsor.Kind.PARTY_MEMBER:
            row.error("id_number", _("党员结对须填写该党员的身份证号"))
        found = areas.get(values["region"].replace(" ", ""), [])
        if not found:
            row.error("region", _("在您负责的范围内没有名为“%(name)s”的区划") % {"name": values["region"]})
        elif len(found) > 1:
            row.error("region", _("有%(count)s个同名区划，无法确定是哪一个") % {"count": len(found)})
        if row.errors:
            return
        values["person"], values["region"] = person, found[0]
        if code:
            same, match = ("credit_code", code), [s for s in sponsors if s.credit_code == code]
        elif person is not None:
            same, match = ("person", person.pk), [s for s in sponsors if s.person_id == person.pk]
        else:
            same = ("name", values["name"], found[0].pk)
            match = [
                s for s in sponsors if not s.credit_code and s.person_id is None and (s.name, s.region_id) == same[1:]
            ]
        key = {"credit_code": "credit_code", "person": "id_number", "name": "name"}[same[0]]
        if same in seen:
            row.error(key, _("与本文件第%(row)s行是同一资助人") % {"row": seen[same]})
            return
        seen[same] = row.number
        if not match:
            row.status = NEW
            return
        if len(match) > 1:
            row.error(key, _("已有%(count)s个同名、同区划的资助人，无法确定是哪一个") % {"count": len(match)})
            return
        sponsor = match[0]
        if sponsor.pk not in changeable:
            row.error(key, _("该资助人已在其他地区登记，无法在此导入"))
            return
        if sponsor.is_archived:
            row.error(key, _("该资助人已归档，请先在资助人页面恢复"))
            return
        row.target = sponsor
        row.changes = [
            str(Sponsor._meta.get_field(name).verbose_name)
            for name in SPONSOR_FIELDS
            if self._form_value(values, name) != self._form_value(self._current(sponsor), name)
        ]
        row.status = UPDATE if row.changes else UNCHANGED

    @staticmethod
    def _current(sponsor: Sponsor) -> dict:
        return {name: getattr(sponsor, name) for name in SPONSOR_FIELDS}

    @staticmethod
    def _form_value(values: dict, name: str):
        """A field as the form receives it: a region by its code, empty text as ""."""
        value = values.get(name)
        if isinstance(value, Region):
            return value.pk
        return "" if value is None else value

    def save(self, *, user, row: Row) -> None:
        """Through SponsorForm, as the sponsor page saves: its rules, then the row must be the user's."""
        values = row.values
        sponsor = row.target if isinstance(row.target, Sponsor) else None
        data = {name: self._form_value(values, name) for name in SPONSOR_FIELDS}
        data |= {"credit_code": values["credit_code"], "person": values["person"].pk if values["person"] else ""}
        if sponsor is not None:
            data |= {"credit_code": values["credit_code"] or sponsor.credit_code, "version": sponsor.version}
            data["person"] = data["person"] or (sponsor.person_id or "")
        form = SponsorForm(data=data, instance=sponsor, user=user)
        if not form.is_valid():
            raise ValidationError(
                [
                    f"{form.fields[field].label}：{message}" if field in form.fields else message
                    for field, messages in form.errors.items()
                    for message in messages
                ]
            )
        with pghistory.context(user=user.pk):
            saved = form.save()
        if not access.rows(user, Sponsor, access.CHANGE).filter(pk=saved.pk).exists():
            raise ValidationError(_("所选区划不在您的管辖范围内"))
