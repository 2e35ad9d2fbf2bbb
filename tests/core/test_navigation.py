"""The menu groups entries by area, and the phrase helpers translate punctuation with the words."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from core import hooks
from core.formatting import join_clauses, join_list, with_note
from tests.core.test_i18n import english_mo  # noqa: F401 (fixture: the compiled English catalogue)


@pytest.fixture
def menu(monkeypatch):
    items = [
        hooks.NavItem("党支部", "a", "p.branch", order=20, group="组织"),
        hooks.NavItem("片组", "b", "p.cluster", order=22, group="组织"),
        hooks.NavItem("离退休干部", "c", "p.retiree", order=30, group="人员"),
        hooks.NavItem("统计", "d", "p.report", order=80),
        hooks.NavItem("人员", "e", "p.person", order=90, group="人员"),
    ]
    monkeypatch.setattr(hooks, "registry", hooks.Registry(nav_items=items))
    return items


def user_with(*perms):
    return SimpleNamespace(is_authenticated=True, has_perm=lambda perm: perm in perms)


def test_entries_are_grouped_in_menu_order(menu):
    groups = hooks.nav_for(user_with("p.branch", "p.cluster", "p.retiree", "p.report", "p.person"))
    assert [(g.label, [i.label for i in g.items]) for g in groups] == [
        ("组织", ["党支部", "片组"]),
        ("人员", ["离退休干部", "人员"]),
        ("统计", ["统计"]),
    ]


def test_a_group_with_one_visible_entry_is_a_plain_link(menu):
    groups = hooks.nav_for(user_with("p.branch", "p.report"))
    assert [(g.label, g.is_single) for g in groups] == [("组织", True), ("统计", True)]


def test_the_user_sees_only_what_they_may_open(menu):
    assert hooks.nav_for(user_with()) == []
    assert [i.label for i in hooks.nav_items_for(user_with("p.person"))] == ["人员"]


def render(source, **context):
    return Template(source).render(Context(context))


@pytest.mark.usefixtures("english_mo")
@pytest.mark.parametrize(
    ("language", "joined", "clauses", "noted"),
    [
        ("zh-hans", "张三、李四", "甲；乙", "张三（书记）"),
        ("en", "张三, 李四", "甲; 乙", "张三 (书记)"),
    ],
)
def test_separators_and_brackets_follow_the_language(language, joined, clauses, noted):
    with translation.override(language):
        assert join_list(["张三", "李四"]) == joined
        assert join_clauses(["甲", "乙"]) == clauses
        assert with_note("张三", "书记") == noted
        assert render("{{ names|join_cn }}", names=["张三", "李四"]) == joined
        assert render("张三{{ note|paren }}", note="书记") == noted


def test_the_template_filters_escape_their_parts():
    with translation.override("zh-hans"):
        assert render("{{ names|join_cn }}", names=["<b>", "&"]) == "&lt;b&gt;、&amp;"
        assert render("{{ note|paren }}", note="<i>") == "（&lt;i&gt;）"
