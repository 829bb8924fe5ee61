"""The planner's preview: ``?preview=1`` on the dashboard, the indicator pages and their JSON twins.

A preview judges the plan as if every pending (submitted, not yet approved) figure were approved
(:func:`planwatch.evaluate.scope.with_pending`), so that the planning office sees what approving would
change before anyone else does. Only accounts holding ``review`` may ask for it; anyone else is refused
(403), never shown the published page in its place, so nobody mistakes one for the other.
"""

from __future__ import annotations

from fastapi import Query, Request

from planwatch.errors import AccessError

from .auth import current

PREVIEW = Query(False, description="预览（仅规划处）：评估时计入已报送、尚未审核的数据，结果标明“预览”")


def preview_mode(request: Request, preview: bool = PREVIEW) -> bool:
    """Whether the request asks for the preview, refused (403) unless its account may review figures."""
    if not preview:
        return False
    viewer = current(request)
    if viewer.may("review"):
        return True
    who = "未登录的访问者" if viewer.user is None else f"{viewer.user.role_label}账号（{viewer.user.name}）"
    raise AccessError(f"{who}不能查看预览：含待审核数据的预览仅供规划处账号使用；去掉 preview 参数可查看已发布的结果")
