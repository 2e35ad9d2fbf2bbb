"""Name search that ranks what the user most likely meant first, in the same query.

Typing `zhang` means a 张 far more often than a 符长勇 ("fu zhang yong"), so the
matches are ordered by a rank computed in SQL (a `CASE` annotation, no extra
query, no Python loop over rows):

0. the surname is exactly the query (`zhang` → 张三, 张伟), or the characters
   open the name (`张` → 张三);
1. the whole surname then the start of the given name (`zhangsan`, `zhang san`,
   `张san`);
2. the start of the name's pinyin (`zha` → 张, 查, 詹);
3. the start of its initials (`zs` → 张三);
4. anywhere else in the name: a given-name match (`zhang` → 符长勇, `yong`, `长`).

The prefix tests (ranks 0–3, and the WHERE clauses they mirror) are `=` and
`LIKE 'x%'` on the stored keys, which Django's `db_index` on a CharField covers
with a `varchar_pattern_ops` index; only the given-name match is a scan.
Spaces, full-width letters and tones are dropped (`core.pinyin.pinyin_search_terms`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Left, Length
from django.db.models.lookups import Exact

from core.pinyin import has_han, is_all_han, name_pinyin, pinyin_search_terms

__all__ = ["RANK", "name_match", "name_rank", "search_by_name"]

RANK = "name_rank"
GIVEN_NAME = 4  # the rank of a match anywhere in the name


def _parse(query: str) -> tuple[str, str]:
    """(characters, pinyin key) of a query: ("张三", "") for 张三, ("", "zhangsan") for `zhang san` or 张san."""
    terms = pinyin_search_terms(query)
    if not terms:
        return "", ""
    if is_all_han(terms):
        return terms, ""
    if has_han(terms):
        return "", name_pinyin(terms)[0]  # 张san → zhangsan: the characters read as pinyin
    return "", terms


def _has_surname_key(model, prefix: str) -> bool:
    for part in prefix.split("__")[:-1]:
        model = model._meta.get_field(part).related_model
    return any(f.name == "pinyin_surname" for f in model._meta.get_fields())


def name_match(query: str, prefix: str = "") -> Q:
    """The rows whose name matches the query by characters, full pinyin or initials (no ranking)."""
    raw = (query or "").strip()
    chars, key = _parse(raw)
    condition = Q(**{f"{prefix}name__contains": chars or raw})
    if key:
        condition |= Q(**{f"{prefix}pinyin__contains": key}) | Q(**{f"{prefix}pinyin_initials__startswith": key})
    return condition


def name_rank(query: str, prefix: str = "", *, surname: bool = False) -> Case:
    """The rank (0 best) of a matching row, as an SQL expression; `surname` for people's names."""
    chars, key = _parse(query)
    whens = []
    if chars:
        whens.append(When(Q(**{f"{prefix}name__startswith": chars}), then=Value(0)))
    elif key:
        if surname:
            surname_field = F(f"{prefix}pinyin_surname")
            whens.append(When(Q(**{f"{prefix}pinyin_surname": key}), then=Value(0)))
            # The query opens with the whole surname and the name's pinyin opens with the query.
            whole_surname = Exact(Left(Value(key), Length(surname_field)), surname_field)
            starts = Q(**{f"{prefix}pinyin__startswith": key})
            whens.append(When(starts & Q(whole_surname) & ~Q(**{f"{prefix}pinyin_surname": ""}), then=Value(1)))
        whens.append(When(Q(**{f"{prefix}pinyin__startswith": key}), then=Value(2)))
        whens.append(When(Q(**{f"{prefix}pinyin_initials__startswith": key}), then=Value(3)))
    return Case(*whens, default=Value(GIVEN_NAME), output_field=IntegerField())


def search_by_name(
    queryset: models.QuerySet, query: str, *, prefix: str = "", also: Q | None = None
) -> models.QuerySet:
    """Rows whose name (at `prefix`, e.g. "person__") matches, best match first, then by pinyin.

    `also` adds other matches (a unit's name, an address) ranked with the given-name
    matches. One query; an empty query returns the queryset unchanged."""
    if not (query or "").strip():
        return queryset
    condition = name_match(query, prefix)
    if also is not None:
        condition |= also
    rank = name_rank(query, prefix, surname=_has_surname_key(queryset.model, f"{prefix}name"))
    return queryset.filter(condition).annotate(**{RANK: rank}).order_by(RANK, f"{prefix}pinyin", "pk")
