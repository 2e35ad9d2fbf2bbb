"""The audit page (core:audit_list): county staff read their region's users' entries, administrators
all; filters by user, kind, record and date; 50 a page; an Excel export that is itself audited."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.hooks import nav_items_for
from core.models import AuditEntry, User
from core.scoping import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("core:audit_list")


@pytest.fixture
def outsider(world):
    return User.objects.get(username="outside_county_staff")


def entry(kind=AuditEntry.Kind.LOGIN, user=None, username="", days_ago=0, **extra) -> AuditEntry:
    return AuditEntry.objects.create(
        kind=kind,
        user=user,
        username=username or (user.username if user else ""),
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        **extra,
    )


def shown(response) -> set[int]:
    return {e.pk for e in response.context["entries"]}


def test_county_staff_read_the_entries_of_their_countys_users_only(client, world, url, outsider):
    secretary = world.users[Role.BRANCH_SECRETARY]  # scoped by a post: their person lives in the county
    leader = world.users[Role.LEADER]
    mine = [entry(user=secretary), entry(user=leader, kind=AuditEntry.Kind.EXPORT)]
    typed = entry(kind=AuditEntry.Kind.LOGIN_FAILED, username=secretary.username)
    rights = entry(
        kind=AuditEntry.Kind.ROLE_CHANGE,
        user=world.users[Role.ADMIN],
        target_model="core.User",
        target_id=str(leader.pk),
        target_label=leader.username,
    )
    theirs = [entry(user=outsider), entry(kind=AuditEntry.Kind.LOGIN_FAILED, username="nobody-we-know")]
    admins = entry(user=world.users[Role.ADMIN])
    client.force_login(world.users[Role.COUNTY_STAFF])

    seen = shown(client.get(url))

    assert {e.pk for e in mine} | {typed.pk, rights.pk} <= seen
    assert not {e.pk for e in theirs} & seen
    assert admins.pk not in seen


def test_administrators_read_every_entry(client, world, url, outsider):
    entries = {entry(user=outsider).pk, entry(kind=AuditEntry.Kind.LOGIN_FAILED, username="nobody-we-know").pk}
    client.force_login(world.users[Role.ADMIN])

    assert entries <= shown(client.get(url))


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR, Role.LEADER])
def test_other_roles_are_refused(client, world, url, role):
    client.force_login(world.users[role])

    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("role", "listed"),
    [(Role.COUNTY_STAFF, True), (Role.ADMIN, True), (Role.COMMITTEE_STAFF, False), (Role.LEADER, False)],
)
def test_the_menu_offers_the_page_to_county_staff_and_administrators_only(world, role, listed):
    user = User.objects.get(pk=world.users[role].pk)

    assert ("core:audit_list" in {item.url_name for item in nav_items_for(user)}) is listed


def test_it_filters_by_user_kind_record_and_dates(client, world, url):
    secretary, leader = world.users[Role.BRANCH_SECRETARY], world.users[Role.LEADER]
    old = entry(user=secretary, days_ago=40)
    recent = entry(user=secretary, days_ago=1)
    reveal = entry(user=leader, kind=AuditEntry.Kind.REVEAL_ID, target_label="内张谦的档案", reason="核对", days_ago=1)
    client.force_login(world.users[Role.COUNTY_STAFF])
    today = timezone.localdate()

    by_user = shown(client.get(url, {"user": secretary.username}))
    by_kind = shown(client.get(url, {"kind": AuditEntry.Kind.REVEAL_ID}))
    by_record = shown(client.get(url, {"target": "张谦"}))
    since = shown(client.get(url, {"since": (today - dt.timedelta(days=7)).isoformat()}))
    until = shown(client.get(url, {"until": (today - dt.timedelta(days=30)).isoformat()}))

    assert {old.pk, recent.pk} <= by_user
    assert reveal.pk not in by_user
    assert reveal.pk in by_kind
    assert not {old.pk, recent.pk} & by_kind
    assert reveal.pk in by_record
    assert recent.pk not in by_record
    assert {recent.pk, reveal.pk} <= since
    assert old.pk not in since
    assert old.pk in until
    assert not {recent.pk, reveal.pk} & until


def test_a_bad_filter_value_is_no_error(client, world, url):
    client.force_login(world.users[Role.COUNTY_STAFF])

    assert client.get(url, {"kind": "nonsense", "since": "9999-99-99"}).status_code == 200


def test_it_shows_fifty_entries_a_page_newest_first(client, world, url):
    secretary = world.users[Role.BRANCH_SECRETARY]
    AuditEntry.objects.bulk_create(
        AuditEntry(kind=AuditEntry.Kind.LOGIN, user=secretary, username="page-test", occurred_at=timezone.now())
        for _ in range(60)
    )
    client.force_login(world.users[Role.COUNTY_STAFF])

    first = client.get(url, {"user": "page-test"})
    second = client.get(url, {"user": "page-test", "page": 2})

    assert len(first.context["entries"]) == 50
    assert len(second.context["entries"]) == 10
    assert "共 60 条" in first.content.decode()


def test_an_entry_about_a_record_links_to_its_history(client, world, url):
    person = world.inside.person
    entry(
        user=world.users[Role.COUNTY_STAFF],
        kind=AuditEntry.Kind.REVEAL_ID,
        target_model="core.Person",
        target_id=str(person.pk),
        target_label="某人",
        reason="核对",
    )
    client.force_login(world.users[Role.COUNTY_STAFF])

    html = client.get(url, {"kind": AuditEntry.Kind.REVEAL_ID}).content.decode()

    assert reverse("core:person_history", args=[person.pk]) in html


def test_a_record_outside_the_scope_gets_no_link(client, world, url):
    person = world.outside.person
    entry(
        user=world.users[Role.COUNTY_STAFF],
        kind=AuditEntry.Kind.REVEAL_ID,
        target_model="core.Person",
        target_id=str(person.pk),
        target_label="某人",
        reason="核对",
    )
    client.force_login(world.users[Role.COUNTY_STAFF])

    html = client.get(url, {"kind": AuditEntry.Kind.REVEAL_ID}).content.decode()

    assert reverse("core:person_history", args=[person.pk]) not in html


@pytest.mark.parametrize("how_many", [5, 60])
def test_the_page_query_count_does_not_grow_with_the_entries(
    client, world, url, how_many, django_assert_max_num_queries
):
    staff = world.users[Role.COUNTY_STAFF]
    people = [world.inside.person, world.inside.secretary_person, world.inside.director_person]
    for n in range(how_many):
        entry(
            user=staff,
            kind=AuditEntry.Kind.REVEAL_ID,
            target_model="core.Person",
            target_id=str(people[n % 3].pk),
            reason="核对",
        )
        entry(kind=AuditEntry.Kind.ROLE_CHANGE, user=staff, target_model="core.User", target_id=str(staff.pk))
    client.force_login(staff)
    client.get(url)

    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_the_excel_export_keeps_the_filters_and_is_itself_audited(client, world, url):
    secretary = world.users[Role.BRANCH_SECRETARY]
    entry(user=secretary, kind=AuditEntry.Kind.REVEAL_ID, reason="核对待遇")
    entry(user=secretary, kind=AuditEntry.Kind.LOGIN)
    staff = world.users[Role.COUNTY_STAFF]
    client.force_login(staff)

    response = client.get(url, {"export": "xlsx", "kind": AuditEntry.Kind.REVEAL_ID, "user": secretary.username})

    rows = [list(r) for r in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values]
    assert rows[0][:3] == ["时间", "类别", "用户名"]
    assert [(r[1], r[2], r[7]) for r in rows[1:]] == [("查看完整身份证号", secretary.username, "核对待遇")]
    export = AuditEntry.objects.filter(user=staff, kind=AuditEntry.Kind.EXPORT).get()
    assert (export.detail["model"], export.detail["rows"]) == ("core.AuditEntry", 1)
