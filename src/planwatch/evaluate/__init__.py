"""The evaluate stage: judge each target of a plan, region and year, the way an evaluator would.

``assess(read_inputs(store), year=, regions=, method=)`` is the one entry every surface calls;
``evaluate(plan, observations, year)`` → :class:`Assessment` of :class:`~planwatch.model.Finding`;
``evaluate_previous_plan(plan)`` judges the finished previous plan (表1) from its own outcome columns.
Methods: ``elapsed_time`` (时间进度法, default), ``open_sdg``, ``unsd``; thresholds are
:class:`EvaluationSettings`.
"""

from planwatch.model import Assessment

from .assessment import check_year, evaluate, latest_data_year
from .methods import METHODS, method_label
from .previous import evaluate_previous_plan
from .scope import DEFAULT_METHOD, Inputs, assess, chosen_plan, read_inputs
from .settings import EvaluationSettings, settings_help

__all__ = [
           "DEFAULT_METHOD",
           "METHODS",
           "Assessment",
           "EvaluationSettings",
           "Inputs",
           "assess",
           "check_year",
           "chosen_plan",
           "evaluate",
           "evaluate_previous_plan",
           "latest_data_year",
           "method_label",
           "read_inputs",
           "settings_help",
]
