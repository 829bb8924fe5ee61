"""Database URLs, engines and schema migration (Alembic, run in code)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError

from planwatch.errors import StoreError

DB_ENV = "PLANWATCH_DB"
DEFAULT_URL = "sqlite:///planwatch.db"
# How long a writer waits for another one (an import of millions of rows takes minutes) before it
# gives up with a message; readers are never blocked by writers.
WRITE_WAIT_SECONDS = 600
# How long a reader waits for a writer's commit (SQLite locks the file while it writes the journal back).
READ_WAIT_SECONDS = 30
DB_HELP = "数据库地址（默认取环境变量 PLANWATCH_DB，否则为当前目录的 planwatch.db；postgresql://… 选用 PostgreSQL）"
MIGRATIONS = Path(__file__).parent / "migrations"


def resolve_url(db: str | None = None) -> str:
    """The database URL: the argument, else $PLANWATCH_DB, else planwatch.db in the working directory."""
    url = db or os.environ.get(DB_ENV) or DEFAULT_URL
    if "://" not in url:  # a bare path
        url = f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def display_url(url: str) -> str:
    """The URL with any password masked, safe to print."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def create_store_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets a busy timeout so concurrent readers wait, not fail."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"无法识别的数据库地址：{url}（应为 sqlite:///路径 或 postgresql://用户@主机:端口/库）") from exc
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": READ_WAIT_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True)
    raise StoreError(f"不支持的数据库类型：{parsed.get_backend_name()}（支持 SQLite 与 PostgreSQL）")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def begin_writing(conn: Connection) -> None:
    """Make a fresh transaction the store's only writer, before it reads anything.

    A writer reads what is stored (existing revisions, regions, series) and decides from it what
    to write; two writers deciding from the same snapshot would both mark their rows current. So
    writers run one after the other and each reads what the previous one committed. Readers are
    not blocked on either backend.
    """
    if conn.dialect.name == "sqlite":
        # BEGIN IMMEDIATE takes SQLite's write lock now, not at the first INSERT, and waits for it
        # (busy timeout) instead of failing with "database is locked". The longer wait stays on the
        # pooled connection, which only makes a later reader wait rather than fail.
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {WRITE_WAIT_SECONDS * 1000}")
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        # A table lock that conflicts with itself and with every INSERT/UPDATE/DELETE on the table
        # but not with SELECT; scoped to this store's schema and released at commit or rollback.
        # Under READ COMMITTED each later statement then sees what the previous writer committed.
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{WRITE_WAIT_SECONDS}s'")
        conn.exec_driver_sql("LOCK TABLE observations IN SHARE ROW EXCLUSIVE MODE")


# Fragments of driver messages (English, from libpq/SQLite) → what the user should do.
UNREACHABLE_HINTS = (
    ("does not exist", "数据库不存在，请先在服务器上创建（如 createdb 库名），再运行 planwatch init"),
    ("password authentication failed", "用户名或密码错误"),
    ("no password supplied", "服务器要求密码：请在地址中写明密码或使用 ~/.pgpass"),
    ("connection refused", "服务器未运行，或主机/端口不对"),
    ("could not translate host name", "主机名无法解析"),
    ("timeout expired", "连接超时：主机不可达"),
    ("unable to open database file", "无法打开数据库文件：所在目录不存在或没有权限"),
    ("database is locked", "数据库正被其他进程写入，请稍后再试"),
    ("lock timeout", "数据库正被其他进程写入，请稍后再试"),
    ("file is not a database", "该文件不是 SQLite 数据库"),
)


def unreachable(url: str, exc: Exception) -> StoreError:
    """The error for a database that cannot be opened: a Chinese hint, then the driver's own words."""
    text = str(getattr(exc, "orig", exc)).strip()
    reason = " ".join(line.strip() for line in text.splitlines()[:2]) if text else type(exc).__name__
    hint = next((h for fragment, h in UNREACHABLE_HINTS if fragment in reason.lower()), "")
    return StoreError(f"无法连接数据库 {display_url(url)}：{hint + '（' + reason + '）' if hint else reason}")


def alembic_config(connection):
    """An Alembic Config pointing at the migrations shipped in the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, url: str) -> None:
    """Create or upgrade the schema to the latest revision (idempotent)."""
    from alembic import command

    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
    except DatabaseError as exc:  # OperationalError, or a file that is not a database
        raise unreachable(url, exc) from exc


def head_revision() -> str:
    """The newest migration revision shipped with planwatch."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None, "planwatch ships its migrations, so there is always a head"
    return head


def check_schema(engine: Engine, url: str) -> None:
    """Raise StoreError unless the schema is initialised and at the shipped revision."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not Path(parsed.database).exists():
        # Checked before connecting: SQLite would otherwise leave an empty file behind.
        raise StoreError(f"数据库 {display_url(url)} 尚未初始化，请先运行 planwatch init（文件不存在）")
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                raise StoreError(f"数据库 {display_url(url)} 尚未初始化，请先运行 planwatch init")
            found = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except DatabaseError as exc:  # OperationalError, or a file that is not a database
        raise unreachable(url, exc) from exc
    head = head_revision()
    if found != head:
        raise StoreError(f"数据库 {display_url(url)} 的结构版本为 {found}，需要 {head}；请运行 planwatch init 升级")
