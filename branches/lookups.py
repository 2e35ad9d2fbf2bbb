"""The kinds of record this app's pickers look up (`core.lookups`), registered from BranchesConfig.ready().

Names search by characters, full pinyin or initials through the stored keys
(`core.search.search_by_name`: surnames first): one query per answer.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Cluster, Retiree, Venue, WorkCommitteeMember, YouthCareCommittee
from core.formatting import with_note
from core.hooks import register_lookup
from core.lookups import Lookup, by_choice, by_pk, flag
from core.search import search_by_name

ORGANISATION_PLACEHOLDER = _("输入名称、拼音或首字母")
PERSON_PLACEHOLDER = _("输入姓名、拼音或首字母")


def by_name(rows, q):
    return search_by_name(rows, q)


def by_person_name(rows, q):
    return search_by_name(rows, q, prefix="person__")


def retiree_label(retiree) -> str:
    return with_note(retiree.person.name, retiree.branch.name if retiree.branch_id else _("已离开"))


KINDS = {
    "branch": Lookup(
        model=Branch,
        search=by_name,
        filters={"kind": by_choice("kind", Branch.Kind)},
        placeholder=ORGANISATION_PLACEHOLDER,
    ),
    "cluster": Lookup(model=Cluster, search=by_name, placeholder=ORGANISATION_PLACEHOLDER),
    "committee": Lookup(model=YouthCareCommittee, search=by_name, placeholder=ORGANISATION_PLACEHOLDER),
    "venue": Lookup(model=Venue, search=by_name, placeholder=ORGANISATION_PLACEHOLDER),
    "retiree": Lookup(
        model=Retiree,
        search=by_person_name,
        label=retiree_label,
        related=("person", "branch"),
        filters={
            "branch": by_pk("branch_id"),
            # Current members only (care pairs, needs): not those who died or moved away.
            "current": flag(Q(branch__isnull=False)),
        },
        personal=True,
        placeholder=PERSON_PLACEHOLDER,
    ),
    "wcmember": Lookup(
        model=WorkCommitteeMember,
        search=by_person_name,
        label=str,  # 张谦（委员）
        related=("person",),
        personal=True,
        placeholder=PERSON_PLACEHOLDER,
    ),
}


def register() -> None:
    for kind, lookup in KINDS.items():
        register_lookup(kind, lookup)
