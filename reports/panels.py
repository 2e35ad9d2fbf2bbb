"""The reports app's home panel: a leader's home page opens on their area's figures."""

from django.http import HttpRequest
from django.utils import timezone

from core import access
from core.db_routing import reads_from_replica
from core.scoping import Role
from reports.links import figure_links
from reports.models import AnnualReport
from reports.selectors import dashboard
from reports.selectors.annual import Period


def leader_dashboard_panel(request: HttpRequest) -> dict | None:
    user = request.user
    # Leaders read numbers; the offices have their own panels (their work lists).
    if getattr(user, "role", None) != Role.LEADER or not user.region_id:
        return None
    if not access.can(user, access.VIEW, AnnualReport):
        return None
    period = Period.of(user.region, timezone.localdate().year)
    with reads_from_replica():
        figures = dashboard.headline(period)
    return {
        "template": "reports/partials/home_dashboard.html",
        "figures": figures,
        "links": figure_links(user, period),
        "period": period,
    }


HOME_PANELS = [leader_dashboard_panel]
