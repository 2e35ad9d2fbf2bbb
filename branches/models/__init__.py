"""The branches app's models, split along the domain:

organisation  work committee, clusters, branches, venues, youth-care committees, posts
people        retirees, memberships, check-ins, governance roles, care pairs, needs, transfers
activities    the activity log, attendance, photos, compliance rules
recognition   honours and assessments
"""

from branches.models.activities import (
    Activity,
    ActivityAttachment,
    ActivityPhoto,
    ActivityPresence,
    Attendance,
    ComplianceRule,
    frequency_label,
)
from branches.models.organisation import (
    GATHERING_BRANCH_KINDS,
    STANDING_BRANCH_KINDS,
    Branch,
    Cluster,
    GuidanceVisit,
    Post,
    Venue,
    WorkCommittee,
    WorkCommitteeMember,
    YouthCareCommittee,
)
from branches.models.people import (
    CarePair,
    CareRecord,
    CommunityCheckIn,
    GovernanceRole,
    HardshipPayment,
    Membership,
    Need,
    Participation,
    Retiree,
    TransferRequest,
)
from branches.models.recognition import (
    Assessment,
    AssessmentCriterion,
    AssessmentItem,
    AssessmentScheme,
    Honour,
)

__all__ = [
    "GATHERING_BRANCH_KINDS",
    "STANDING_BRANCH_KINDS",
    "Activity",
    "ActivityAttachment",
    "ActivityPhoto",
    "ActivityPresence",
    "Assessment",
    "AssessmentCriterion",
    "AssessmentItem",
    "AssessmentScheme",
    "Attendance",
    "Branch",
    "CarePair",
    "CareRecord",
    "Cluster",
    "CommunityCheckIn",
    "ComplianceRule",
    "GovernanceRole",
    "GuidanceVisit",
    "HardshipPayment",
    "Honour",
    "Membership",
    "Need",
    "Participation",
    "Post",
    "Retiree",
    "TransferRequest",
    "Venue",
    "WorkCommittee",
    "WorkCommitteeMember",
    "YouthCareCommittee",
    "frequency_label",
]
