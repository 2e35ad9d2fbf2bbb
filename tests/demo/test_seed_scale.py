"""`manage.py seed_scale`: 永顺县 grown once, copied under 湖南省 with every app's rows, and
pages whose query count does not grow with the data (the province user runs as many queries
as the county one). The copies skip triggers and foreign-key checks, so the checks here are
the proof that what they wrote holds together."""

# ruff: noqa: S608 (statements built from the catalogue's table and column names)

import datetime as dt
import io

import pghistory.models
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.management.commands import seed_scale
from branches.models import Activity, Branch, Retiree
from core.models import Region, User

pytestmark = pytest.mark.django_db

YONGSHUN = "433127000000"
COPIES = ["439001000000", "439002000000"]
GROWTH = 0.05
APPS = ("branches", "volunteers", "aid_cases", "funds")


def _fingerprint() -> dict[str, object]:
    """What the grown rows of 永顺 add up to, without their ids (sequences differ between runs)."""
    queries = {
        "activities": "SELECT count(*), sum(held_on - date '2000-01-01') FROM branches_activity"
        " WHERE region_id LIKE '433127%%'",
        "attendance": "SELECT count(*), count(*) FILTER (WHERE a.status = 'present') FROM branches_attendance a"
        " JOIN branches_activity x ON x.id = a.activity_id WHERE x.region_id LIKE '433127%%'",
        "volunteers": "SELECT count(*), count(retiree_id), sum(registered_on - date '2000-01-01')"
        " FROM volunteers_volunteer WHERE county_code = '433127000000'",
        "hours": "SELECT count(*), sum(h.hours), sum(r.served_on - date '2000-01-01') FROM volunteers_servicehours h"
        " JOIN volunteers_servicerecord r ON r.id = h.record_id WHERE r.region_id LIKE '433127%%'",
        "children": "SELECT count(*) FROM aid_cases_child WHERE region_id LIKE '433127%%'",
        "disbursements": "SELECT count(*), sum(d.amount), sum(d.for_month - date '2000-01-01')"
        " FROM aid_cases_disbursement d JOIN aid_cases_aidcase c ON c.id = d.case_id"
        " JOIN aid_cases_child ch ON ch.id = c.child_id WHERE ch.region_id LIKE '433127%%'",
    }
    with connection.cursor() as cursor:
        result = {}
        for name, sql in queries.items():
            cursor.execute(sql, [])
            result[name] = cursor.fetchone()
        return result


@pytest.fixture(scope="module")
def seeded(demo, django_db_blocker):
    """永顺 grown by a twentieth of the gap and copied twice, over the package's demo, rolled back
    after the module. The growth is first run alone and undone, to compare two runs."""
    with django_db_blocker.unblock(), transaction.atomic():
        with transaction.atomic():
            call_command("seed_scale", counties=0, growth=GROWTH, stdout=io.StringIO())
            first_growth = _fingerprint()
            transaction.set_rollback(True)
        out = io.StringIO()
        last_activity = Activity.all_objects.order_by("-pk").values_list("pk", flat=True).first()
        call_command("seed_scale", counties=2, growth=GROWTH, workers=1, stdout=out)
        yield {"out": out.getvalue(), "first_growth": first_growth, "last_activity": last_activity}
        transaction.set_rollback(True)


def _counts(code: str) -> tuple[int, int, int]:
    region = Region.objects.get(code=code)
    return (
        Branch.all_objects.in_region(region).count(),
        Retiree.all_objects.in_region(region).count(),
        Activity.all_objects.in_region(region).count(),
    )


def _branch_list_queries(username: str) -> int:
    client = Client()
    client.force_login(User.objects.get(username=username))
    url = reverse("branches:branch_list")
    client.get(url, secure=True)  # warm-up (session, caches)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    assert response.status_code == 200
    return len(queries)


def _rows(cursor, sql: str) -> list[tuple]:
    cursor.execute(sql, [])
    return cursor.fetchall()


