"""Pages of the aid app: forms with Chinese errors, the flow through the browser's POSTs, query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from aid_cases import services
from aid_cases.models import AidCase, Child, Sponsor
from core.models import Person

pytestmark = pytest.mark.django_db


def test_a_refused_transition_shows_the_page_and_changes_nothing(client, inside, office):
    client.force_login(office)
    url = reverse("aid_cases:case_transition", args=[inside.pending_case.pk, "approve"])

    response = client.post(url, {"on": dt.date.today().isoformat()})

    assert response.status_code == 200
    assert "不能县级审批" in response.content.decode()
    inside.pending_case.refresh_from_db()
    assert inside.pending_case.status == AidCase.Status.REGISTERED


def test_the_pairing_form_says_what_is_wrong_in_chinese(client, inside, office):
    client.force_login(office)
    url = reverse("aid_cases:pairing_create", args=[inside.case.pk])

    response = client.post(
        url,
        {
            "sponsor": inside.sponsor.pk,
            "monthly_amount": "-5",
            "start_on": "2025-03-01",
            "planned_end_on": "2025-01-01",
            "support_label_1": "衣物费",
            "support_amount_1": "400.123",
            "support_months_1": "13",
        },
    )

    errors = response.context["form"].errors
    assert errors["monthly_amount"] == ["金额须大于0"]
    assert errors["planned_end_on"] == ["计划结束日期须晚于开始日期"]
    assert errors["support_amount_1"] == ["金额最多保留两位小数（到分）"]
    assert "月份" in errors["support_months_1"][0]


def test_a_disbursement_in_the_future_is_refused(client, inside, office):
    client.force_login(office)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()

    response = client.post(
        reverse("aid_cases:disbursement_create", args=[inside.case.pk]), {"paid_on": tomorrow, "amount": "100"}
    )

    assert response.context["form"].errors["paid_on"] == ["日期不能晚于今天"]


def test_an_enterprise_needs_a_valid_credit_code(client, inside, office):
    client.force_login(office)
    data = {
        "kind": "enterprise",
        "name": "爱心建材公司",
        "region": inside.region.pk,
        "credit_code": "91433127MA4L00001X",
    }

    response = client.post(reverse("aid_cases:sponsor_create"), data)

    assert "校验位" in response.context["form"].errors["credit_code"][0]
    response = client.post(reverse("aid_cases:sponsor_create"), {**data, "credit_code": ""})
    assert response.context["form"].errors["credit_code"] == ["爱心企业须填写统一社会信用代码"]
    assert not Sponsor.objects.filter(name="爱心建材公司").exists()


def test_a_pairing_with_clothes_money_is_saved_through_the_page(client, inside, office):
    client.force_login(office)
    services.pairing_end(pairing=inside.pairing, ended_on=dt.date(2025, 1, 31), reason="sponsor_withdrew", by=office)

    response = client.post(
        reverse("aid_cases:pairing_create", args=[inside.case.pk]),
        {
            "sponsor": inside.sponsor.pk,
            "monthly_amount": "1000",
            "start_on": "2025-02-01",
            "end_condition": "直至完成学业",
            "support_label_1": "衣物费",
            "support_amount_1": "400",
            "support_months_1": "6",
        },
    )

    assert response.status_code == 302
    pairing = inside.case.pairings.get(start_on=dt.date(2025, 2, 1))
    assert list(pairing.supports.values_list("amount", "months")) == [(Decimal("400.00"), [6])]


def _more_cases(inside, n):
    children = []
    for i in range(n):
        person = Person.objects.create(name=f"测试{i}号", region=inside.village, birth_date=dt.date(2012, 1, 1))
        children.append(Child.objects.create(person=person, region=inside.village, circumstances=["orphan"]))
    AidCase.objects.bulk_create(
        AidCase(child=c, programme=inside.programme, committee=inside.committee, registered_on=dt.date(2025, 1, 1))
        for c in children
    )


@pytest.mark.parametrize(
    "url_name", ["aid_cases:case_list", "aid_cases:child_list", "aid_cases:payments_due", "aid_cases:overview"]
)
def test_list_pages_cost_the_same_for_ten_times_the_rows(
    client, inside, office, url_name, django_assert_max_num_queries
):
    client.force_login(office)
    _more_cases(inside, 2)
    with django_assert_max_num_queries(25) as few:
        assert client.get(reverse(url_name)).status_code == 200
    _more_cases(inside, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200


def test_the_case_page_costs_the_same_with_more_disbursements(client, inside, office, django_assert_max_num_queries):
    client.force_login(office)
    url = reverse("aid_cases:case_detail", args=[inside.case.pk])
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for month in range(1, 11):
        services.disbursement_record(
            case=inside.case,
            pairing=inside.pairing,
            by=office,
            paid_on=dt.date(2025, month, 10),
            amount=Decimal("1000"),
            items=[services.ItemData("文具", 2, Decimal("50"))],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["disbursements"]) == 11


def test_a_pause_and_a_resume_are_asked_as_months_on_the_case_page(client, inside, office):
    client.force_login(office)
    page = client.get(reverse("aid_cases:case_detail", args=[inside.case.pk])).content.decode()
    assert 'type="month" name="from_month"' in page
    assert 'type="date" name="from_month"' not in page

    client.post(
        reverse("aid_cases:pairing_pause", args=[inside.pairing.pk]), {"from_month": "2025年2月", "reason": "住院"}
    )
    assert list(inside.pairing.pauses.values_list("from_month", flat=True)) == [dt.date(2025, 2, 1)]

    page = client.get(reverse("aid_cases:case_detail", args=[inside.case.pk])).content.decode()
    assert 'type="month" name="month"' in page
    response = client.post(
        reverse("aid_cases:pairing_resume", args=[inside.pairing.pk]), {"month": "2025-13"}, follow=True
    )
    assert "请填写年月" in response.content.decode()
    assert inside.pairing.pauses.get().resumed_month is None
    client.post(reverse("aid_cases:pairing_resume", args=[inside.pairing.pk]), {"month": "2025-04"})
    assert inside.pairing.pauses.get().resumed_month == dt.date(2025, 4, 1)
