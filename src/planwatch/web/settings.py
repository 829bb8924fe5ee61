"""Settings of the web dashboard: each declared once, with its default and its help text.

The ``serve`` command builds its options from these declarations, so a default or a help
text lives here only.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from planwatch.evaluate import DEFAULT_METHOD, METHODS
from planwatch.store import DB_HELP, resolve_url


def default_db_url() -> str:
    """The store URL as every command resolves it (see :func:`planwatch.store.resolve_url`)."""
    return resolve_url(None)


class WebSettings(BaseModel):
    """What the dashboard serves and how."""

    model_config = ConfigDict(extra="forbid")

    db: str = Field(
        default_factory=default_db_url,
        description=DB_HELP,
    )
    title: str | None = Field(None, description="页面标题（默认用规划名称）")
    region: str | None = Field(None, description="默认地区（默认为规划所属地区）")
    year: int | None = Field(None, description="默认评估年份（默认为有数据的最近年份）")
    method: str = Field(DEFAULT_METHOD, description=f"默认评估方法（{' / '.join(METHODS)}）")
    host: str = Field("127.0.0.1", description="监听地址")
    port: int = Field(8000, ge=0, le=65535, description="监听端口")
    cache_seconds: float = Field(
        30.0, ge=0, description="数据快照缓存秒数（0 表示每个请求都重新读取数据库）"
    )


def setting_default(name: str):
    """The declared default of one setting (calling its factory if it has one)."""
    field = WebSettings.model_fields[name]
    return field.get_default(call_default_factory=True)


def setting_help(name: str) -> str:
    """The help text of one setting."""
    return WebSettings.model_fields[name].description or ""
