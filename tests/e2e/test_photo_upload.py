"""A secretary on a phone adds a 20 MB photo to an activity: the browser shrinks it before it travels,
shows it, keeps it when the form comes back with an error, and the server saves it."""

import datetime as dt
import os

import pytest
from django.core.signals import request_started
from django.urls import reverse
from PIL import Image

from branches.models import Activity

pytestmark = pytest.mark.django_db(transaction=True)


def _big_jpeg(path) -> str:
    """A phone-sized photo of noise (noise does not compress): over 20 MB as a JPEG."""
    width, height = 2700, 2000
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        path, "JPEG", quality=100, subsampling=0
    )
    assert path.stat().st_size > 20 * 1024 * 1024
    return str(path)


def test_a_20_mb_photo_is_shrunk_in_the_browser_kept_on_an_error_and_saved(
    e2e_world, login, page, live_server, screenshot, tmp_path
):
    branch = e2e_world.inside.branch
    login("branch_secretary")
    page.goto(f"{live_server.url}{reverse('branches:activity_create')}?branch={branch.pk}")
    page.wait_for_load_state("networkidle")

    page.get_by_text("主题党日", exact=True).click()
    page.fill("input[name=topic]", "照片压缩测试")
    page.set_input_files("input[name=photos]", _big_jpeg(tmp_path / "合影.jpg"))
    thumbs = page.locator("[data-testid=photo-thumbs] img")
    thumbs.first.wait_for()
    assert thumbs.count() == 1
    assert page.locator("[data-testid=save-activity]").is_enabled()
    shrunk = page.evaluate("() => Array.from(document.querySelector('input[name=photos]').files).map(f => f.size)")
    assert len(shrunk) == 1
    assert shrunk[0] < 1024 * 1024
    screenshot("photos-1-chosen")

    # A date in the future: the form comes back with its error on top, linked to the field,
    # and the photo still chosen.
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    page.fill("input[name=held_on]", tomorrow)
    page.click("[data-testid=save-activity]")
    page.wait_for_load_state("networkidle")
    summary = page.locator("[data-testid=error-summary]")
    assert "活动日期不能晚于今天" in summary.inner_text()
    assert page.evaluate("() => document.activeElement.matches('[data-error-summary]')") is True
    thumbs.first.wait_for()
    assert thumbs.count() == 1
    screenshot("photos-2-kept-after-error")
    summary.locator("a[data-error-field=held_on]").click()
    assert page.evaluate("() => document.activeElement.name") == "held_on"

    page.fill("input[name=held_on]", dt.date.today().isoformat())
    arrived = []

    def measure(sender, environ, **kwargs):  # the live server runs in this process
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"].endswith("/activities/new/"):
            arrived.append(int(environ.get("CONTENT_LENGTH") or 0))

    request_started.connect(measure)
    try:
        page.click("[data-testid=save-activity]")
        page.wait_for_load_state("networkidle")
    finally:
        request_started.disconnect(measure)
    assert len(arrived) == 1
    assert 0 < arrived[0] < 1024 * 1024, f"the server received {arrived[0]} bytes"

    activity = Activity.objects.get(branch=branch, topic="照片压缩测试")
    assert activity.photos.count() == 1
    with activity.photos.get().image.open() as stored, Image.open(stored) as image:
        assert max(image.size) <= 1600
    screenshot("photos-3-saved")

    # A fresh form does not bring back the saved photo.
    page.goto(f"{live_server.url}{reverse('branches:activity_create')}?branch={branch.pk}")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=photo-thumbs] li").count() == 0


def test_a_chosen_photo_can_be_removed_before_saving(e2e_world, login, page, live_server, tmp_path):
    login("branch_secretary")
    page.goto(f"{live_server.url}{reverse('branches:activity_create')}?branch={e2e_world.inside.branch.pk}")
    first, second = tmp_path / "一.png", tmp_path / "二.png"
    Image.new("RGB", (2400, 1800), "red").save(first)
    Image.new("RGB", (800, 600), "navy").save(second)
    page.set_input_files("input[name=photos]", [str(first), str(second)])
    items = page.locator("[data-testid=photo-thumbs] li")
    items.nth(1).wait_for()
    names = page.evaluate("() => Array.from(document.querySelector('input[name=photos]').files).map(f => f.name)")
    assert names == ["一.jpg", "二.jpg"]

    items.first.get_by_role("button").click()
    assert items.count() == 1
    names = page.evaluate("() => Array.from(document.querySelector('input[name=photos]').files).map(f => f.name)")
    assert names == ["二.jpg"]
