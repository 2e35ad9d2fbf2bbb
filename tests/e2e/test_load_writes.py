"""The load test of `make bench` (core.loadtest) against a live server: the writes the apps
register for it succeed through the real forms, and every saved write is stored once."""

import pytest
from django.urls import reverse

from core import hooks
from core.loadtest import SimulatedUser, form_fields, run_load
from core.scoping import Role
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# The demo login each write is registered for, and the test world's role that stands for it.
ROLE_OF_LOGIN = {"shuji": Role.BRANCH_SECRETARY, "laoganju": Role.COUNTY_STAFF, "guangongwei": Role.COMMITTEE_STAFF}


def test_the_main_form_is_read_as_a_browser_would_submit_it():
    html = """
    <form method="post" action="/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="t"></form>
    <form method="get"><input name="q" value="search"></form>
    <form method="post" enctype="multipart/form-data">
      <input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="topic" value="">
      <input type="radio" name="kind" value="a"><input type="radio" name="kind" value="b" checked>
      <input type="checkbox" name="present" value="1" checked><input type="checkbox" name="present" value="2">
      <input type="file" name="photos"><input type="submit" name="go" value="保存">
      <select name="branch"><option value="">---</option><option value="7">甲</option></select>
      <select name="occasion"><option value="x">x</option><option value="y" selected>y</option></select>
      <select name="children" multiple><option value="3">儿童</option></select>
      <textarea name="content">
第一行</textarea>
      <input name="off" value="1" disabled>
    </form>"""

    assert form_fields(html) == [
        ("csrfmiddlewaretoken", "t"),
        ("topic", ""),
        ("kind", "b"),
        ("present", "1"),
        ("branch", "7"),
        ("occasion", "y"),
        ("content", "第一行"),
    ]


def test_every_registered_write_is_saved_and_stored_once_under_load(e2e_world, live_server):
    writes = {login: [w for w in hooks.registry.load_writes if w.login == login] for login in ROLE_OF_LOGIN}
    assert all(writes.values()), writes
    users = [
        SimulatedUser(login, e2e_world.users[role], [reverse("core:home")], writes[login], write_share=0.6)
        for login, role in ROLE_OF_LOGIN.items()
        for _ in range(2)
    ]
    port = int(live_server.url.rsplit(":", 1)[1])

    outcome = run_load(
        port, users, seconds=6, interval=0.5, login_path=reverse("core:login"), password=PASSWORD, run="负载测试T"
    )
    for write in hooks.registry.load_writes:
        outcome.stored[write.label] = write.stored("负载测试T")

    assert outcome.server_errors == []
    assert outcome.refused_writes == []
    assert set(outcome.saved) == {w.label for ws in writes.values() for w in ws}
    assert all(n > 0 for n in outcome.saved.values())
    assert outcome.lost_writes == {}
    assert outcome.requests > 30
