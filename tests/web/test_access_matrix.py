"""Every route × every role: allowed, sent to log in, or refused, as the table below declares.

The table is the decision for each route of ``create_app`` (the /static mount aside): a route the
table does not list fails the test, so every new route gets a decision. Each plan's app answers the
same routes under ``/p/{key}/`` (web/plan_choice.py): every page read there gets the same decision. Each route is requested as
seven callers: anonymous with public mode off and on, admin, planner, a reporter of 统计局, a reporter
of 科技局 and a viewer, each through a real login session (cookie + its CSRF token), so a refusal is
the permission's and never a missing token's.

- allowed (A): the access check let the request through: any answer but 401, 403 or a redirect to
  the login page (an empty form's 400/422, a missing draft's 404, a decided figure's 409 are answers
  the route gave after letting the caller in);
- login (L): 401, or for a page a redirect to /login;
- forbidden (F): 403.

Also here: every status a JSON route answered in the matrix is declared in /api/openapi.json for it,
and the reporter of 科技局 never sees a figure 统计局 has submitted (not yet approved) in any page, API
answer, download or error message.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount

from planwatch.model import Project, ProjectReport, Task, TaskAssignment, TaskKind, TaskState, TaskUpdate
from planwatch.store import open_store
from planwatch.store.rounds import Entry
from planwatch.web import WebSettings, create_app

from .conftest import fill_store, sample_plan

PASSWORD = "matrix password 2025"
ROLES = ("anonymous", "public", "admin", "planner", "tj", "kj", "viewer")
ACCOUNTS = {"admin": ("admin1", "admin", None), "planner": ("planner1", "planner", None),
            "tj": ("tj1", "reporter", "统计局"), "kj": ("kj1", "reporter", "科技局"),
            "viewer": ("viewer1", "viewer", None), "spare": ("spare1", "viewer", None)}
# 统计局's figures, submitted and not approved: what 科技局 must never see. Values no sample figure has.
SECRET_VALUE, SECRET_NOTE = 6123.45, "统计局内部说明XQ"
DECIDED_VALUE = 71.37

VIEW, PUBLIC, SIGNED_IN = "LAAAAAA", "AAAAAAA", "LLAAAAA"
ACCOUNTS_ONLY = SETTINGS_ONLY = "LLAFFFF"
PLAN = REVIEW = "LLFAFFF"
AUDIT = "LLAAFFF"
REPORT = "LLFAAAF"  # planners and reporters enter figures
BOARD = REPORTS = "LLAAFFA"  # admin, planner, viewer
OWN_UNIT = "LLAAAFA"  # one figure: 科技局 may not see 统计局's
WITHDRAW = "LLFFAFF"  # only the unit that reported the figure withdraws it
OWN_WORK = "LLFAAFF"  # a task or project 统计局 leads: its reporter and planners report on it, 科技局 may not

# (method, path) → outcome per role, in the order of ROLES.
EXPECTED: dict[tuple[str, str], str] = {
    ("GET", "/api/openapi.json"): PUBLIC,
    ("GET", "/api/docs"): PUBLIC,
    ("GET", "/status.css"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    ("POST", "/api/token"): PUBLIC,
    ("GET", "/api/me"): PUBLIC,
    ("GET", "/account/password"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    # the dashboard and the plan: everyone signed in, and anonymous visitors in public mode
    ("GET", "/"): VIEW,
    ("GET", "/indicators/{key}"): VIEW,
    ("GET", "/table.{fmt}"): VIEW,
    ("GET", "/indicators/{key}/table.{fmt}"): VIEW,
    ("GET", "/api/plan"): VIEW,
    ("GET", "/api/findings"): VIEW,
    ("GET", "/api/indicators/{key}"): VIEW,
    ("GET", "/api/regions"): VIEW,
    ("GET", "/projects"): VIEW,
    ("GET", "/projects.csv"): VIEW,
    ("GET", "/projects.xlsx"): VIEW,
    ("GET", "/api/projects"): VIEW,
    ("GET", "/tasks"): VIEW,
    ("GET", "/tasks.csv"): VIEW,
    ("GET", "/tasks.xlsx"): VIEW,
    ("GET", "/api/tasks"): VIEW,
    ("GET", "/plan"): VIEW,
    ("GET", "/api/plan/outline"): VIEW,
    ("GET", "/api/adjustments"): VIEW,
    ("GET", "/plan/regions"): VIEW,
    ("GET", "/api/plan/regions"): VIEW,
    # the plan's family (web/families.py): its plans in order, one indicator across them
    ("GET", "/plan/family"): VIEW,
    ("GET", "/api/plan/family"): VIEW,
    ("GET", "/plan/family/{key}"): VIEW,
    ("GET", "/api/plan/family/{key}"): VIEW,
    ("GET", "/plan/family/{key}/table.{fmt}"): VIEW,
    # the plan chooser (web/plan_choice.py): which plans there are is no secret of a signed-in account
    ("GET", "/plans"): VIEW,
    ("GET", "/api/plans"): VIEW,
    # one task, one project (web/work.py): everyone who views; their work reports: the lead unit (统计局) and
    # planners report, planners decide, the unit withdraws, and 科技局 is refused 统计局's task and project
    ("GET", "/tasks/{task_id}"): VIEW,
    ("GET", "/api/tasks/{task_id}"): VIEW,
    ("GET", "/projects/{key}"): VIEW,
    ("GET", "/api/projects/{key}"): VIEW,
    ("POST", "/tasks/{task_id}/report"): OWN_WORK,
    ("POST", "/projects/{key}/report"): OWN_WORK,
    ("GET", "/work"): REPORT,
    ("GET", "/api/work"): REPORT,
    ("GET", "/api/work-reports"): REPORT,
    ("POST", "/api/work-reports"): REPORT,
    ("POST", "/work-reports/{report_id}/approve"): REVIEW,
    ("POST", "/work-reports/{report_id}/return"): REVIEW,
    ("POST", "/api/work-reports/{report_id}/approve"): REVIEW,
    ("POST", "/api/work-reports/{report_id}/return"): REVIEW,
    ("POST", "/work-reports/{report_id}/withdraw"): WITHDRAW,
    ("POST", "/api/work-reports/{report_id}/withdraw"): WITHDRAW,
    # accounts and settings: admin
    ("GET", "/admin/users"): ACCOUNTS_ONLY,
    ("POST", "/admin/users"): ACCOUNTS_ONLY,
    ("POST", "/admin/users/{name}/disable"): ACCOUNTS_ONLY,
    ("POST", "/admin/users/{name}/password"): ACCOUNTS_ONLY,
    ("GET", "/api/users"): ACCOUNTS_ONLY,
    ("POST", "/api/users"): ACCOUNTS_ONLY,
    ("POST", "/api/users/{name}/disable"): ACCOUNTS_ONLY,
    ("POST", "/api/users/{name}/password"): ACCOUNTS_ONLY,
    ("GET", "/admin/settings"): SETTINGS_ONLY,
    ("POST", "/admin/settings"): SETTINGS_ONLY,
    ("GET", "/api/settings"): SETTINGS_ONLY,
    ("PUT", "/api/settings"): SETTINGS_ONLY,
    # responsibilities, plan review, adjustments: the planning office
    ("GET", "/admin/responsibilities"): PLAN,
    ("POST", "/admin/responsibilities"): PLAN,
    ("POST", "/admin/responsibilities/upload"): PLAN,
    ("GET", "/api/responsibilities"): PLAN,
    ("PUT", "/api/responsibilities"): PLAN,
    ("GET", "/plan/upload"): PLAN,
    ("POST", "/plan/upload"): PLAN,
    ("POST", "/api/plan/drafts"): PLAN,
    ("GET", "/plan/drafts/{draft_id}"): PLAN,
    ("GET", "/api/plan/drafts/{draft_id}"): PLAN,
    ("POST", "/plan/drafts/{draft_id}/flags/{index}"): PLAN,
    ("POST", "/api/plan/drafts/{draft_id}/flags/{index}"): PLAN,
    ("POST", "/plan/drafts/{draft_id}/publish"): PLAN,
    ("POST", "/api/plan/drafts/{draft_id}/publish"): PLAN,
    ("GET", "/plan/adjust"): PLAN,
    ("POST", "/plan/adjust"): PLAN,
    ("POST", "/api/adjustments"): PLAN,
    ("GET", "/plan/sections"): PLAN,
    ("POST", "/plan/sections"): PLAN,
    ("GET", "/api/plan/sections"): PLAN,
    ("POST", "/api/plan/sections"): PLAN,
    # audit: admin and planner
    ("GET", "/audit"): AUDIT,
    ("GET", "/api/audit"): AUDIT,
    ("GET", "/audit.csv"): AUDIT,
    ("GET", "/audit.xlsx"): AUDIT,
    # rounds: everyone signed in sees the list; the planning office opens and closes them
    ("GET", "/rounds"): SIGNED_IN,
    ("GET", "/api/rounds"): SIGNED_IN,
    ("GET", "/rounds/{round_id}"): SIGNED_IN,
    ("POST", "/rounds"): REVIEW,
    ("POST", "/api/rounds"): REVIEW,
    ("POST", "/rounds/{round_id}/close"): REVIEW,
    ("POST", "/api/rounds/{round_id}/close"): REVIEW,
    # entering figures: reporters and planners
    ("GET", "/api/rounds/{round_id}/todo"): REPORT,
    ("POST", "/rounds/{round_id}/figures"): REPORT,
    ("POST", "/api/submissions"): REPORT,
    ("GET", "/rounds/{round_id}/sheet.xlsx"): REPORT,
    ("POST", "/rounds/{round_id}/sheet"): REPORT,
    # one figure of 统计局
    ("GET", "/submissions/{submission_id}"): OWN_UNIT,
    ("GET", "/api/submissions/{submission_id}"): OWN_UNIT,
    ("POST", "/submissions/{submission_id}/approve"): REVIEW,
    ("POST", "/submissions/{submission_id}/return"): REVIEW,
    ("POST", "/api/submissions/{submission_id}/approve"): REVIEW,
    ("POST", "/api/submissions/{submission_id}/return"): REVIEW,
    ("POST", "/submissions/{submission_id}/withdraw"): WITHDRAW,
    ("POST", "/api/submissions/{submission_id}/withdraw"): WITHDRAW,
    # the round board
    ("GET", "/rounds/{round_id}/board"): BOARD,
    ("GET", "/api/rounds/{round_id}/board"): BOARD,
    ("GET", "/rounds/{round_id}/board.csv"): BOARD,
    ("GET", "/rounds/{round_id}/board.xlsx"): BOARD,
    # reports
    ("GET", "/reports"): REPORTS,
    ("POST", "/reports"): REPORTS,
    ("GET", "/reports/jobs/{job_id}"): REPORTS,
    ("GET", "/reports/jobs/{job_id}/download/{fmt}"): REPORTS,
    ("GET", "/api/reports"): REPORTS,
    ("POST", "/api/reports"): REPORTS,
    ("GET", "/api/reports/{job_id}"): REPORTS,
}


def app_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route of the app, the /static mount aside (HEAD goes with GET)."""
    found: list[tuple[str, str]] = []

    def walk(routes) -> None:
        for route in routes:
            if isinstance(route, Mount):
                continue
            if hasattr(route, "effective_route_contexts"):  # FastAPI ≥ 0.16x keeps included routers as such
                for ctx in route.effective_route_contexts():
                    found.extend((m, ctx.path) for m in sorted(ctx.original_route.methods - {"HEAD"}))
            else:
                found.extend((m, route.path) for m in sorted(route.methods - {"HEAD"}))

    walk(app.routes)
    return found


