"""URL patterns every archivable record has: archive, restore and history."""

from django.urls import path

from core.mixins import ArchiveView, HistoryView, RestoreView


def lifecycle_urls(
    route: str,
    model,
    name: str,
    *,
    restore: bool = True,
    history: bool = True,
    after_archive: str = "",
    archive_message: str = "",
) -> list:
    """`<route><pk>/archive/`, `…/restore/` and `…/history/` named `<name>_archive` etc.

    `after_archive` is the URL name to go to once archived (usually the list the
    record has just left); by default the record's own page (`get_absolute_url`:
    for a row shown on its parent's page, that page), which shows it archived.
    `archive_message` replaces the message shown afterwards. Who may archive a row
    is the queryset's and core.access's business, so no view needs subclassing.
    """
    archive_options = {"model": model, "success_url_name": after_archive}
    if archive_message:
        archive_options["message"] = archive_message
    patterns = [path(f"{route}<int:pk>/archive/", ArchiveView.as_view(**archive_options), name=f"{name}_archive")]
    if history:
        patterns.append(path(f"{route}<int:pk>/history/", HistoryView.as_view(model=model), name=f"{name}_history"))
    if restore:
        patterns.append(path(f"{route}<int:pk>/restore/", RestoreView.as_view(model=model), name=f"{name}_restore"))
    return patterns
