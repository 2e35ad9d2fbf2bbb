"""The aid app's pages that `manage.py benchmark` times (see core.hooks.BenchmarkPage)."""

from django.urls import reverse
from django.utils import timezone

from aid_cases.models import AidCase, CareVisit, Child, Disbursement, Pairing
from branches.models import YouthCareCommittee
from core import access
from core.hooks import BenchmarkPage, LoadWrite


def busiest_case(user) -> int:
    return access.readable(user, AidCase).order_by("-pk").values_list("pk", flat=True).first()


PAGES = [
    BenchmarkPage("guangongwei", "aid_cases:case_list"),
    BenchmarkPage("guangongwei", "aid_cases:child_list"),
    BenchmarkPage("guangongwei", "aid_cases:payments_due"),
    BenchmarkPage("guangongwei", "aid_cases:carevisit_list"),
    BenchmarkPage("guangongwei", "aid_cases:case_detail", busiest_case),
    BenchmarkPage("zhuren", "aid_cases:case_list"),
    BenchmarkPage("lingdao", "aid_cases:overview"),
]
SCALE = [("children", Child), ("aid cases", AidCase), ("pairings", Pairing), ("disbursements", Disbursement)]

# The load test's write (core.loadtest): committee staff record a home visit to a child not on record.
WRITES = [
    LoadWrite(
        "care visit",
        "guangongwei",
        page=lambda user: reverse("aid_cases:carevisit_create"),
        fields=lambda user, marker: {
            "committee": access.readable(user, YouthCareCommittee).order_by("pk").values_list("pk", flat=True)[0],
            "visited_on": timezone.localdate().isoformat(),
            "occasion": CareVisit.Occasion.HOME_VISIT,
            "unregistered_children": 1,
            "note": marker,
        },
        stored=lambda prefix: CareVisit.all_objects.filter(note__startswith=prefix).count(),
    ),
]