# ---------------------------------------------------------------- the workspace


@dataclass
class Workspace:
    app: object
    store: object
    round_id: int
    spare_round_id: int
    secret_id: int  # 统计局's submitted figure (never decided here)
    decided_id: int  # 统计局's submitted figure the decision routes act on
    sessions: dict[str, tuple[dict, str]]  # role → (cookies, CSRF token)
    work_secret_id: int = 0  # 统计局's submitted task report (never decided here)
    work_decided_id: int = 0  # 统计局's submitted task report the decision routes act on


def build_workspace(path) -> Workspace:
    store = open_store(f"sqlite:///{path / 'matrix.db'}")
    store.init()
    fill_store(store, public=False)
    for name, role, unit in ACCOUNTS.values():
        store.add_user(name, role=role, unit=unit, password=PASSWORD)
    for ind in ("T2-1", "T2-3"):
        store.assign(ind, "统计局")
    store.assign("T2-5", "科技局")
    rnd = store.open_round(year=2024, due="2025-03-31", actor="planner1")
    spare = store.open_round(year=2023, actor="planner1")
    secret, decided = store.enter_figures(rnd.id, [
        Entry(indicator="T2-1", region="嘉兴市", responsible_unit="统计局", value=SECRET_VALUE, unit="亿元",
              source="统计局内部测算", note=SECRET_NOTE),
        Entry(indicator="T2-3", region="嘉兴市", responsible_unit="统计局", value=DECIDED_VALUE, unit="%",
              source="统计局内部测算", note=SECRET_NOTE)], actor="tj1", submit=True)
    work = add_work(store)
    app = create_app(WebSettings(db=store.url), store=store)
    sessions = {role: session(app, ACCOUNTS[role][0] if role in ACCOUNTS else None) for role in ROLES}
    return Workspace(app, store, rnd.id, spare.id, secret.id, decided.id, sessions, *work)


