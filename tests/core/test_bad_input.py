"""Bad input never breaks anything (core.input, core.forms): control characters, dates out of
range, constraint violations, edits without their version, decompression bombs, long names.

The property-based tests post hostile values into every field of every add form and every
query parameter of every list page of the access matrix, as the administrator (who reaches
every page): never a server error, and a refused submission saves nothing.
"""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from branches import photos
from branches.models import CarePair
from core.models import Person
from core.scoping import Role
from tests.access.test_access_matrix import CASES, _history_events, _request, _url

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\x07\x1b[31m",
            "x" * 10_000,
            "<script>alert(1)</script>",
            "'; DROP TABLE core_person; --",
            "1 OR 1=1",
            "-1",
            "0",
            "99999999999999999999",
            "1e308",
            "NaN",
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "😀👨‍👩‍👧",
            "../../etc/passwd",
            "%00",
            "",
        ]
    ),
)
FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
SKIP_FIELDS = {"csrfmiddlewaretoken"}


def person_data(**overrides):
    data = {"name": "测试人员", "gender": "M", "birth_date": "", "id_number": "", "mobile": "", "note": ""}
    data.update(overrides)
    return data


# --- Control characters ----------------------------------------------------------------------


def test_a_nul_byte_in_a_search_is_harmless(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])

    response = client.get(reverse("core:person_list"), {"q": "张\x00三"})

    assert response.status_code == 200


def test_control_characters_are_stripped_from_what_is_saved(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])

    client.post(
        reverse("core:person_create"),
        person_data(name="控\x00制\x07字符", note="第一行\n第二行\x1b", region=world.inside.region.pk),
    )

    person = Person.objects.get(name="控制字符")
    assert person.note == "第一行\n第二行"


# --- Dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0001-01-01", "不能早于1900年1月1日"),
        ("1899-12-31", "不能早于1900年1月1日"),
        ("9999-12-31", "不能晚于今天"),
        ((dt.date.today() + dt.timedelta(days=1)).isoformat(), "不能晚于今天"),
    ],
)
def test_a_birth_date_out_of_range_gets_a_message_on_the_field(client, world, value, message):
    client.force_login(world.users[Role.COUNTY_STAFF])

    response = client.post(
        reverse("core:person_create"), person_data(name="日期测试", birth_date=value, region=world.inside.region.pk)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Person.objects.filter(name="日期测试").exists() is False


def test_activities_may_be_planned_ahead_but_not_for_the_year_9999(world):
    from branches.models import Activity

    field = Activity._meta.get_field("held_on")
    field.run_validators(dt.date.today() + dt.timedelta(days=30))
    with pytest.raises(Exception, match="不能晚于"):
        field.run_validators(dt.date(9999, 12, 31))


# --- Constraints and versions ----------------------------------------------------------------


def test_a_second_identical_care_pair_gets_a_message_not_a_server_error(client, world):
    pair = world.inside.care_pair
    client.force_login(world.users[Role.COUNTY_STAFF])
    before = CarePair.objects.filter(retiree=pair.retiree).count()

    response = client.post(
        reverse("branches:carepair_create"),
        {"cadre": pair.cadre_id, "retiree": pair.retiree_id, "started_on": "2026-03-01", "note": ""},
    )

    assert response.status_code == 200
    assert "保存未成功：与已有的记录重复或冲突" in response.content.decode()
    assert CarePair.objects.filter(retiree=pair.retiree).count() == before


def test_an_edit_without_its_version_is_refused(client, world):
    person = world.inside.person
    client.force_login(world.users[Role.COUNTY_STAFF])
    data = person_data(name="改名测试", region=person.region_id, gender=person.gender)

    response = client.post(reverse("core:person_update", args=[person.pk]), data)

    assert response.status_code == 200
    assert "缺少版本信息" in response.content.decode()
    assert Person.all_objects.get(pk=person.pk).name == person.name


# --- Files -----------------------------------------------------------------------------------


def png(width, height) -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("1", (width, height)).save(out, "PNG", optimize=True)
    return SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = png(12_000, 12_000)  # 144 megapixels in a few kilobytes

    assert bomb.size < 100_000
    with pytest.raises(Exception, match="像素过多"):
        photos.check_photo(bomb)


def test_a_photo_just_under_the_limit_is_checked_normally():
    photos.check_photo(png(7000, 7000))  # 49 megapixels


def test_a_long_attachment_name_keeps_its_extension():
    name = "会议纪要" * 80 + ".docx"

    short = photos.shortened_name(name)

    assert len(short) == 200
    assert short.endswith(".docx")
    assert photos.shortened_name("C:\\fakepath/../纪要.pdf") == "纪要.pdf"


# --- Hostile values everywhere (hypothesis, bounded) -----------------------------------------

GET_PAGES = [c for c in CASES if c.method == "get" and not c.public]
QUERY_PAGES = GET_PAGES
FORM_PAGES = [c for c in GET_PAGES if c.url_name.endswith(("_create", "_update", "_add", "_edit"))]
QUERY_NAMES = ["q", "year", "month", "page", "retiree", "branch", "region", "status", "kind", "o", "archived"]


@pytest.mark.parametrize("case", QUERY_PAGES, ids=lambda c: c.id)
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(values=st.dictionaries(st.sampled_from(QUERY_NAMES), HOSTILE, max_size=4))
def test_hostile_query_parameters_never_break_a_page(client, world, case, values):
    client.force_login(world.users[Role.ADMIN])

    response = client.get(_url(case, world.inside), values)

    assert response.status_code < 500, (case.id, values)


def _field_names(client, case, world) -> list[str]:
    html = _request(client, case, world.inside).content.decode()
    return sorted({name for name in FIELD_NAME.findall(html) if name not in SKIP_FIELDS})


@pytest.mark.parametrize("case", FORM_PAGES, ids=lambda c: c.id)
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_hostile_form_values_never_break_a_form_and_a_refusal_saves_nothing(client, world, case, data):
    client.force_login(world.users[Role.ADMIN])
    names = _field_names(client, case, world)
    values = {name: data.draw(HOSTILE, label=name) for name in names}
    before = _history_events()

    response = client.post(_url(case, world.inside), values)

    assert response.status_code < 500, (case.id, values)
    if response.status_code == 200:  # the form again, with its messages: nothing was saved
        assert _history_events() == before, (case.id, values)
