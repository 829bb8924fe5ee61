"""Settings of the web dashboard: each declared once, with its default and its help text.

The ``serve`` command builds its options from these declarations, so a default or a help
text lives here only.
"""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field

from planwatch.evaluate import DEFAULT_METHOD, METHODS
from planwatch.store import DB_HELP, resolve_url

HOSTS_ENV = "PLANWATCH_ALLOWED_HOSTS"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "testserver")
ANY_ADDRESS = ("0.0.0.0", "::", "")


def default_db_url() -> str:
    """The store URL as every command resolves it (see :func:`planwatch.store.resolve_url`)."""
    return resolve_url(None)


def default_allowed_hosts() -> list[str]:
    """The local host names, plus those listed (comma-separated) in $PLANWATCH_ALLOWED_HOSTS."""
    listed = [h.strip() for h in os.environ.get(HOSTS_ENV, "").split(",") if h.strip()]
    return list(dict.fromkeys([*LOCAL_HOSTS, *listed]))


class WebSettings(BaseModel):
    """What the dashboard serves and how."""

    model_config = ConfigDict(extra="forbid")

    db: str = Field(
        default_factory=default_db_url,
        description=DB_HELP,
    )
    plan: str | None = Field(None, description=(
        "首页显示的规划键（见 planwatch plans）；省略时只有一个规划则显示该规划，有多个规划则首页列出各规划供选择。"
        "每个规划都可在 /p/规划键/ 下访问"))
    title: str | None = Field(None, description="页面标题（默认用规划名称）")
    region: str | None = Field(None, description="默认地区（默认为规划所属地区）")
    year: int | None = Field(None, description="默认评估年份（默认为有数据的最近年份）")
    method: str = Field(DEFAULT_METHOD, description=f"默认评估方法（{' / '.join(METHODS)}）")
    host: str = Field("127.0.0.1", description="监听地址")
    port: int = Field(8000, ge=0, le=65535, description="监听端口")
    cache_seconds: float = Field(
        30.0, ge=0, description="检查数据是否更新的最长间隔秒数（实际不超过 1 秒；数据有导入、调整等变化时才重新读取；0 表示每个请求都检查）"
    )
    https: bool = Field(False, description="站点经 HTTPS 访问（如在反向代理之后）时打开：会话 Cookie 只经 HTTPS 发送")
    allowed_hosts: list[str] = Field(
        default_factory=default_allowed_hosts,
        description=(f"允许的主机名（请求头 Host），防止 DNS 重绑定；默认只允许本机地址，"
                     f"可用环境变量 {HOSTS_ENV}（逗号分隔）添加；*.example.cn 匹配其子域名，* 允许任何主机名"),
    )

    def trusted_hosts(self) -> list[str]:
        """The allowed host names, with the listening address when it is a specific one."""
        listening = [] if self.host in ANY_ADDRESS else [self.host]
        return list(dict.fromkeys([*self.allowed_hosts, *listening]))


def setting_default(name: str):
    """The declared default of one setting (calling its factory if it has one)."""
    field = WebSettings.model_fields[name]
    return field.get_default(call_default_factory=True)


def setting_help(name: str) -> str:
    """The help text of one setting."""
    return WebSettings.model_fields[name].description or ""