def add_work(store) -> tuple[int, int]:
    """Two tasks of 专栏5 and 沪乍杭铁路 added to the sample plan, all led by 统计局, with 统计局's two task reports
    submitted (the first's progress is the secret note); their ids."""
    tasks = [Task(id=f"box5.{n}", kind=TaskKind.box_item, box="专栏5", no=str(n), text=text, line=line, chapter="4",
                  section="box5", confirmed=True)
             for n, text, line in ((1, "实行更加开放的人才政策，构筑集聚国内外优秀人才的创新高地。", 894),
                                   (2, "发展高水平大学和科研院所，加强高技能应用型人才培养。", 896))]
    railway = Project(name="沪乍杭铁路（嘉兴段）", no="2", section="box3", line=837, investment_yi_yuan=338.0)
    store.load_plan(sample_plan().model_copy(update={"tasks": tasks, "projects": [railway]}), source="matrix")
    store.assign_tasks([TaskAssignment(task_id=t.id, lead_unit="统计局") for t in tasks])
    store.record_project_reports(None, [ProjectReport(project_key="box3.2", name=railway.name, year=2024,
                                                      lead_unit="统计局", as_of="2024-06-30")])
    secret, decided = (store.enter_work_report(None, TaskUpdate(task_id=t.id, state=TaskState.behind, progress=SECRET_NOTE,
                                                                lead_unit="统计局", as_of="2024-12-31"),
                                               unit="统计局", actor="tj1", submit=True) for t in tasks)
    return secret.id, decided.id


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no csrf_token field"
    return found[1]


