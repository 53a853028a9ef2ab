"""City project applications and company solution registrations, reviewed by one workflow."""

from .documents import PrivateDocument, private_storage
from .project import (
    ApplicationDocument,
    ApplicationHistory,
    Kpi,
    LeaderComment,
    PartnerSought,
    ProjectApplication,
    TeamMember,
)

__all__ = [
    "ApplicationDocument",
    "ApplicationHistory",
    "Kpi",
    "LeaderComment",
    "PartnerSought",
    "PrivateDocument",
    "ProjectApplication",
    "TeamMember",
    "private_storage",
]
