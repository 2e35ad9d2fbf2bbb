"""The certificate document (志愿服务记录证明): one HTML template for the A4 page and the PDF.

The PDF is WeasyPrint's rendering of the same HTML (Pango lays out the Chinese text with
the system's CJK font, fonts-noto-cjk); the QR code (segno) carries the public verification
URL. Everything printed comes from the facts frozen at issue, never from today's records.
"""

import datetime as dt
from decimal import Decimal

import segno
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from volunteers.models import ServiceCertificate


def mask_name(name: str) -> str:
    """One character hidden: 张谦 → 张*, 李建国 → 李*国, 欧阳明月 → 欧**月 (all but the first and last)."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def verification_url(request, certificate: ServiceCertificate) -> str:
    return request.build_absolute_uri(certificate.verification_path())


def qr_data_uri(url: str) -> str:
    """An SVG QR code as a data: URI (no file, no request): printable and embeddable in the PDF."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def certificate_context(request, certificate: ServiceCertificate) -> dict:
    facts = certificate.facts
    url = verification_url(request, certificate)
    services = [
        {"date": dt.date.fromisoformat(row["date"]), "kind": row["kind"], "hours": Decimal(row["hours"])}
        for row in facts.get("services", [])
    ]
    return {
        "certificate": certificate,
        "facts": facts,
        "period_start": dt.date.fromisoformat(facts["period_start"]),
        "period_end": dt.date.fromisoformat(facts["period_end"]),
        "issued_on": dt.date.fromisoformat(facts["issued_on"]),
        "total_hours": Decimal(facts["total_hours"]),
        "services": services,
        "verify_url": url,
        "qr": qr_data_uri(url),
        "unchanged": certificate.is_unchanged(),
    }


def render_pdf(request, certificate: ServiceCertificate) -> bytes:
    """The certificate as an A4 PDF (WeasyPrint, imported here: it loads Pango only when a PDF is made)."""
    from weasyprint import CSS, HTML

    html = render_to_string(
        "volunteers/certificate_document.html", {**certificate_context(request, certificate), "for_pdf": True}, request
    )
    stylesheet = CSS(filename=finders.find("css/volunteers.css"))
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(stylesheets=[stylesheet])
