"""Domain models (pydantic v2): jobs, the candidate, preferences, analyses, applications."""

from common.domain.analysis import Analysis, Decision
from common.domain.application import Application, ApplicationStatus
from common.domain.candidate import Profile
from common.domain.job import Compensation, Job, JobStatus, Location
from common.domain.preferences import Preferences

__all__ = [
    "Analysis",
    "Application",
    "ApplicationStatus",
    "Compensation",
    "Decision",
    "Job",
    "JobStatus",
    "Location",
    "Preferences",
    "Profile",
]
