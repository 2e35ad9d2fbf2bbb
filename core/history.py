"""Reading the history django-pghistory's triggers keep, as one viewer may see it.

`history_of(obj, viewer)` is the one place that turns pghistory's event diffs
into display rows: field labels, choice labels, related records by name, 是/否,
dates, money in yuan, and personal values masked the way the record's own
page masks them for that viewer. Bookkeeping columns are left out; archiving
and restoring are shown as kinds of event.

What is personal about a model is declared on it (defaults on `DomainModel`):

- `personal_record = True`: each row is about one person (Person, Retiree …).
  Its history needs `core.view_personal_data` (`core.access.VIEW_HISTORY`),
  and a foreign key to it shows as "（不显示姓名）" to viewers without it.
- `history_masked_fields = {"id_number": "id_number"}`: field name → name of
  a mask registered with `register_history_mask` (core registers `id_number`;
  an app registers its own, e.g. for children's fields, in `AppConfig.ready()`).
- `str_without_names()`: how the record is named to viewers who may not see
  names. Without it, a record whose foreign key points at a person is named
  by its kind (`verbose_name`) for them.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from pghistory.models import MiddlewareEvents

from core import access, formatting

MISSING = formatting.MISSING

# Columns the system keeps for itself: version, timestamps, sort keys; archiving is an event kind.
HIDDEN_FIELDS = frozenset(
    {"created_at", "updated_at", "version", "pinyin", "pinyin_initials", "pinyin_surname", "archived_at", "archived_by"}
)

# The depth of foreign keys joined when related records are loaded, so that their
# str() (a retiree's is their person's name) costs no query of its own.
_STR_DEPTH = 2

Mask = Callable[[object, object], str]  # (viewer, stored value) -> the text shown to that viewer
_MASKS: dict[str, Mask] = {}


def register_history_mask(name: str, mask: Mask) -> None:
    """Make `name` usable in a model's `history_masked_fields`."""
    _MASKS[name] = mask


def _mask_id_number(viewer, value) -> str:
    return access.visible_id_number(viewer, str(value)) if value else MISSING


register_history_mask("id_number", _mask_id_number)


@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    at: datetime
    label: str  # pghistory's: "insert" or "update"
    kind: str  # what the reader sees: 创建, 修改, 归档, 恢复
    user: object  # who did it (a User, or None for the system); shown to the viewer as `editor`
    editor: str
    url: str
    changes: list[Change]


def title_for(obj, viewer) -> str:
    """How a record is named to this viewer: `str(obj)`, without people's names for viewers who may not see them."""
    if access.shows_personal_data(viewer):
        return str(obj)
    if access.is_personal(type(obj)):
        return gettext("（不显示姓名）")
    without_names = getattr(obj, "str_without_names", None)
    if without_names is not None:
        return without_names()
    if any(
        access.is_personal(f.related_model) and getattr(obj, f.attname) is not None
        for f in obj._meta.concrete_fields
        if f.many_to_one or f.one_to_one
    ):
        return str(obj._meta.verbose_name)
    return str(obj)


def history_of(obj, viewer, limit: int = 200) -> list[HistoryEntry]:
    """The newest `limit` events of one record, newest first, as `viewer` may see them.

    Queries: the events, the users (editors and user foreign keys), and one per
    other related model named in the diffs, however many events there are.
    """
    # pgh_created_at is the transaction's start time, shared by every event of one
    # transaction (a service, a test); pgh_id keeps their order, as pghistory's diffs do.
    events = list(MiddlewareEvents.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id")[:limit])
    fields = {f.attname: f for f in obj._meta.concrete_fields if f.name not in HIDDEN_FIELDS}
    masks = getattr(type(obj), "history_masked_fields", {})
    diffs = [event.pgh_diff or {} for event in events]
    related = _related_names(
        viewer,
        fields,
        masks,
        diffs,
        # user_id, not user: the proxied foreign key would load each user with its own query.
        editors={e.user_id for e in events if e.user_id},
    )
    user_model = get_user_model()
    entries = []
    for event, diff in zip(events, diffs):
        changes = [
            Change(
                field=name,
                label=str(fields[name].verbose_name),
                before=_shown(fields[name], before, viewer, masks, related),
                after=_shown(fields[name], after, viewer, masks, related),
            )
            for name, (before, after) in diff.items()
            if name in fields
        ]
        user = related[user_model].get(event.user_id) if event.user_id else None
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                label=event.pgh_label,
                kind=_kind(event.pgh_label, diff),
                user=user,
                editor=_editor(user, viewer),
                url=event.url or "",
                changes=changes,
            )
        )
    return entries