def session(app, name: str | None) -> tuple[dict, str]:
    """The cookies and CSRF token of a browser session, logged in as ``name`` (None: anonymous)."""
    client = TestClient(app, follow_redirects=False)
    token = csrf_of(client.get("/login").text)
    if name is not None:
        done = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
        assert done.status_code == 303, done.text
        token = csrf_of(client.get("/login").text)
    return dict(client.cookies), token


def set_public(ws: Workspace, public: bool) -> None:
    if ws.store.workspace_settings().public != public:
        ws.store.change_settings({"public": public})
    ws.app.state.dashboard.forget_workspace()


def concrete(ws: Workspace, method: str, path: str) -> str:
    """The path with its parameters filled: the open round, 统计局's figures, a spare account."""
    closing = path.endswith("/close")
    deciding = method == "POST" and path.startswith(("/submissions/", "/api/submissions/"))
    deciding_work = method == "POST" and path.startswith(("/work-reports/", "/api/work-reports/"))
    project = path.startswith(("/projects/", "/api/projects/"))
    values = {"round_id": ws.spare_round_id if closing else ws.round_id,
              "submission_id": ws.decided_id if deciding else ws.secret_id,
              "report_id": ws.work_decided_id if deciding_work else ws.work_secret_id, "task_id": "box5.1",
              "name": "spare1", "key": "box3.2" if project else "T2-1", "fmt": "csv", "draft_id": "nosuchdraft",
              "index": "0", "job_id": "nosuchjob"}
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m[1]]), path)


