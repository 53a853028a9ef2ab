"""City project applications and company solution registrations, reviewed by one workflow."""

from .calls import Call, CallExtension
from .conversation import Message, MessageAttachment
from .documents import PrivateDocument, private_storage
from .progress import ProgressReport, ReportEvidence
from .project import (
    ApplicationDocument,
    ApplicationHistory,
    Kpi,
    LeaderComment,
    PartnerSought,
    ProjectApplication,
    TeamMember,
)
from .review import Criterion, ReviewAssignment, Score
from .solution import (
    Deployment,
    Introduction,
    SolutionBrochure,
    SolutionHistory,
    SolutionRegistration,
)

__all__ = [
    "ApplicationDocument",
    "ApplicationHistory",
    "Call",
    "CallExtension",
    "Criterion",
    "Deployment",
    "Introduction",
    "Kpi",
    "LeaderComment",
    "Message",
    "MessageAttachment",
    "PartnerSought",
    "PrivateDocument",
    "ProgressReport",
    "ProjectApplication",
    "ReportEvidence",
    "ReviewAssignment",
    "Score",
    "SolutionBrochure",
    "SolutionHistory",
    "SolutionRegistration",
    "TeamMember",
    "private_storage",
]
