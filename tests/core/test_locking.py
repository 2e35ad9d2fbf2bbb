"""Optimistic locking: a save made from a form opened before someone else's save is refused."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from pghistory.models import Events

from branches.models import Retiree
from core.forms import VersionedModelForm
from core.models import DomainModel, Person, StaleRecordError
from core.person_forms import PersonForm
from core.scoping import Role
from tests.factories import PersonFactory, RetireeFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFLICT_START = "保存未成功：这条记录已在"
CONFLICT_END = "修改。您填写的内容还在表单里；请对照下面列出的不同之处核对，确认后再点保存，将以您填写的为准。"


def form_data(person: Person, **changes) -> dict:
    data = {
        "name": person.name,
        "id_number": person.id_number,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "mobile": person.mobile,
        "region": person.region_id,
        "address": person.address,
        "note": person.note,
        "version": person.version,
    }
    data.update(changes)
    return data


def opened_form_data(response) -> dict:
    """What the browser would send back: the initial values of the form it was given."""
    form = response.context["form"]
    return {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}


@pytest.fixture
def person(world):
    return PersonFactory(region=world.inside.town, name="王建国", address="灵溪镇1号", mobile="13900000001")


@pytest.fixture
def alice(client, world):
    client.force_login(world.users[Role.COUNTY_STAFF])
    return client


@pytest.fixture
def bob(world):
    from django.test import Client

    other = Client()
    other.force_login(world.users[Role.COMMITTEE_STAFF])
    return other


def stored(person) -> Person:
    return Person.objects.get(pk=person.pk)


# --- Through the views -------------------------------------------------------------------------


def test_it_refuses_a_second_save_from_a_stale_form(alice, bob, person):
    url = reverse("core:person_update", args=[person.pk])
    alice_form = opened_form_data(alice.get(url))
    bob_form = opened_form_data(bob.get(url))
    assert alice_form["version"] == bob_form["version"] == 1

    first = alice.post(url, {**alice_form, "address": "爱丽丝改的地址"})
    second = bob.post(url, {**bob_form, "address": "鲍勃改的地址"})

    assert first.status_code == 302
    assert second.status_code == 200
    errors = second.context["form"].non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith(CONFLICT_START)
    assert errors[0].endswith(CONFLICT_END)
    assert CONFLICT_START in second.content.decode()
    assert stored(person).address == "爱丽丝改的地址"
    assert stored(person).version == 2


def test_a_refused_save_says_who_saved_what_differs_and_keeps_the_edits(alice, bob, person, world):
    url = reverse("core:person_update", args=[person.pk])
    bob_form = opened_form_data(bob.get(url))
    alice.post(url, form_data(person, address="爱丽丝改的地址"))

    refused = bob.post(url, {**bob_form, "address": "鲍勃改的地址", "note": "鲍勃的备注"})

    form = refused.context["form"]
    assert world.users[Role.COUNTY_STAFF].display_name in form.non_field_errors()[0]
    assert [(c.label, c.theirs, c.yours) for c in form.conflict_changes] == [
        ("住址", "爱丽丝改的地址", "鲍勃改的地址"),
        ("备注", "—", "鲍勃的备注"),
    ]
    assert 'data-testid="conflict-changes"' in refused.content.decode()
    assert form["address"].value() == "鲍勃改的地址"  # nothing typed is lost
    assert stored(person).address == "爱丽丝改的地址"

    again = bob.post(url, opened_form_data(refused))  # saving again, having read the differences

    assert again.status_code == 302
    assert (stored(person).address, stored(person).note) == ("鲍勃改的地址", "鲍勃的备注")


def test_the_refused_editor_can_save_after_reopening_the_form(alice, bob, person):
    url = reverse("core:person_update", args=[person.pk])
    bob_form = opened_form_data(bob.get(url))
    alice.post(url, form_data(person, address="爱丽丝改的地址"))
    bob.post(url, {**bob_form, "note": "鲍勃的备注"})

    reopened = opened_form_data(bob.get(url))
    response = bob.post(url, {**reopened, "note": "鲍勃的备注"})

    assert response.status_code == 302
    assert (stored(person).address, stored(person).note) == ("爱丽丝改的地址", "鲍勃的备注")
    assert stored(person).version == 3


def test_each_save_raises_the_version_by_one(alice, person):
    url = reverse("core:person_update", args=[person.pk])

    alice.post(url, form_data(person, address="一"))
    alice.post(url, form_data(stored(person), address="二"))

    assert stored(person).version == 3


def test_a_conflict_found_at_save_time_is_shown_on_the_form(alice, person, monkeypatch):
    """Somebody saves between the form's clean() and its save(): the row lock catches it."""
    original_clean = PersonForm.clean

    def clean_then_someone_else_saves(form):
        cleaned = original_clean(form)
        Person.objects.filter(pk=person.pk).update(address="别人刚改的地址")
        return cleaned

    monkeypatch.setattr(PersonForm, "clean", clean_then_someone_else_saves)

    response = alice.post(reverse("core:person_update", args=[person.pk]), form_data(person, address="我的地址"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()[0].startswith(CONFLICT_START)
    assert stored(person).address == "别人刚改的地址"
    assert stored(person).version == 2


# --- At the form level -------------------------------------------------------------------------


def test_the_form_carries_the_version_in_a_hidden_field(world, person):
    form = PersonForm(instance=person, user=world.users[Role.COUNTY_STAFF])

    assert form["version"].value() == 1
    assert form["version"].is_hidden is True


def test_a_form_posted_with_an_old_version_is_invalid(world, person):
    Person.objects.filter(pk=person.pk).update(note="别人的备注")

    form = PersonForm(form_data(person, version=1), instance=stored(person), user=world.users[Role.COUNTY_STAFF])

    assert form.is_valid() is False
    assert form.has_error("__all__", code="stale") is True


def test_save_refuses_when_the_row_changed_after_validation(world, person):
    form = PersonForm(form_data(person, address="我的地址"), instance=person, user=world.users[Role.COUNTY_STAFF])
    assert form.is_valid() is True
    Person.objects.filter(pk=person.pk).update(address="别人刚改的地址")

    with pytest.raises(StaleRecordError):
        form.save()

    assert stored(person).address == "别人刚改的地址"


def test_an_edit_without_its_version_is_refused(world, person):
    """Without the version nobody can tell whether someone else saved meanwhile (issue 14)."""
    before = stored(person).note
    form = PersonForm(
        form_data(person, version="", note="我的备注"), instance=person, user=world.users[Role.COUNTY_STAFF]
    )

    assert form.is_valid() is False
    assert form.has_error("__all__", code="version_missing") is True
    assert stored(person).note == before


def test_creating_a_record_needs_no_version(world):
    form = PersonForm(
        {"name": "新人", "region": world.inside.town.pk}, instance=Person(), user=world.users[Role.COUNTY_STAFF]
    )

    assert form.is_valid() is True, form.errors
    person = form.save()
    assert person.version == 1


def test_save_without_commit_leaves_the_version_alone(world, person):
    form = PersonForm(form_data(person, address="草稿"), instance=person, user=world.users[Role.COUNTY_STAFF])
    assert form.is_valid() is True

    unsaved = form.save(commit=False)

    assert unsaved.version == 1
    assert stored(person).address == "灵溪镇1号"


def test_the_conflict_message_gives_the_other_change_in_local_time(world, person):
    """17:30 UTC on 1 January is 01:30 on 2 January in China."""
    changed_at = dt.datetime(2024, 1, 1, 17, 30, tzinfo=dt.UTC)
    Person.objects.filter(pk=person.pk).update(updated_at=changed_at)

    form = PersonForm(form_data(person, version=1), instance=stored(person), user=world.users[Role.COUNTY_STAFF])
    form.is_valid()

    assert form.non_field_errors()[0] == f"{CONFLICT_START}2024年1月2日 01:30被其他人{CONFLICT_END}"


def test_a_conflict_found_at_save_time_names_the_time_of_the_other_change(world, person):
    form = PersonForm(form_data(person), instance=person, user=world.users[Role.COUNTY_STAFF])
    assert form.is_valid() is True
    changed_at = dt.datetime(2024, 1, 1, 17, 30, tzinfo=dt.UTC)
    Person.objects.filter(pk=person.pk).update(updated_at=changed_at)

    with pytest.raises(StaleRecordError) as refused:
        form.save()

    assert form.conflict_error(refused.value.changed_at) == f"{CONFLICT_START}2024年1月2日 01:30被其他人{CONFLICT_END}"


def test_versioned_forms_work_for_any_domain_model(world):
    """The mechanism is not Person-specific: any DomainModel with a version gets it."""
    from branches.models import Branch

    class BranchNameForm(VersionedModelForm):
        class Meta:
            model = Branch
            fields = ["name"]

    branch = Branch.objects.get(pk=world.inside.branch.pk)
    form = BranchNameForm({"name": "新名称", "version": branch.version}, instance=branch, user=world.users[Role.ADMIN])
    assert form.is_valid() is True
    Branch.objects.filter(pk=branch.pk).update(note="别人的备注")

    with pytest.raises(StaleRecordError):
        form.save()


# --- The database keeps the version ------------------------------------------------------------


def domain_models() -> list:
    return [model for model in apps.get_models() if issubclass(model, DomainModel)]


def history_count(obj) -> int:
    return Events.objects.tracks(obj).count()


@pytest.mark.parametrize("model", domain_models(), ids=lambda model: model._meta.label)
def test_every_domain_table_has_the_version_trigger(model):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [model._meta.db_table]
        )
        names = [name for (name,) in cursor.fetchall()]

    assert len([name for name in names if name.startswith("pgtrigger_bump_version_")]) == 1


def test_an_update_that_leaves_the_version_out_raises_it(world, person):
    other = PersonFactory(region=world.inside.town)

    Person.objects.filter(pk__in=[person.pk, other.pk]).update(note="批量改的备注")

    assert (stored(person).version, stored(other).version) == (2, 2)


def test_the_version_an_update_writes_is_replaced_by_the_databases(person):
    Person.objects.filter(pk=person.pk).update(version=99, note="别人的备注")

    assert stored(person).version == 2


def test_an_update_that_changes_nothing_leaves_the_version_and_the_history_alone(person):
    events = history_count(person)

    Person.objects.filter(pk=person.pk).update(address=person.address)
    Person.objects.filter(pk=person.pk).update(version=99)  # the version alone is not a change

    assert stored(person).version == 1
    assert history_count(person) == events


def test_a_saved_form_gives_the_instance_the_version_the_database_gave(world, person):
    form = PersonForm(form_data(person, address="新地址"), instance=person, user=world.users[Role.COUNTY_STAFF])
    assert form.is_valid() is True

    saved = form.save()

    assert saved.version == stored(person).version == 2


def test_the_history_records_one_event_with_the_new_version(alice, person):
    events = history_count(person)

    alice.post(reverse("core:person_update", args=[person.pk]), form_data(person, address="灵溪镇2号"))

    latest = Events.objects.tracks(person).order_by("-pgh_id").first()
    assert history_count(person) == events + 1
    assert (latest.pgh_data["version"], latest.pgh_data["address"]) == (2, "灵溪镇2号")


# --- A retiree's form also edits the person's contact details ----------------------------------


@pytest.fixture
def retiree(world, person):
    return RetireeFactory(person=person, branch=world.inside.branch)


@pytest.fixture
def carol(world):
    """Alice's colleague in the same county office: both may edit the person and the retiree."""
    from django.test import Client

    other = Client()
    other.force_login(UserFactory(role=Role.COUNTY_STAFF, region=world.inside.region))
    return other


def urls(person, retiree) -> tuple[str, str]:
    return reverse("core:person_update", args=[person.pk]), reverse("branches:retiree_update", args=[retiree.pk])


def test_a_person_form_opened_before_the_retiree_form_changed_the_mobile_is_refused(alice, carol, person, retiree):
    """Issue 6: the retiree form's write of the person used to leave its version alone."""
    person_url, retiree_url = urls(person, retiree)
    stale_person_form = opened_form_data(carol.get(person_url))

    saved = alice.post(retiree_url, {**opened_form_data(alice.get(retiree_url)), "mobile": "13911112222"})
    refused = carol.post(person_url, {**stale_person_form, "note": "卡罗尔的备注"})

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()[0].startswith(CONFLICT_START)
    assert (stored(person).mobile, stored(person).note, stored(person).version) == ("13911112222", "", 2)


def test_a_retiree_form_opened_before_the_person_changed_is_refused(alice, carol, person, retiree):
    person_url, retiree_url = urls(person, retiree)
    stale_retiree_form = opened_form_data(alice.get(retiree_url))

    saved = carol.post(person_url, {**opened_form_data(carol.get(person_url)), "mobile": "13911112222"})
    refused = alice.post(retiree_url, {**stale_retiree_form, "lives_alone": "on"})

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()[0].startswith(CONFLICT_START)
    assert stored(person).mobile == "13911112222"
    unchanged = Retiree.objects.get(pk=retiree.pk)
    assert (unchanged.lives_alone, unchanged.version) == (False, 1)


def test_a_person_change_after_the_retiree_form_was_checked_is_caught_at_save(alice, person, retiree, monkeypatch):
    from branches.forms.people import RetireeForm

    _, retiree_url = urls(person, retiree)
    opened = opened_form_data(alice.get(retiree_url))
    original_clean = RetireeForm.clean

    def clean_then_someone_edits_the_person(form):
        cleaned = original_clean(form)
        Person.objects.filter(pk=person.pk).update(mobile="13911112222")
        return cleaned

    monkeypatch.setattr(RetireeForm, "clean", clean_then_someone_edits_the_person)

    refused = alice.post(retiree_url, {**opened, "mobile": "13933334444", "lives_alone": "on"})

    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()[0].startswith(CONFLICT_START)
    assert stored(person).mobile == "13911112222"
    assert Retiree.objects.get(pk=retiree.pk).lives_alone is False


def test_saving_a_retiree_with_the_same_contact_details_leaves_the_person_alone(alice, person, retiree):
    _, retiree_url = urls(person, retiree)
    events = history_count(person)

    response = alice.post(retiree_url, {**opened_form_data(alice.get(retiree_url)), "lives_alone": "on"})

    assert response.status_code == 302
    assert Retiree.objects.get(pk=retiree.pk).version == 2
    assert (stored(person).version, history_count(person)) == (1, events)
