"""The aid records of the test world: one of everything per county (called by tests/world.py).

The child lives in the county's village and its case is handled by the county's town
committee, whose executive director is the world's committee director.
"""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from aid_cases import models as a
from tests import factories as f


def build_aid(w, tag: str, png: bytes) -> None:
    w.child_person = f.PersonFactory(region=w.village, name=f"{tag}李小雨", birth_date=dt.date(2013, 4, 2), gender="F")
    w.child = a.Child.objects.create(
        person=w.child_person,
        region=w.village,
        school=f"{tag}镇中学",
        grade="七年级",
        circumstances=[a.Circumstance.LEFT_BEHIND, a.Circumstance.POOR_HOUSEHOLD],
    )
    w.guardian = a.Guardian.objects.create(child=w.child, name=f"{tag}李奶奶", relation="grandparent")
    w.consent = a.Consent.objects.create(
        child=w.child, given_by=f"{tag}李奶奶", relation="grandparent", given_on=dt.date(2024, 3, 1), purpose="keep"
    )
    w.programme = a.Programme.objects.create(
        name=f"{tag}一对一结对", kind="pairing", committee=w.committee, budget=Decimal("50000")
    )
    w.programme_autumn = a.Programme.objects.create(
        name=f"{tag}金秋助学", kind="student_aid", year=2026, committee=w.committee
    )
    w.case = a.AidCase.objects.create(
        child=w.child, programme=w.programme, committee=w.committee, status="active", registered_on=dt.date(2024, 3, 1)
    )
    w.pending_case = a.AidCase.objects.create(
        child=w.child, programme=w.programme_autumn, committee=w.committee, registered_on=dt.date(2026, 1, 5)
    )
    w.sponsor = a.Sponsor.objects.create(
        kind="enterprise", name=f"{tag}爱心饭店", credit_code=_credit_code(tag), region=w.region
    )
    w.pairing = a.Pairing.objects.create(
        sponsor=w.sponsor,
        case=w.case,
        monthly_amount=Decimal("1000"),
        start_on=dt.date(2024, 3, 15),
        end_condition="直至完成学业",
    )
    w.support = a.PairingSupport.objects.create(pairing=w.pairing, label="衣物费", amount=Decimal("400"), months=[6])
    w.disbursement = a.Disbursement.objects.create(
        case=w.case,
        pairing=w.pairing,
        paid_on=dt.date(2024, 3, 20),
        for_month=dt.date(2024, 3, 1),
        amount=Decimal("1000"),
    )
    w.disbursement.receipt.save("receipt.png", ContentFile(png), save=True)
    w.care_visit = a.CareVisit.objects.create(
        committee=w.committee, visited_on=dt.date(2025, 6, 1), occasion="childrens_day", goods_value=Decimal("200")
    )
    w.care_visit.children.add(w.child)
    w.drive = a.Drive.objects.create(
        committee=w.committee,
        title=f"{tag}爱心募捐",
        case=w.case,
        launched_on=dt.date(2025, 1, 10),
        launched_by=f"{tag}镇关工委",
    )
    w.donation = a.Donation.objects.create(drive=w.drive, received_on=dt.date(2025, 1, 12), amount=Decimal("500"))
    w.payout = a.Payout.objects.create(
        drive=w.drive, paid_on=dt.date(2025, 1, 20), payee="医院", purpose="医药费", amount=Decimal("300")
    )


def _credit_code(tag: str) -> str:
    from core.validators import credit_code_check_char

    first17 = "91433127MA4L0000" + ("1" if tag == "内" else "2")
    return first17 + credit_code_check_char(first17)
