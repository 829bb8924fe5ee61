"""The store: plans with versions and adjustments, regions, series and observations with revisions.

SQLite by default, PostgreSQL for several users; the schema is created and upgraded by the
Alembic migrations shipped in ``planwatch/store/migrations`` (``Store.init``).
"""

from .api import Store, open_store
from .connection import DB_ENV, DB_HELP, display_url, resolve_url
from .observations import ObservationRevision
from .plans import PlanSummary, PlanVersionInfo
from .regions import Region, RegionNode

__all__ = ["DB_ENV", "DB_HELP", "ObservationRevision", "PlanSummary", "PlanVersionInfo", "Region", "RegionNode", "Store", "display_url",
           "open_store", "resolve_url"]