def ask(ws: Workspace, role: str, method: str, path: str, *, query: str = "", prefix: str = ""):
    """One request as ``role`` through its own session (restored each time: a logout ends nothing after);
    ``prefix``: under a plan's /p/{key}."""
    if role in ("anonymous", "public"):
        set_public(ws, role == "public")
    cookies, token = ws.sessions[role]
    client = TestClient(ws.app, follow_redirects=False)
    client.cookies.update(cookies)
    url = prefix + concrete(ws, method, path) + query
    headers = {"X-CSRF-Token": token}
    if method == "GET":
        return client.get(url, headers=headers)
    if (method, path) in (("POST", "/login"), ("POST", "/api/token")):
        # a real login of the spare account: the route is open to everyone
        return client.post(url, data={"username": "spare1", "password": PASSWORD, "csrf_token": token},
                           headers=headers)
    if path.startswith("/api/"):
        return client.request(method, url, json={}, headers=headers)
    return client.request(method, url, data={"csrf_token": token}, headers=headers)


def outcome(answer) -> str:
    if answer.status_code == 401:
        return "L"
    if answer.status_code in (302, 303, 307) and answer.headers.get("location", "").split("?")[0].endswith("/login"):
        return "L"
    if answer.status_code == 403:
        return "F"
    return "A"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    ws = build_workspace(tmp_path_factory.mktemp("matrix"))
    yield ws
    ws.store.dispose()


@pytest.fixture(scope="module")
def answers(workspace):
    """Every listed route asked as every role: (method, path, role) → the response."""
    got = {}
    # Posts that change things run after the reads, the ones that end sessions or disable accounts last.
    routes = sorted(EXPECTED, key=lambda r: (r[0] != "GET", r[1] in ("/logout",) or "disable" in r[1]))
    for method, path in routes:
        for role in ROLES:
            got[(method, path, role)] = ask(workspace, role, method, path)
    return got


# ---------------------------------------------------------------- the tests


def test_every_route_of_the_app_has_a_decision_in_the_table(workspace):
    routes = app_routes(workspace.app)
    undecided = sorted(set(routes) - set(EXPECTED))
    assert not undecided, f"routes without an access decision in EXPECTED: {undecided}"
    gone = sorted(set(EXPECTED) - set(routes))
    assert not gone, f"routes in EXPECTED the app no longer has: {gone}"


def test_every_route_answers_each_role_as_declared(answers):
    wrong = []
    for (method, path), row in EXPECTED.items():
        for role, want in zip(ROLES, row, strict=True):
            answer = answers[(method, path, role)]
            got = outcome(answer)
            if got != want:
                wrong.append(f"{method} {path} as {role}: expected {want}, got {got} "
                             f"({answer.status_code} {answer.text[:160]!r})")
    assert not wrong, "\n".join(wrong)


