"""Access cases of honours, criteria lists (评估标准) and yearly assessments.

The world's honour belongs to the branch; its scheme is the county's own
branch scheme (六好), with one criterion; its assessment is the branch's,
in draft, with one unscored item. Committee staff may read branch records but
change only committee ones; the committee director sees committee records only.
Reviews need `branches.review_assessment` and a target in the reviewer's town or
county (AssessmentQuerySet.reviewable_by); the world's county staff sit at the county.
"""

from tests.access.matrix import Case, expect

# Honours: county staff keep them, committee staff their committees' only; the branch's
# secretary and leaders read them.
HONOUR_LIST = expect(county=200, committee=200, secretary=200, director=200, leader=200, admin=200)
HONOUR_READ = expect(county=200, committee=200, secretary=200, director=404, leader=200, admin=200)
HONOUR_WRITE = expect(county=200, committee=200, secretary=403, director=403, leader=403, admin=200)
# Committee staff were 200 / 302 here: they could edit and archive a branch's honour (issue 6,
# closed in TargetQuerySet.editable_by). The world's honour is the branch's, so now 403.
HONOUR_EDIT = expect(county=200, committee=403, secretary=403, director=404, leader=403, admin=200)
HONOUR_ARCHIVE = expect(county=302, committee=403, secretary=403, director=404, leader=403, admin=302)
HONOUR_RESTORE = expect(county=302, committee=403, secretary=403, director=404, leader=403, admin=302)

# Schemes: everyone working on assessments reads them; a branch scheme is county staff's to change.
SCHEME_LIST = expect(county=200, committee=200, secretary=200, director=200, leader=403, admin=200)
SCHEME_READ = SCHEME_LIST
SCHEME_CREATE = expect(county=200, committee=200, secretary=403, director=403, leader=403, admin=200)
SCHEME_EDIT = expect(county=200, committee=403, secretary=403, director=403, leader=403, admin=200)
SCHEME_POST = expect(county=302, committee=403, secretary=403, director=403, leader=403, admin=302)

# Assessments of the branch: its secretary fills them, county staff review them.
ASSESSMENT_LIST = expect(county=200, committee=200, secretary=200, director=200, leader=403, admin=200)
ASSESSMENT_READ = expect(county=200, committee=200, secretary=200, director=404, leader=403, admin=200)
ASSESSMENT_FILL = expect(county=200, committee=403, secretary=200, director=404, leader=403, admin=200)
ASSESSMENT_REVIEW = expect(county=200, committee=403, secretary=403, director=404, leader=403, admin=200)
ASSESSMENT_POST_TARGET = expect(county=302, committee=403, secretary=302, director=404, leader=403, admin=302)
ASSESSMENT_POST_REVIEWER = expect(county=302, committee=403, secretary=403, director=404, leader=403, admin=302)


def _scheme_pk(county):
    return {"scheme_pk": county.scheme.pk}


CASES = [
    Case("branches:honour_list", HONOUR_LIST),
    Case("branches:honour_create", HONOUR_WRITE),
    Case("branches:honour_detail", HONOUR_READ, obj="honour"),
    Case("branches:honour_update", HONOUR_EDIT, obj="honour"),
    Case("branches:honour_archive", HONOUR_ARCHIVE, obj="honour", method="post"),
    Case("branches:honour_restore", HONOUR_RESTORE, obj="honour", method="post"),
    Case("branches:honour_history", HONOUR_READ, obj="honour"),
    Case("branches:scheme_list", SCHEME_LIST),
    Case("branches:scheme_create", SCHEME_CREATE),
    Case("branches:scheme_detail", SCHEME_READ, obj="scheme"),
    Case("branches:scheme_update", SCHEME_EDIT, obj="scheme"),
    Case(
        "branches:scheme_copy",
        SCHEME_POST,
        obj="scheme",
        method="post",
        note="the county already has this scheme: a message, no copy",
    ),
    Case("branches:scheme_archive", SCHEME_POST, obj="scheme", method="post"),
    Case("branches:scheme_restore", SCHEME_POST, obj="scheme", method="post"),
    Case("branches:scheme_history", SCHEME_READ, obj="scheme"),
    Case("branches:criterion_create", SCHEME_EDIT, kwargs=_scheme_pk),
    Case("branches:criterion_update", SCHEME_EDIT, obj="criterion"),
    Case("branches:criterion_move", SCHEME_POST, obj="criterion", method="post", data=lambda c: {"direction": "up"}),
    Case("branches:criterion_archive", SCHEME_POST, obj="criterion", method="post"),
    Case("branches:criterion_restore", SCHEME_POST, obj="criterion", method="post"),
    Case("branches:criterion_history", SCHEME_READ, obj="criterion"),
    Case("branches:assessment_list", ASSESSMENT_LIST),
    Case(
        "branches:assessment_create",
        expect(county=200, committee=200, secretary=200, director=200, leader=403, admin=200),
    ),
    Case("branches:assessment_detail", ASSESSMENT_READ, obj="assessment"),
    Case("branches:assessment_item_update", ASSESSMENT_FILL, obj="assessment_item"),
    Case(
        "branches:assessment_submit",
        ASSESSMENT_POST_TARGET,
        obj="assessment",
        method="post",
        note="the item is not scored yet: a message, still a draft",
    ),
    Case(
        "branches:assessment_town_review",
        ASSESSMENT_REVIEW,
        obj="assessment",
        note="a draft: the page says why it cannot be reviewed",
    ),
    Case("branches:assessment_county_review", ASSESSMENT_REVIEW, obj="assessment"),
    Case("branches:assessment_return", ASSESSMENT_POST_REVIEWER, obj="assessment", method="post"),
    Case("branches:assessment_archive", ASSESSMENT_POST_REVIEWER, obj="assessment", method="post"),
    Case("branches:assessment_restore", ASSESSMENT_POST_REVIEWER, obj="assessment", method="post"),
    Case("branches:assessment_history", ASSESSMENT_READ, obj="assessment"),
]
