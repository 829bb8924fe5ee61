"""The store: plans with versions and adjustments, regions, series, observations with revisions, and
accounts with the responsibility for each indicator.

SQLite by default, PostgreSQL for several users; the schema is created and upgraded by the
Alembic migrations shipped in ``planwatch/store/migrations`` (``Store.init``).
"""

from .accounts import ROLES, ROLES_HELP, Assignment, Responsibility, User, check_account, split_units
from .api import Store, open_store
from .connection import DB_ENV, DB_HELP, display_url, resolve_url
from .observations import ObservationRevision
from .plans import PlanSummary, PlanVersionInfo
from .regions import Region, RegionNode
from .task_progress import TaskProgress, TaskProgressRecord, check_date

__all__ = ["DB_ENV", "DB_HELP", "ROLES", "ROLES_HELP", "Assignment", "ObservationRevision", "PlanSummary", "PlanVersionInfo",
           "Region", "RegionNode", "Responsibility", "Store", "TaskProgress", "TaskProgressRecord", "User",
           "check_account", "check_date", "display_url", "open_store", "resolve_url", "split_units"]
