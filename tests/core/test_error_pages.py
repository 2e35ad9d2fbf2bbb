"""Error pages speak Chinese, keep the site's layout and lead home, with DEBUG off."""

import copy

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, override_settings

from core.scoping import Role

pytestmark = pytest.mark.django_db

HOME = 'href="/"'


def failing_context_processor(request):
    raise RuntimeError("a context processor that fails")


def _templates_with_a_failing_context_processor():
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append(f"{__name__}.failing_context_processor")
    return templates


def _assert_error_page(response, status: int, heading: str) -> None:
    assert response.status_code == status
    body = response.content.decode()
    assert heading in body
    assert "返回首页" in body
    assert HOME in body
    assert 'class="navbar' in body  # the site's layout, not a bare page


@override_settings(DEBUG=False)
def test_a_missing_page_says_so_in_chinese(client, users):
    client.force_login(users[Role.COUNTY_STAFF])
    _assert_error_page(client.get("/branches/999999999/"), 404, "没有找到这个页面")


@override_settings(DEBUG=False)
def test_a_refused_page_says_so_in_chinese(client, users):
    client.force_login(users[Role.LEADER])  # leaders see organisations, not the guidance visits of people
    _assert_error_page(client.get("/branches/guidance-visits/new/"), 403, "您没有权限进行这项操作")


@override_settings(DEBUG=False, ROOT_URLCONF="tests.core.error_urls")
def test_a_failing_page_shows_the_500_page_even_when_a_context_processor_fails(users):
    client = Client(raise_request_exception=False)
    client.force_login(users[Role.COUNTY_STAFF])
    with override_settings(TEMPLATES=_templates_with_a_failing_context_processor()):
        _assert_error_page(client.get("/boom/"), 500, "系统出了点问题")


@override_settings(DEBUG=False)
def test_an_expired_form_says_to_submit_again(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.COUNTY_STAFF])
    _assert_error_page(client.post("/large-font/"), 403, "页面已过期，请重新提交")


def test_the_lockout_page_is_in_the_layout_with_a_way_home_and_back_to_login():
    body = render_to_string("lockout.html", {"failure_limit": 5, "retry_minutes": 30})
    assert "登录已暂时锁定" in body
    assert "密码连续输错5次" in body
    assert "返回首页" in body
    assert "返回登录" in body
