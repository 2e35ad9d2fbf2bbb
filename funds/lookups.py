"""Pickers of the funds forms (`core.lookups`), registered from FundsConfig.ready().

An entry relates to an activity or a post of the ledger's owner: both are looked up
as the user types, narrowed to the ledger's branch or committee.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.models import Activity, Post
from core.hooks import register_lookup
from core.lookups import Lookup, by_pk
from core.models import pinyin_name_q


def post_label(post) -> str:
    return f"{post.person.name}（{post.organisation}{post.get_role_display()}）"


KINDS = {
    "fund_activity": Lookup(
        model=Activity,
        search=lambda rows, q: rows.filter(Q(topic__contains=q)),
        label=str,
        filters={"branch": by_pk("branch_id")},
        placeholder=_("输入活动主题"),
    ),
    "fund_post": Lookup(
        model=Post,
        search=lambda rows, q: rows.filter(pinyin_name_q(q, prefix="person__")),
        label=post_label,
        related=("person", "branch", "committee"),
        filters={"branch": by_pk("branch_id"), "committee": by_pk("committee_id")},
        personal=True,
        placeholder=_("输入姓名、拼音或首字母"),
    ),
}


def register() -> None:
    for kind, lookup in KINDS.items():
        register_lookup(kind, lookup)
