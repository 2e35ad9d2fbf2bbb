"""Person and Region: what the models derive, check and refuse by themselves."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import BACKSTOPS, Person, Region
from tests.factories import PersonFactory, RegionFactory

pytestmark = pytest.mark.django_db

FEMALE_1949 = "11010519491231002X"  # born 1949-12-31, digit 17 even: female
MALE_1880 = "440524188001010014"  # born 1880-01-01, digit 17 odd: male


@pytest.fixture
def region():
    return RegionFactory(code="990100000000", name="测试县", level=Region.Level.COUNTY)


def new_person(region, **fields) -> Person:
    values = {"name": "王芳", "region": region, "id_number": "", "gender": "", "birth_date": None, "mobile": ""}
    values.update(fields)
    return Person(**values)


def error_messages(excinfo, field) -> list[str]:
    return [str(m) for m in excinfo.value.message_dict[field]]


# --- ID number: derivation and cross-checks -------------------------------------------------


def test_it_derives_gender_and_birth_date_from_the_id_number(region):
    person = new_person(region, id_number=FEMALE_1949)

    person.full_clean()

    assert person.gender == Person.Gender.FEMALE
    assert person.birth_date == dt.date(1949, 12, 31)


def test_it_derives_male_from_an_odd_seventeenth_digit(region):
    person = new_person(region, id_number=MALE_1880)

    person.full_clean()

    assert person.gender == Person.Gender.MALE
    assert person.birth_date == dt.date(1880, 1, 1)


def test_a_gender_that_contradicts_the_id_number_is_an_error_on_gender(region):
    person = new_person(region, id_number=FEMALE_1949, gender=Person.Gender.MALE)

    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()

    assert set(excinfo.value.message_dict) == {"gender"}
    assert error_messages(excinfo, "gender") == ["性别与身份证号不符（身份证号显示为女）"]


def test_a_birth_date_that_contradicts_the_id_number_is_an_error_on_birth_date(region):
    person = new_person(region, id_number=FEMALE_1949, birth_date=dt.date(1950, 1, 2))

    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()

    assert set(excinfo.value.message_dict) == {"birth_date"}
    assert error_messages(excinfo, "birth_date") == ["出生日期与身份证号不符（身份证号显示为1949年12月31日）"]


def test_matching_gender_and_birth_date_are_accepted(region):
    person = new_person(region, id_number=FEMALE_1949, gender="F", birth_date=dt.date(1949, 12, 31))

    person.full_clean()

    assert person.gender == "F"


def test_it_normalises_a_lower_case_x(region):
    person = new_person(region, id_number=FEMALE_1949.lower())

    person.full_clean()

    assert person.id_number == FEMALE_1949


def test_it_normalises_full_width_digits(region):
    full_width = FEMALE_1949[:17].translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}) + "ｘ"
    person = new_person(region, id_number=full_width)

    person.full_clean()

    assert person.id_number == FEMALE_1949
    assert person.birth_date == dt.date(1949, 12, 31)


def test_a_15_digit_id_number_is_refused_with_a_clear_message(region):
    person = new_person(region, id_number="110105491231002")

    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()

    assert error_messages(excinfo, "id_number") == ["请填写18位新版身份证号，15位旧号码已停用"]


def test_a_wrong_checksum_is_an_error_on_the_id_number(region):
    person = new_person(region, id_number=FEMALE_1949[:17] + "3")

    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()

    assert "id_number" in excinfo.value.message_dict
    assert person.gender == ""  # nothing is derived from a number that does not validate


def test_a_future_birth_date_is_refused(region):
    person = new_person(region, birth_date=timezone.localdate() + dt.timedelta(days=1))

    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()

    assert error_messages(excinfo, "birth_date") == ["出生日期不能晚于今天"]


# --- ID number: uniqueness -----------------------------------------------------------------


def test_the_database_refuses_a_second_person_with_the_same_id_number(region):
    PersonFactory(region=region, id_number=FEMALE_1949)

    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(region=region, id_number=FEMALE_1949)


def test_full_clean_reports_a_duplicate_id_number_in_chinese(region):
    PersonFactory(region=region, id_number=FEMALE_1949)
    twin = new_person(region, name="李四", id_number=FEMALE_1949)

    with pytest.raises(ValidationError) as excinfo:
        twin.full_clean()

    assert "该身份证号已登记在另一人员名下" in str(excinfo.value)


def test_many_people_may_have_no_id_number(region):
    PersonFactory(region=region, id_number="")
    PersonFactory(region=region, id_number="")
    third = new_person(region, name="赵六")

    third.full_clean()
    third.save()

    assert Person.objects.filter(region=region, id_number="").count() == 3


# --- Derived flags and keys ----------------------------------------------------------------


def test_a_person_under_14_is_flagged_from_the_birth_date(region):
    today = timezone.localdate()
    child = PersonFactory(region=region, id_number="", birth_date=today.replace(year=today.year - 10))
    elder = PersonFactory(region=region, id_number="", birth_date=dt.date(1950, 1, 2))
    unknown = PersonFactory(region=region, id_number="", birth_date=None)

    assert child.is_under_14 is True
    assert elder.is_under_14 is False
    assert unknown.is_under_14 is False


def test_the_14th_birthday_ends_the_flag(region):
    today = timezone.localdate()
    birthday = today.replace(year=today.year - 14) if (today.month, today.day) != (2, 29) else dt.date(2000, 1, 1)
    fourteen = PersonFactory(region=region, id_number="", birth_date=birthday)

    assert fourteen.is_under_14 is False


def test_pinyin_keys_are_filled_on_save(region):
    person = PersonFactory(region=region, name="张谦")

    person.refresh_from_db()

    assert (person.pinyin, person.pinyin_initials) == ("zhangqian", "zq")


def test_the_surname_reading_of_shan_is_stored(region):
    person = PersonFactory(region=region, name="单雄")

    person.refresh_from_db()

    assert person.pinyin == "shanxiong"


def test_renaming_with_update_fields_refreshes_the_pinyin_keys(region):
    person = PersonFactory(region=region, name="李四")
    person.name = "张谦"

    person.save(update_fields=["name"])
    person.refresh_from_db()

    assert person.pinyin == "zhangqian"


@pytest.mark.parametrize("query", ["zhang", "zq", "张", "ZhangQian", "zhang qian"])
def test_search_finds_zhang_qian_by_name_pinyin_or_initials(region, query):
    zhang = PersonFactory(region=region, name="张谦")
    PersonFactory(region=region, name="李四")

    found = list(Person.objects.filter(region=region).search(query))

    assert found == [zhang]


def test_an_empty_search_keeps_everyone(region):
    PersonFactory.create_batch(2, region=region)

    assert Person.objects.filter(region=region).search("  ").count() == 2


def test_people_sort_by_pinyin_so_zhang_comes_under_z(region):
    for name in ["张谦", "李四", "安娜", "赵六"]:
        PersonFactory(region=region, name=name)

    names = list(Person.objects.filter(region=region).values_list("name", flat=True))

    assert names == ["安娜", "李四", "张谦", "赵六"]


# --- Region --------------------------------------------------------------------------------


@pytest.fixture
def yuqing():
    # Not the counties of the access-test world (tests/world.py), which is in the database.
    province = RegionFactory(code="520000000000", name="贵州省", level=Region.Level.PROVINCE)
    city = RegionFactory(code="520300000000", name="遵义市", level=Region.Level.CITY, parent=province)
    county = RegionFactory(code="520329000000", name="余庆县", level=Region.Level.COUNTY, parent=city)
    town = RegionFactory(code="520329001000", name="子营街道", level=Region.Level.TOWN, parent=county)
    village = RegionFactory(code="520329001001", name="团结社区", level=Region.Level.VILLAGE, parent=town)
    other_county = RegionFactory(code="520330000000", name="习水县", level=Region.Level.COUNTY, parent=city)
    return {
        "province": province,
        "city": city,
        "county": county,
        "town": town,
        "village": village,
        "other_county": other_county,
    }


def test_the_prefix_is_the_significant_digits_of_each_level(yuqing):
    prefixes = {level: region.prefix for level, region in yuqing.items()}

    assert prefixes == {
        "province": "52",
        "city": "5203",
        "county": "520329",
        "town": "520329001",
        "village": "520329001001",
        "other_county": "520330",
    }


def test_in_region_is_the_subtree_by_code_prefix(yuqing):
    in_county = set(Region.objects.in_region(yuqing["county"]).values_list("name", flat=True))
    in_city = set(Region.objects.in_region(yuqing["city"]).values_list("name", flat=True))

    assert in_county == {"余庆县", "子营街道", "团结社区"}
    assert in_city == {"遵义市", "余庆县", "子营街道", "团结社区", "习水县"}


def test_people_in_region_follow_the_subtree(yuqing):
    inside = PersonFactory(region=yuqing["village"])
    PersonFactory(region=yuqing["other_county"])

    assert list(Person.objects.in_region(yuqing["county"])) == [inside]


def test_contains_is_true_for_the_subtree_only(yuqing):
    assert yuqing["county"].contains(yuqing["village"]) is True
    assert yuqing["county"].contains(yuqing["other_county"]) is False


def test_full_name_joins_the_ancestors_without_the_province(yuqing):
    assert yuqing["village"].full_name() == "遵义市余庆县子营街道团结社区"
    assert yuqing["county"].full_name() == "遵义市余庆县"


def test_the_county_of_an_area_is_itself_for_a_county_and_none_above(yuqing):
    counties = {level: region.county() for level, region in yuqing.items()}

    assert counties == {
        "province": None,
        "city": None,
        "county": yuqing["county"],
        "town": yuqing["county"],
        "village": yuqing["county"],
        "other_county": yuqing["other_county"],
    }


def test_the_county_code_is_the_same_in_python_and_in_sql(yuqing):
    in_sql = Region.objects.annotate(county_code=Region.county_code_sql("code")).values_list("code", "county_code")

    assert {code: Region.county_code_of(code) for code, _ in in_sql} == dict(in_sql)
    assert Region.county_code_of("520329001001") == "520329000000"


def test_the_database_refuses_a_region_code_that_is_not_12_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="5111", name="错误", level=Region.Level.COUNTY)


def _backstops():
    from django.apps import apps

    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name in BACKSTOPS:
                yield model, constraint


def test_a_backstop_constraint_only_repeats_its_fields_choices():
    """full_clean leaves backstops to the database: each must refuse nothing the field's own
    validation lets through (its choices, and the blank value when the field may be blank)."""
    backstops = list(_backstops())
    assert len(backstops) > 20
    for model, constraint in backstops:
        allowed: dict[str, set] = {}
        for child in _leaves(constraint.condition):
            name, _sep, op = child[0].partition("__")
            allowed.setdefault(name, set()).update(child[1] if op == "in" else [child[1]])
        for name, values in allowed.items():
            field = model._meta.get_field(name)
            assert field.choices, (model, constraint.name)
            assert {value for value, _label in field.flatchoices} <= values, (model, constraint.name)
            assert not field.blank or "" in values, (model, constraint.name)


def _leaves(q):
    for child in q.children:
        if isinstance(child, tuple):
            yield child
        else:
            yield from _leaves(child)


def test_full_clean_leaves_a_backstop_constraint_to_the_field_and_the_database(region):
    person = new_person(region, gender="X")
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert list(excinfo.value.message_dict) == ["gender"]  # the field's choices say it
    assert "core_person_gender_valid" not in [c.name for _m, cs in person.get_constraints() for c in cs]
