from tests.access.matrix import Case, expect

# The annual report of an area: the offices and leaders of the area (leaders read it whole: it
# names organisations, never people). Secretaries and directors see no area at all (404).
REPORT = expect(county=200, committee=200, secretary=404, director=404, leader=200, admin=200)
INDEX = expect(county=200, committee=200, secretary=403, director=403, leader=200, admin=200)


def _annual(w):
    return {"code": w.region.pk, "year": 2025}


CASES = [
    Case("reports:annual_index", INDEX),
    Case("reports:annual", REPORT, kwargs=_annual),
    Case("reports:annual_word", REPORT, kwargs=_annual),
    Case("reports:annual_excel", REPORT, kwargs=_annual),
]

CASES += [
    # A secretary or director has no area of their own: /dashboard/ looks theirs up and finds none.
    Case("reports:dashboard", REPORT, record=False),
    Case("reports:dashboard_area", REPORT, kwargs=lambda w: {"code": w.region.pk}),
]