def test_spec_lists_every_model_of_the_apps():
    listed = {seed_scale._model(label) for label, _ in seed_scale.SPEC}
    left_out = {apps.get_model(label) for label in seed_scale.NOT_COPIED}
    models = {
        model
        for app in APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        if not issubclass(model, pghistory.models.Event)
    }
    assert models - listed - left_out == set()
    assert apps.get_model("core.Person") in listed


def test_region_code_columns_of_the_copied_tables_are_moved():
    for label, _ in seed_scale.SPEC:
        for field in seed_scale._model(label)._meta.concrete_fields:
            if field.get_internal_type() == "CharField" and field.max_length == 12 and field.name.endswith("_code"):
                assert field.column in seed_scale.REGION_CODE_COLUMNS, label


def test_yongshun_is_grown_towards_a_county(seeded):
    grown = _fingerprint()
    assert grown["volunteers"][0] >= round(seed_scale.TARGETS["volunteers"] * GROWTH)
    assert grown["hours"][0] > round(seed_scale.TARGETS["service_records"] * GROWTH)
    assert grown["children"][0] >= round(seed_scale.TARGETS["children"] * GROWTH)
    assert grown["disbursements"][0] >= round(seed_scale.TARGETS["disbursements"] * GROWTH)
    assert grown["activities"][0] > 2700 + 1000
    assert "永顺县 grown" in seeded["out"]


def test_growth_gives_the_same_rows_twice(seeded):
    assert _fingerprint() == seeded["first_growth"]


def test_each_copy_has_every_table_of_yongshun(seeded):
    with connection.cursor() as cursor:
        source = seed_scale.number_source(cursor, seed_scale.SOURCE, "s_")
        assert source["volunteers_servicehours"] > 0
        assert source["aid_cases_disbursement"] > 0
        assert source["funds_fundentry"] > 0
        for code in COPIES:
            assert seed_scale.number_source(cursor, code[:6], "c_") == source, code
    for code in COPIES:
        region = Region.objects.get(code=code)
        assert region.is_demo_code
        assert region.level == "county"
        assert region.name.startswith("规模测试县")
        assert _counts(code) == _counts(YONGSHUN)
        # the copies' people are new rows, without ID numbers
        assert not Retiree.objects.in_region(region).exclude(person__id_number="").exists()
        assert not Retiree.objects.in_region(region).filter(person__region__code__startswith="433127").exists()


def test_no_foreign_key_dangles(seeded):
    """Every foreign key of the copied tables over pg_constraint (the copies ran without FK checks)."""
    tables = ", ".join(f"'{t}'" for t in [*seed_scale.copied_tables(), "core_region", "branches_activitypresence"])
    with connection.cursor() as cursor:
        keys = _rows(
            cursor,
            "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname"
            " FROM pg_constraint c"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]"
            f" WHERE c.contype = 'f' AND c.conrelid::regclass::text IN ({tables})",
        )
        assert len(keys) > 100
        dangling = []
        for table, column, target, target_column in keys:
            (missing,) = _rows(
                cursor,
                f'SELECT count(*) FROM {table} t WHERE t."{column}" IS NOT NULL AND NOT EXISTS'
                f' (SELECT 1 FROM {target} f WHERE f."{target_column}" = t."{column}")',
            )[0]
            if missing:
                dangling.append((table, column, missing))
    assert dangling == []


def test_unique_indexes_hold(seeded):
    """Each unique index's columns are unique among its rows (NULLs aside), as the copy must keep them."""
    tables = ", ".join(f"'{t}'" for t in seed_scale.copied_tables())
    with connection.cursor() as cursor:
        indexes = _rows(
            cursor,
            "SELECT c.relname, i.indexrelid::regclass::text,"
            " array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnatts) AS k),"
            " pg_get_expr(i.indpred, i.indrelid)"
            " FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
            f" WHERE i.indisunique AND c.relname IN ({tables})",
        )
        assert len(indexes) > 40
        broken = []
        for table, index, columns, predicate in indexes:
            where = " AND ".join([*(f"{c} IS NOT NULL" for c in columns), *([f"({predicate})"] if predicate else [])])
            duplicated = _rows(
                cursor,
                f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where.replace('%', '%%')}"
                f" GROUP BY {', '.join(columns)} HAVING count(*) > 1) d",
            )[0][0]
            if duplicated:
                broken.append(index)
    assert broken == []


