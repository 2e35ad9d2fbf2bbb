"""The pages of the volunteers app that `manage.py benchmark` times (see core.hooks.BenchmarkPage)."""

from core import access
from core.hooks import BenchmarkPage
from volunteers.models import ServiceHours, ServiceRecord, Volunteer


def busiest_volunteer(user) -> int:
    rows = access.readable(user, Volunteer).order_by("-hours__hours", "pk")
    return rows.values_list("pk", flat=True).first()


PAGES = [
    BenchmarkPage("laoganju_szq", "volunteers:volunteer_list"),
    BenchmarkPage("laoganju_szq", "volunteers:servicerecord_list"),
    BenchmarkPage("laoganju_szq", "volunteers:database"),
    BenchmarkPage("guangongwei", "volunteers:volunteer_list?q=zhang"),
    BenchmarkPage("zhuren", "volunteers:servicerecord_list?status=pending"),
    BenchmarkPage("zhuren", "volunteers:volunteer_detail", busiest_volunteer),
    BenchmarkPage("lingdao", "volunteers:database"),
]
SCALE = [("volunteers", Volunteer), ("service records", ServiceRecord), ("service hours", ServiceHours)]
