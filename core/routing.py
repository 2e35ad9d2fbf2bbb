"""URL patterns every archivable record has: archive, restore and history."""

from django.urls import path

from core.mixins import ArchiveView, HistoryView, RestoreView


def lifecycle_urls(route: str, model, name: str, *, restore: bool = True, after_archive: str = "") -> list:
    """`<route><pk>/archive/`, `…/restore/` and `…/history/` named `<name>_archive` etc.

    `after_archive` is the URL name to go to once archived (usually the list the
    record has just left); by default the record's own page, which shows it archived.
    """
    patterns = [
        path(
            f"{route}<int:pk>/archive/",
            ArchiveView.as_view(model=model, success_url_name=after_archive),
            name=f"{name}_archive",
        ),
        path(f"{route}<int:pk>/history/", HistoryView.as_view(model=model), name=f"{name}_history"),
    ]
    if restore:
        patterns.append(path(f"{route}<int:pk>/restore/", RestoreView.as_view(model=model), name=f"{name}_restore"))
    return patterns