def _kind(label: str, diff: dict) -> str:
    if label == "insert":
        return pgettext("history event", "创建")
    before, after = diff.get("archived_at", (None, None))
    if before is None and after is not None:
        return pgettext("history event", "删除")
    if before is not None and after is None:
        return pgettext("history event", "恢复")
    return pgettext("history event", "修改")


def _editor(user, viewer) -> str:
    """Who made the change: their name, or only their role for viewers who may not see names."""
    if user is None:
        return gettext("系统")
    if access.shows_personal_data(viewer):
        return user.display_name
    return user.role_label or gettext("工作人员")


def _related_names(viewer, fields, masks, diffs, *, editors) -> dict:
    """{related model: {key: record or text}} for every foreign key value in the diffs, in bulk.

    Users (editors and user foreign keys) come in one query with their person;
    records of any other model in one query per model, through `access.readable`.
    """
    user_model = get_user_model()
    wanted = defaultdict(set)
    wanted[user_model] |= editors
    for diff in diffs:
        for name, values in diff.items():
            field = fields.get(name)
            if field is not None and field.is_relation and field.name not in masks:
                target = field.target_field
                wanted[field.related_model] |= {target.to_python(v) for v in values if v is not None}
    found = {}
    for model, keys in wanted.items():
        if model is user_model:
            found[model] = user_model._base_manager.select_related("person").in_bulk(keys) if keys else {}
        elif not keys or (access.is_personal(model) and not access.shows_personal_data(viewer)):
            found[model] = {}  # nothing to load: a person's name is not shown, whatever the record
        else:
            found[model] = _readable_in_bulk(viewer, model, keys)
    return found


def _readable_in_bulk(viewer, model, keys) -> dict:
    """The records among `keys` the viewer may see (others are left out), with what their str() reads."""
    if not access.can(viewer, access.VIEW, model):
        return {}
    queryset = getattr(model, "all_objects", model._default_manager).all()
    if hasattr(queryset, "visible_to"):
        queryset = access.readable(viewer, queryset)
    return queryset.select_related(*_str_paths(model, _STR_DEPTH)).in_bulk(keys)


def _str_paths(model, depth: int, prefix: str = "") -> list[str]:
    """Foreign keys to join so that str() of a related record needs no query (users left out)."""
    paths = []
    for field in model._meta.concrete_fields:
        if (field.many_to_one or field.one_to_one) and field.related_model is not get_user_model():
            path = f"{prefix}{field.name}"
            paths.append(path)
            if depth > 1:
                paths.extend(_str_paths(field.related_model, depth - 1, f"{path}__"))
    return paths


def _shown(field, value, viewer, masks, related) -> str:
    """One stored value (as JSON in the event) as text for this viewer."""
    if field.name in masks:
        return _MASKS[masks[field.name]](viewer, value)
    if value is None or value == "" or value == []:
        return MISSING
    if field.is_relation:
        return _related_text(field, value, viewer, related)
    if isinstance(field, ArrayField):
        return formatting.join_list(_shown(field.base_field, v, viewer, masks, related) for v in value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return gettext("是") if value else gettext("否")
    if isinstance(field, models.DateTimeField):
        when = timezone.localtime(field.to_python(value))
        return formatting.format_cn_date(when) + when.strftime(" %H:%M")
    if isinstance(field, models.DateField):
        return formatting.format_cn_date(field.to_python(value))
    if isinstance(field, models.TimeField):
        return field.to_python(value).strftime("%H:%M")
    if isinstance(field, models.DecimalField):
        amount = Decimal(str(value))  # JSON numbers arrive as floats: str() keeps 0.1 as 0.1
        if _is_money(field):
            return formatting.format_yuan(amount)
        return str(amount.quantize(Decimal(1).scaleb(-field.decimal_places)))
    return str(value)


def _related_text(field, value, viewer, related) -> str:
    model = field.related_model
    if model is get_user_model():
        user = related[model].get(field.target_field.to_python(value))
        return _editor(user, viewer) if user else MISSING
    if access.is_personal(model) and not access.shows_personal_data(viewer):
        return gettext("（不显示姓名）")
    record = related[model].get(field.target_field.to_python(value))
    return title_for(record, viewer) if record is not None else gettext("（无权查看）")


def _is_money(field) -> bool:
    """Money is yuan in `DecimalField(max_digits=12, decimal_places=2)` (ARCHITECTURE: Data)."""
    return field.max_digits == 12 and field.decimal_places == 2