def test_copies_keep_unique_numbers_apart(seeded):
    from aid_cases.models import Sponsor
    from volunteers.models import Volunteer

    for code in COPIES:
        sponsors = Sponsor.all_objects.filter(region__code__startswith=code[:6], kind="enterprise")
        assert all(s.credit_code.endswith(code[:6]) and len(s.credit_code) <= 18 for s in sponsors)
    numbers = Volunteer.all_objects.filter(county_code=YONGSHUN).values_list("number", flat=True)
    assert set(Volunteer.all_objects.filter(county_code=COPIES[0]).values_list("number", flat=True)) == set(numbers)


def test_a_volunteer_serves_at_most_24_hours_a_day(seeded):
    with connection.cursor() as cursor:
        worst = _rows(
            cursor,
            "SELECT coalesce(max(total), 0) FROM (SELECT sum(h.hours) AS total FROM volunteers_servicehours h"
            " JOIN volunteers_servicerecord r ON r.id = h.record_id"
            " WHERE r.archived_at IS NULL AND r.status <> 'returned' GROUP BY h.volunteer_id, r.served_on) d",
        )[0][0]
    assert 0 < worst <= 24


def test_region_codes_stay_inside_each_county(seeded):
    from funds.models import Ledger
    from volunteers.models import Volunteer

    for code in [YONGSHUN, *COPIES]:
        prefix = code[:6]
        retirees = Retiree.all_objects.filter(branch__region__code__startswith=prefix)
        assert retirees.exists()
        assert not retirees.exclude(region_code__startswith=prefix).exists()
        volunteers = Volunteer.all_objects.filter(committee__region__code__startswith=prefix)
        assert volunteers.exists()
        assert not volunteers.exclude(region__code__startswith=prefix).exists()
        assert set(volunteers.values_list("county_code", flat=True)) == {code}
        ledgers = Ledger.all_objects.filter(region_code__startswith=prefix)
        assert ledgers.exists()
        assert (
            not Ledger.all_objects.filter(branch__region__code__startswith=prefix)
            .exclude(region_code__startswith=prefix)
            .exists()
        )


def test_nothing_grown_or_copied_lies_in_the_future(seeded):
    from aid_cases.models import Disbursement
    from volunteers.models import ServiceRecord

    today = dt.date.today()
    for code in [YONGSHUN, *COPIES]:
        prefix = code[:6]
        disbursements = Disbursement.all_objects.filter(case__child__region__code__startswith=prefix)
        assert disbursements.count() >= round(seed_scale.TARGETS["disbursements"] * GROWTH)
        assert not disbursements.filter(for_month__gt=today).exists()
        assert not disbursements.filter(paid_on__gt=today).exists()
        records = ServiceRecord.all_objects.filter(region__code__startswith=prefix)
        assert records.count() >= round(seed_scale.TARGETS["service_records"] * GROWTH)
        assert not records.filter(served_on__gt=today).exists()
        assert not records.filter(confirmed_at__gt=dt.datetime.now(dt.UTC)).exists()


def test_presence_counts_agree_with_the_rolls(seeded):
    from django.db.models import Count, Q

    for code in [YONGSHUN, *COPIES]:
        activities = Activity.all_objects.filter(region__code__startswith=code[:6])
        raw = dict(
            activities.annotate(
                n=Count("attendances", filter=Q(attendances__status="present", attendances__archived_at__isnull=True))
            ).values_list("pk", "n")
        )
        kept = dict(activities.values_list("pk", "presence__present"))
        assert {pk: kept[pk] or 0 for pk in raw} == raw
        assert sum(raw.values()) > 10_000