def test_every_page_read_under_the_plans_prefix_answers_each_role_as_at_the_root(workspace):
    """The plan's own app under /p/{key}/ holds the same login and the same permissions as the root."""
    key = workspace.store.plans()[0].key
    wrong = []
    for (method, path), row in EXPECTED.items():
        if method != "GET":  # the writes are asked once, at the root (they change the workspace)
            continue
        for role, want in zip(ROLES, row, strict=True):
            answer = ask(workspace, role, method, path, prefix=f"/p/{quote(key, safe='')}")
            if outcome(answer) != want or answer.status_code >= 500:
                wrong.append(f"/p/{key}{path} as {role}: expected {want}, got {answer.status_code} {answer.text[:160]!r}")
    assert not wrong, "\n".join(wrong)


def test_no_answer_is_a_server_error(answers):
    broken = [f"{m} {p} as {r}: {a.status_code} {a.text[:200]!r}" for (m, p, r), a in answers.items()
              if a.status_code >= 500]
    assert not broken, "\n".join(broken)


def test_every_status_a_json_route_answered_is_in_the_schema(workspace, answers):
    """An API client programs against the schema: 401, 403, 400 … must be listed where they happen."""
    paths = TestClient(workspace.app).get("/api/openapi.json").json()["paths"]
    missing = set()
    for (method, path, _role), answer in answers.items():
        operation = paths.get(path, {}).get(method.lower())
        if operation is None:
            continue
        declared = set(operation.get("responses", {}))
        if str(answer.status_code) not in declared and "default" not in declared:
            missing.add(f"{method} {path}: {answer.status_code} (declared: {', '.join(sorted(declared))})")
    assert not missing, "\n".join(sorted(missing))


def test_html_routes_are_not_in_the_schema(workspace):
    paths = TestClient(workspace.app).get("/api/openapi.json").json()["paths"]
    assert sorted(p for p in paths if not p.startswith("/api/")) == []


# ---------------------------------------------------------------- no data of another unit


def readable(answer) -> str:
    """A response's text, spreadsheets unpacked (their cells are zipped XML)."""
    body = answer.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return body.decode("utf-8", "replace")


SECRETS = ("6123.45", "6,123.45", "6123.5", SECRET_NOTE, "统计局内部测算")


def test_a_reporter_never_sees_another_units_figures(tmp_path):
    ws = build_workspace(tmp_path)
    try:
        # first, 统计局's own reporter does see them: the search below would find them
        own = ask(ws, "tj", "GET", "/api/submissions/{submission_id}")
        assert own.status_code == 200 and "6123.45" in own.text and SECRET_NOTE in own.text
        assert SECRET_NOTE in ask(ws, "tj", "GET", "/api/tasks/{task_id}").text  # its task report, too
        seen = []
        queries = ["", f"?round={ws.round_id}", "?year=2024", "?unit=统计局", "?preview=1"]
        for method, path in EXPECTED:
            asks = [(method, path, q) for q in (queries if method == "GET" else [""])]
            for m, p, q in asks:
                answer = ask(ws, "kj", m, p, query=q)
                text = readable(answer)
                for secret in SECRETS:
                    if secret in text:
                        seen.append(f"{m} {p}{q} ({answer.status_code}) shows {secret!r}")
        # and the error answers of 科技局 acting on 统计局's figure name nothing of it
        for path in ("/api/submissions/{submission_id}/withdraw", "/api/submissions/{submission_id}/approve"):
            answer = ask(ws, "kj", "POST", path.replace("{submission_id}", str(ws.secret_id)))
            assert answer.status_code == 403
            seen += [f"POST {path}: {s!r}" for s in SECRETS if s in answer.text]
        posted = TestClient(ws.app).post("/api/submissions", headers=bearer(ws.app, "kj1"), json={
            "indicator": "T2-1", "region": "嘉兴市", "year": 2024, "value": 1.0, "unit": "亿元"})
        assert posted.status_code == 403 and "科技局" in posted.json()["error"], posted.text
        seen += [f"POST /api/submissions: {s!r}" for s in SECRETS if s in posted.text]
        assert not seen, "\n".join(seen)
    finally:
        ws.store.dispose()


def bearer(app, name: str) -> dict[str, str]:
    answer = TestClient(app).post("/api/token", data={"username": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}
