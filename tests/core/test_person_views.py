"""The people pages: list with filters and paging, and the create/edit form's checks."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from core.models import Person
from core.scoping import Role
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("core:person_list")
CREATE_URL = reverse("core:person_create")
# The list page's queries: session, user, count, page of people with regions, and nothing per row.
LIST_QUERY_LIMIT = 10


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    return client


def names(response) -> list[str]:
    return [p.name for p in response.context["object_list"]]


def new_person_data(world, **changes) -> dict:
    data = {
        "name": "刘新来",
        "id_number": "",
        "gender": "",
        "birth_date": "",
        "mobile": "",
        "region": world.inside.town.pk,
        "address": "",
        "note": "",
    }
    data.update(changes)
    return data


def field_errors(response, field) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_only_people_of_the_users_county(staff_client, world):
    response = staff_client.get(LIST_URL)

    shown = set(names(response))
    assert world.inside.person.name in shown
    assert world.outside.person.name not in shown


def test_the_list_searches_by_pinyin(staff_client, world):
    PersonFactory(region=world.inside.town, name="单雄")

    response = staff_client.get(LIST_URL, {"q": "shanx"})

    assert names(response) == ["单雄"]


def test_the_list_searches_by_initials_and_chinese(staff_client, world):
    PersonFactory(region=world.inside.town, name="欧阳修")

    assert names(staff_client.get(LIST_URL, {"q": "oyx"})) == ["欧阳修"]
    assert names(staff_client.get(LIST_URL, {"q": "阳修"})) == ["欧阳修"]


def test_the_list_filters_by_gender(staff_client, world):
    PersonFactory(region=world.inside.town, name="甲女", gender="F")
    PersonFactory(region=world.inside.town, name="乙男", gender="M")

    women = staff_client.get(LIST_URL, {"gender": "F"})

    assert {p.gender for p in women.context["object_list"]} == {"F"}
    assert "甲女" in names(women)
    assert "乙男" not in names(women)


def test_the_list_sorts_by_pinyin_by_default_and_by_birth_date_on_request(staff_client, world):
    PersonFactory(region=world.inside.town, name="赵老", birth_date=dt.date(1940, 1, 1), id_number="")
    PersonFactory(region=world.inside.town, name="安老", birth_date=dt.date(1950, 1, 1), id_number="")

    by_name = names(staff_client.get(LIST_URL, {"q": "老"}))
    by_birth = names(staff_client.get(LIST_URL, {"q": "老", "o": "birth_date"}))

    assert by_name == ["安老", "赵老"]
    assert by_birth == ["赵老", "安老"]


def test_the_list_pages_by_25_and_keeps_the_filter_in_the_page_links(staff_client, world):
    PersonFactory.create_batch(30, region=world.inside.village, gender="M")

    first = staff_client.get(LIST_URL, {"gender": "M"})
    second = staff_client.get(LIST_URL, {"gender": "M", "page": 2})

    total = Person.objects.visible_to(first.wsgi_request.user).filter(gender="M").count()
    assert len(first.context["object_list"]) == 25
    assert len(second.context["object_list"]) == total - 25
    assert "gender=M&amp;page=2" in first.content.decode()
    assert set(names(first)).isdisjoint(names(second))


def test_a_page_past_the_end_is_not_found(staff_client):
    assert staff_client.get(LIST_URL, {"page": 99}).status_code == 404


@pytest.mark.parametrize("how_many", [5, 50])
def test_the_list_query_count_does_not_grow_with_the_number_of_people(
    staff_client, world, how_many, django_assert_max_num_queries
):
    PersonFactory.create_batch(how_many, region=world.inside.village)

    with django_assert_max_num_queries(LIST_QUERY_LIMIT):
        response = staff_client.get(LIST_URL)

    assert response.status_code == 200
    assert len(response.context["object_list"]) == min(25, how_many + 5)


def test_the_list_query_count_is_the_same_for_5_and_50_people(staff_client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for batch in (5, 45):
        PersonFactory.create_batch(batch, region=world.inside.village)
        with CaptureQueriesContext(connection) as queries:
            staff_client.get(LIST_URL)
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- Creating people: dates, numbers and phones ------------------------------------------------


@pytest.mark.parametrize("typed", ["1950年1月2日", "1950/1/2", "1950-01-02", "1950年01月02日", "1950-1-2"])
def test_create_accepts_dates_typed_the_chinese_way(staff_client, world, typed):
    response = staff_client.post(CREATE_URL, new_person_data(world, birth_date=typed))

    assert response.status_code == 302, response.context["form"].errors
    assert Person.objects.get(name="刘新来").birth_date == dt.date(1950, 1, 2)


def test_create_redirects_to_the_new_person_with_a_message(staff_client, world):
    response = staff_client.post(CREATE_URL, new_person_data(world))

    person = Person.objects.get(name="刘新来")
    assert response["Location"] == person.get_absolute_url()
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已保存"]


def test_create_derives_gender_and_birth_date_from_the_id_number(staff_client, world):
    staff_client.post(CREATE_URL, new_person_data(world, id_number="11010519491231002x"))

    person = Person.objects.get(name="刘新来")
    assert (person.id_number, person.gender, person.birth_date) == ("11010519491231002X", "F", dt.date(1949, 12, 31))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "11010519491231002A", "身份证号只能由数字组成，最后一位可以是字母X"),
        ("id_number", "110105194912310021", "身份证号校验位不正确，请核对是否有输错的数字"),
        ("id_number", "110105491231002", "请填写18位新版身份证号，15位旧号码已停用"),
        ("mobile", "12345", "手机号码格式不正确，应为1开头的11位号码，第二位为3至9"),
        ("mobile", "abc", "请填写正确的手机号码（11位）或固定电话（如0833-1234567）"),
        ("birth_date", "2099年1月1日", "出生日期不能晚于今天"),
        ("birth_date", "1950年13月1日", "输入一个有效的日期。"),
    ],
)
def test_bad_input_is_a_chinese_error_on_its_field_and_saves_nothing(staff_client, world, field, value, message):
    response = staff_client.post(CREATE_URL, new_person_data(world, **{field: value}))

    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert set(response.context["form"].errors) == {field}
    assert Person.all_objects.filter(name="刘新来").exists() is False
    assert message in response.content.decode()


def test_tomorrow_is_refused_as_a_birth_date(staff_client, world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = staff_client.post(CREATE_URL, new_person_data(world, birth_date=tomorrow.isoformat()))

    assert field_errors(response, "birth_date") == ["出生日期不能晚于今天"]


def test_a_gender_contradicting_the_id_number_is_an_error_on_gender(staff_client, world):
    response = staff_client.post(CREATE_URL, new_person_data(world, id_number="11010519491231002X", gender="M"))

    assert field_errors(response, "gender") == ["性别与身份证号不符（身份证号显示为女）"]
    assert Person.all_objects.filter(name="刘新来").exists() is False


def test_an_id_number_already_registered_is_refused_on_the_form(staff_client, world):
    response = staff_client.post(CREATE_URL, new_person_data(world, id_number=world.inside.person.id_number))

    assert response.status_code == 200
    assert field_errors(response, "id_number") == ["该身份证号已登记在另一人员名下"]
    assert Person.all_objects.filter(name="刘新来").exists() is False


def test_an_id_number_of_an_archived_person_is_still_taken(staff_client, world):
    archived = PersonFactory(region=world.inside.town)
    archived.archive(by=world.users[Role.COUNTY_STAFF])

    response = staff_client.post(CREATE_URL, new_person_data(world, id_number=archived.id_number))

    assert response.status_code == 200
    assert field_errors(response, "id_number") == ["该身份证号已登记在另一人员名下"]
    assert Person.all_objects.filter(name="刘新来").exists() is False


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0833-1234567", "0833-1234567"),
        ("+86 138-1234-5678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("０８３３－１２３４５６７", "0833-1234567"),
    ],
)
def test_phones_are_accepted_and_normalised(staff_client, world, typed, stored):
    response = staff_client.post(CREATE_URL, new_person_data(world, mobile=typed))

    assert response.status_code == 302, response.context["form"].errors
    assert Person.objects.get(name="刘新来").mobile == stored


def test_an_id_number_typed_with_spaces_and_full_width_digits_is_stored_clean(staff_client, world):
    typed = "１１０１０５ １９４９１２３１ ００２ｘ"

    response = staff_client.post(CREATE_URL, new_person_data(world, id_number=typed))

    assert response.status_code == 302, response.context["form"].errors
    assert Person.objects.get(name="刘新来").id_number == "11010519491231002X"


# --- Choices are limited to the user's scope ---------------------------------------------------


def test_the_region_choices_are_the_users_county_only(staff_client, world):
    form = staff_client.get(CREATE_URL).context["form"]

    offered = set(form.fields["region"].queryset.values_list("pk", flat=True))
    assert offered == {world.inside.region.pk, world.inside.town.pk, world.inside.village.pk}


def test_a_region_of_another_county_is_refused_as_an_invalid_choice(staff_client, world):
    response = staff_client.post(CREATE_URL, new_person_data(world, region=world.outside.town.pk))

    assert response.status_code == 200
    errors = field_errors(response, "region")
    assert len(errors) == 1
    assert "选择一个有效的选项" in errors[0]
    assert Person.all_objects.filter(name="刘新来").exists() is False


def test_moving_a_person_to_another_county_is_refused(staff_client, world):
    person = PersonFactory(region=world.inside.town)
    data = new_person_data(
        world,
        name=person.name,
        id_number=person.id_number,
        region=world.outside.town.pk,
        version=person.version,
    )

    response = staff_client.post(reverse("core:person_update", args=[person.pk]), data)

    assert response.status_code == 200
    assert field_errors(response, "region")
    person.refresh_from_db()
    assert person.region == world.inside.town


def test_a_person_keeps_their_own_id_number_when_edited(staff_client, world):
    person = PersonFactory(region=world.inside.town)
    data = new_person_data(world, name=person.name, id_number=person.id_number, version=person.version, note="改备注")

    response = staff_client.post(reverse("core:person_update", args=[person.pk]), data)

    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.note == "改备注"


def test_the_edit_form_shows_the_current_values(staff_client, world):
    person = world.inside.person

    response = staff_client.get(reverse("core:person_update", args=[person.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{person.name}"' in html
    assert 'name="version"' in html