def test_the_reports_tallies_are_rebuilt_after_the_copies(seeded):
    """The copies bypass the tallies' triggers: the province's figures from the tallies are still
    the records' own."""
    from reports import tallies
    from reports.selectors.annual import STUDY_COUNTS, STUDY_PERSON_TIMES, activity_counts

    province = Region.objects.get(code="430000000000")
    start, on = dt.date(2020, 1, 1), dt.date.today()
    records = activity_counts(Activity.objects.in_region(province).filter(held_on__gte=start, held_on__lte=on))
    assert tallies.activity_figures(province, start, on, STUDY_COUNTS, STUDY_PERSON_TIMES) == records
    assert records["activities"] > 3 * 2_000


def test_grown_rolls_are_the_branch_members(seeded):
    with connection.cursor() as cursor:
        strangers = _rows(
            cursor,
            "SELECT count(*) FROM branches_attendance a JOIN branches_activity x ON x.id = a.activity_id"
            f" WHERE x.id > {seeded['last_activity']} AND x.region_id LIKE '433127%%' AND NOT EXISTS"
            " (SELECT 1 FROM branches_membership m JOIN branches_retiree r ON r.id = m.retiree_id"
            " WHERE m.branch_id = x.branch_id AND r.person_id = a.person_id)",
        )[0][0]
        grown = _rows(
            cursor,
            f"SELECT count(*) FROM branches_activity WHERE id > {seeded['last_activity']}"
            " AND region_id LIKE '433127%%' AND branch_id IS NOT NULL",
        )[0][0]
    assert grown > 1000
    assert strangers == 0


def test_second_run_grows_nothing_and_skips_the_counties_present(seeded):
    before = Branch.all_objects.count()
    grown = _fingerprint()
    out = io.StringIO()
    call_command("seed_scale", counties=2, growth=GROWTH, workers=1, stdout=out)
    assert Branch.all_objects.count() == before
    assert _fingerprint() == grown
    assert "grown" not in out.getvalue()
    assert out.getvalue().count("skipped") == 2


def test_province_user_sees_three_yongshun(seeded):
    county = User.objects.get(username="laoganju")
    province = User.objects.get(username="sheng_laoganju")
    assert province.region_id == "430000000000"
    assert province.role == "county_staff"
    assert User.objects.get(username="shengji").role == "leader"
    in_yongshun = Branch.objects.visible_to(county).count()
    # 湖南省 also holds the demo county 溆浦县 (431224), which has no copies.
    xupu = Branch.objects.in_region(Region.objects.get(code="431224000000")).count()
    assert Branch.objects.visible_to(province).count() == 3 * in_yongshun + xupu


def test_branch_list_query_count_does_not_grow_with_the_scope(seeded):
    assert _branch_list_queries("sheng_laoganju") == _branch_list_queries("laoganju")


def _branch_options(html: str) -> int:
    select = html.split('name="branch"', 1)[1].split("</select>", 1)[0]
    return select.count("<option") - 1  # not the empty choice


def test_branch_picker_of_any_scope_renders_only_the_chosen_branch(seeded):
    # The branches are looked up as the user types (core.lookups): a province's 7,000 cost what a county's 30 do.
    client = Client()
    client.force_login(User.objects.get(username="sheng_laoganju"))
    url = reverse("branches:activity_list")
    assert Branch.objects.visible_to(User.objects.get(username="sheng_laoganju")).count() > 100
    assert _branch_options(client.get(url, secure=True).content.decode()) == 0
    copies = Branch.objects.filter(region__code__startswith="439002", activities__isnull=False).distinct()
    branch = copies.order_by("pk").first()
    response = client.get(url, {"branch": branch.pk}, secure=True)
    assert _branch_options(response.content.decode()) == 1
    assert {a.branch_id for a in response.context["object_list"]} == {branch.pk}
    client.force_login(User.objects.get(username="laoganju"))
    assert _branch_options(client.get(url, secure=True).content.decode()) == 0
