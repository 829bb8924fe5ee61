"""The evaluate stage: judge each target of a plan, region and year, the way an evaluator would.

``evaluate(plan, observations, year)`` → :class:`Assessment` of :class:`~planwatch.model.Finding`;
``evaluate_previous_plan(plan)`` judges the finished previous plan (表1) from its own outcome columns.
Methods: ``elapsed_time`` (时间进度法, default), ``open_sdg``, ``unsd``; thresholds are
:class:`EvaluationSettings`.
"""

from planwatch.model import Assessment

from .assessment import evaluate, latest_data_year
from .methods import METHODS
from .previous import evaluate_previous_plan
from .settings import EvaluationSettings, settings_help

__all__ = ["evaluate", "evaluate_previous_plan", "Assessment", "METHODS", "EvaluationSettings", "settings_help", "latest_data_year"]
