"""The store: plans with versions and adjustments, regions, series, observations with revisions,
accounts with the responsibility for each indicator, data rounds with their submissions, workspace
settings and the audit log.

SQLite by default, PostgreSQL for several users; the schema is created and upgraded by the
Alembic migrations shipped in ``planwatch/store/migrations`` (``Store.init``).
"""

from .accounts import ROLES, ROLES_HELP, Assignment, Responsibility, User, check_account, split_units
from .api import Store, open_store
from .audit import CLI_ACTOR, AuditEntry
from .connection import DB_ENV, DB_HELP, display_url, resolve_url
from .observations import ObservationRevision
from .plans import PlanSummary, PlanVersionInfo
from .regions import Region, RegionNode
from .rounds import Entry, Round, Submission, SubmissionEvent
from .task_progress import TaskProgress, TaskProgressRecord, check_date
from .workspace import WorkspaceSettings

__all__ = ["CLI_ACTOR", "DB_ENV", "DB_HELP", "ROLES", "ROLES_HELP", "Assignment", "AuditEntry", "Entry",
           "ObservationRevision", "PlanSummary", "PlanVersionInfo", "Region", "RegionNode", "Responsibility", "Round",
           "Store", "Submission", "SubmissionEvent", "TaskProgress", "TaskProgressRecord", "User", "WorkspaceSettings",
           "check_account", "check_date", "display_url", "open_store", "resolve_url", "split_units"]
