"""Reading the history django-pghistory's triggers keep for every tracked model."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from pghistory.models import MiddlewareEvents


@dataclass
class Change:
    field: str
    label: str
    before: object
    after: object


@dataclass
class HistoryEntry:
    at: datetime
    label: str
    user: object
    url: str
    changes: list[Change]


def history_of(obj, limit: int = 200) -> list[HistoryEntry]:
    """The newest `limit` events of one record, newest first (two queries)."""
    # pgh_created_at is the transaction's start time, shared by every event of one
    # transaction (a service, a test); pgh_id keeps their order, as pghistory's diffs do.
    events = list(MiddlewareEvents.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id")[:limit])
    # user_id, not user: the proxied foreign key would load each user with its own query.
    user_ids = {e.user_id for e in events if e.user_id}
    users = get_user_model().objects.in_bulk(user_ids)
    labels = {f.attname: f.verbose_name for f in obj._meta.concrete_fields}
    labels.update({f.name: f.verbose_name for f in obj._meta.concrete_fields})
    hidden = {"updated_at", "version", "pinyin", "pinyin_initials"}
    entries = []
    for event in events:
        diff = event.pgh_diff or {}
        changes = [
            Change(
                field=name,
                label=str(labels.get(name, name)),
                before=values[0],
                after=values[1],
            )
            for name, values in diff.items()
            if name not in hidden
        ]
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                label=event.pgh_label,
                user=users.get(event.user_id),
                url=event.url or "",
                changes=changes,
            )
        )
    return entries
