"""永顺县's seed figures, counted by SQL; the shared world (tests/world.py) has rows there too,
so the demo fixture counts them before loading and the tests compare the difference."""

from branches import demo as branches_demo
from branches.models import Branch, CarePair, Cluster, Membership

TODAY = branches_demo.common.TODAY
CODE = "433127"


def numbers() -> dict[str, int]:
    branches = Branch.objects.filter(
        region__code__startswith=CODE, kind__in=[Branch.Kind.RETIREE, Branch.Kind.AGENCY_RETIREE]
    )
    return {
        "branches": branches.count(),
        "clusters": Cluster.objects.filter(region__code__startswith=CODE).count(),
        "clusters_used": branches.filter(cluster__isnull=False).values("cluster").distinct().count(),
        "memberships": Membership.objects.filter(branch__in=branches).open_on(TODAY).count(),
        "care_pairs": CarePair.objects.filter(retiree__person__region__code__startswith=CODE).count(),
    }
