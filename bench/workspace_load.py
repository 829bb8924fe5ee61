"""Load the workspace: logged-in readers and reporters/planners writing at the same time, no lost write.

The Jiaxing demo store (``run_demo``: plan, regions, real data, the sample responsibilities) is built on
the chosen backend; a data round for the year after the latest data is opened; accounts are made (one
reporter per unit that leads indicators with last year's value, a planner, a reader). ``planwatch
serve`` then runs in a subprocess (uvicorn, one process, as a user runs it), and for ``--seconds``:

- ``--readers`` clients, logged in through the login form as a reporter (session cookie), request
  ``/``, ``/indicators/T2-1``, ``/api/findings``, ``/rounds/{id}`` and the floor ``/static/style.css``
  in turn, back to back;
- ``--writers`` clients with bearer tokens from ``POST /api/token``: all but one are reporters posting
  their unit's figures (``POST /api/submissions``), the last is a planner approving what was submitted
  (``POST /api/submissions/{id}/approve``).

Printed: throughput, p50/p95/p99 and errors per route; then every write the server acknowledged (201/200)
is looked up in the store's history (the submission's events): a write acknowledged but missing, or
recorded twice, is a lost (or doubled) write. Routes the server does not have yet are named and skipped.

Usage: .venv/bin/python bench/workspace_load.py [--seconds 60] [--readers 50] [--writers 5]
       [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from web_load import FLOOR, RouteResult, backend_url, jiaxing_store, server

PASSWORD = "bench password 2025"
READER = "bench_reader"
PLANNER = "bench_planner"
REGION = "嘉兴市"


@dataclass
class Workspace:
    """What the bench set up in the store: the round and who reports what."""

    round_id: int
    year: int
    figures: dict[str, list[dict]]  # reporter account → figures it may post (indicator, unit, last value)


@dataclass
class Ledger:
    """Every write the server acknowledged, to be found in the store afterwards."""

    submits: list[tuple[int, str]] = field(default_factory=list)  # (submission id, note that marks the write)
    approvals: Counter = field(default_factory=Counter)  # submission id → approvals acknowledged
    conflicts: int = 0  # 409: someone changed the figure meanwhile (an answer, not an error)


# ---------------------------------------------------------------- setup


def prepare(url: str) -> Workspace:
    """Accounts and an open round in the demo store (directly, as an admin's setup would)."""
    from planwatch.model import ObservationKind
    from planwatch.store import open_store

    store = open_store(url)
    try:
        plan = store.plan()
        leads = {r.indicator: r.lead_unit for r in store.responsibilities()}
        last_year = max(o.year for o in store.observations(region=REGION) if o.value is not None)
        year = min(last_year + 1, plan.meta.period_end or last_year + 1)
        by_unit: dict[str, list[dict]] = defaultdict(list)
        for ind in plan.current_indicators():
            unit = leads.get(ind.id)
            # the latest value of the figure: posted values stay within 1 % of it, so no plausibility doubt
            known = sorted((o for o in store.observations(ind.id, REGION) if o.value is not None and o.year < year
                            and o.kind == ObservationKind.level), key=lambda o: o.year)
            if unit and known:
                by_unit[unit].append({"indicator": ind.id, "unit": known[-1].unit or ind.unit,
                                      "last": known[-1].value})
        figures = {}
        for n, unit in enumerate(sorted(by_unit, key=lambda u: -len(by_unit[u]))):
            name = f"bench_reporter{n + 1}"
            store.add_user(name, role="reporter", unit=unit, password=PASSWORD)
            figures[name] = by_unit[unit]
        store.add_user(PLANNER, role="planner", password=PASSWORD)
        store.add_user(READER, role="reporter", unit=next(iter(by_unit)) if by_unit else "市统计局",
                       password=PASSWORD)
        rnd = store.open_round(year=year, due=f"{year + 1}-03-31", actor=PLANNER)
        return Workspace(rnd.id, year, figures)
    finally:
        store.dispose()


def login_cookie(base: str, name: str) -> str:
    """The session cookie of ``name`` after logging in through the login form (with its CSRF token)."""
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        if token is None:
            raise RuntimeError("the login page has no csrf_token field")
        done = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token[1]})
        if done.status_code != 303:
            raise RuntimeError(f"login of {name} answered {done.status_code}: {done.text[:200]}")
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def bearer(base: str, name: str) -> str:
    answer = httpx.post(base + "/api/token", data={"username": name, "password": PASSWORD}, timeout=30)
    answer.raise_for_status()
    return answer.json()["access_token"]


def write_routes(base: str) -> tuple[bool, str]:
    """Whether the server has the write routes (from its OpenAPI schema), and what is missing."""
    paths = httpx.get(base + "/api/openapi.json", timeout=30).json().get("paths", {})
    submit = "post" in paths.get("/api/submissions", {})
    approve = any(re.fullmatch(r"/api/submissions/\{[^}]+\}/approve", p) and "post" in ops for p, ops in paths.items())
    missing = [name for name, there in (("POST /api/submissions", submit),
                                        ("POST /api/submissions/{id}/approve", approve)) if not there]
    return not missing, "、".join(missing)


# ---------------------------------------------------------------- a small HTTP/1.1 client


class Connection:
    """One keep-alive HTTP/1.1 connection (GET and POST, content-length or chunked bodies).

    httpx costs the client about 3 ms of CPU a request; with 55 clients on a two-core machine the
    client would take a core from the server it measures. This costs a tenth of that.
    """

    def __init__(self, base: str, headers: dict[str, str] | None = None):
        parsed = urlsplit(base)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.headers = headers or {}
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, route: str, body: dict | None = None) -> tuple[int, bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        head = [f"{method} {quote(route, safe='/?=&%')} HTTP/1.1", f"Host: {self.host}:{self.port}",
                *(f"{k}: {v}" for k, v in self.headers.items())]
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
            raw = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
            status = int(raw.split(" ", 2)[1])
            length = re.search(r"\r\ncontent-length: *(\d+)", raw)
            if length is not None:
                return status, await reader.readexactly(int(length[1]))
            if "transfer-encoding: chunked" not in raw:
                raise ConnectionError("neither content-length nor chunked")
            chunks = []
            while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            await reader.readuntil(b"\r\n")
            return status, b"".join(chunks)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            writer.close()
            self.streams = None
            raise

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()


TRANSPORT_ERRORS = (OSError, asyncio.IncompleteReadError, ValueError)


# ---------------------------------------------------------------- clients


class Clock:
    def __init__(self, seconds: float):
        self.deadline = time.perf_counter() + seconds

    def running(self) -> bool:
        return time.perf_counter() < self.deadline


async def reader(base: str, cookie: str, routes: list[str], offset: int, results: dict[str, RouteResult],
                 clock: Clock) -> None:
    """GET the routes in turn (each reader starting at another one), back to back."""
    conn = Connection(base, {"Cookie": cookie})
    n = offset
    try:
        while clock.running():
            route = routes[n % len(routes)]
            n += 1
            start = time.perf_counter()
            try:
                status, _ = await conn.request("GET", route)
            except TRANSPORT_ERRORS:
                status = 0
            if status == 200:
                results[route].latencies.append(time.perf_counter() - start)
            else:
                results[route].errors += 1
    finally:
        conn.close()


async def reporter(base: str, token: str, name: str, figures: list[dict], year: int, queue: asyncio.Queue,
                   result: RouteResult, ledger: Ledger, clock: Clock) -> None:
    """Post the unit's figures in turn, each a value within 1 % of last year's (no plausibility doubt),
    each marked by a note unique to this write."""
    conn = Connection(base, {"Authorization": f"Bearer {token}"})
    n = 0
    try:
        while clock.running():
            fig = figures[n % len(figures)]
            note = f"{name} #{n}"
            value = round(fig["last"] * (1 + 0.001 * (n % 10)), 4)
            body = {"indicator": fig["indicator"], "region": REGION, "year": year, "value": value,
                    "unit": fig["unit"], "source": "负载测试", "note": note}
            n += 1
            start = time.perf_counter()
            try:
                status, data = await conn.request("POST", "/api/submissions", body)
            except TRANSPORT_ERRORS:
                status, data = 0, b""
            if status in (200, 201):
                result.latencies.append(time.perf_counter() - start)
                sid = int(json.loads(data)["id"])
                ledger.submits.append((sid, note))
                queue.put_nowait(sid)
            elif status == 409:
                ledger.conflicts += 1
            else:
                result.errors += 1
                result.note = f"（如 {status}: {data[:120].decode(errors='replace')}）"
    finally:
        conn.close()


async def planner(base: str, token: str, queue: asyncio.Queue, result: RouteResult, ledger: Ledger,
                  clock: Clock) -> None:
    """Approve each submitted figure as it comes (409 when its unit resubmitted it meanwhile: an answer)."""
    conn = Connection(base, {"Authorization": f"Bearer {token}"})
    try:
        while clock.running():
            try:
                sid = await asyncio.wait_for(queue.get(), timeout=0.5)
            except TimeoutError:
                continue
            start = time.perf_counter()
            try:
                status, data = await conn.request("POST", f"/api/submissions/{sid}/approve", {})
            except TRANSPORT_ERRORS:
                status, data = 0, b""
            if status == 200:
                result.latencies.append(time.perf_counter() - start)
                ledger.approvals[sid] += 1
            elif status == 409:
                ledger.conflicts += 1
            else:
                result.errors += 1
                result.note = f"（如 {status}: {data[:120].decode(errors='replace')}）"
    finally:
        conn.close()


# ---------------------------------------------------------------- checks and output


def server_cpu_seconds() -> float:
    """CPU time (user + system) used so far by this process's children: the server under load.

    On a shared machine the latencies measure the queue as much as the server; the CPU it spent per
    request does not depend on who else runs."""
    total = 0.0
    me = os.getpid()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:  # ppid
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def lost_writes(url: str, ledger: Ledger) -> tuple[int, int, list[str]]:
    """(acknowledged writes, found in the history, what is wrong) — each write exactly once."""
    from planwatch.store import open_store

    store = open_store(url)
    wrong: list[str] = []
    try:
        ids = {sid for sid, _ in ledger.submits} | set(ledger.approvals)
        events = {sid: store.submission_events(sid) for sid in ids}
        found = 0
        for sid, note in ledger.submits:
            hits = [e for e in events[sid] if e.action == "submit" and e.note == note]
            found += len(hits) == 1
            if len(hits) != 1:
                wrong.append(f"submission {sid} “{note}”: {len(hits)} submit events")
        for sid, acked in ledger.approvals.items():
            approved = sum(e.action == "approve" for e in events[sid])
            found += min(acked, approved)
            if approved != acked:
                wrong.append(f"submission {sid}: {acked} approvals acknowledged, {approved} in the history")
        return len(ledger.submits) + sum(ledger.approvals.values()), found, wrong
    finally:
        store.dispose()


def print_results(results: list[RouteResult], seconds: float) -> None:
    floor = results[0]
    print(f"  {'route':<36}{'requests':>9}{'req/s':>8}{'p50':>9}{'p95':>9}{'p99':>9}{'errors':>8}")
    for r in results:
        ms = [1000 * r.percentile(q) for q in (50, 95, 99)]
        label = r.route + ("（基准）" if r is floor else "")
        print(f"  {label:<36}{len(r.latencies):9d}{len(r.latencies) / seconds:8.1f}{ms[0]:7.1f}ms{ms[1]:7.1f}ms"
              f"{ms[2]:7.1f}ms{r.errors:8d} {r.note}")
    total = sum(len(r.latencies) for r in results)
    print(f"  all routes: {total} requests, {total / seconds:.1f} req/s, {sum(r.errors for r in results)} errors")


async def load(base: str, space: Workspace, opts, ledger: Ledger,
               writes: bool) -> tuple[list[RouteResult], float, float]:
    routes = [FLOOR, "/", "/indicators/T2-1", f"/api/findings?region={REGION}"]
    with httpx.Client(base_url=base, timeout=60) as probe:
        cookie = login_cookie(base, READER)
        page = f"/rounds/{space.round_id}"
        status = probe.get(page, headers={"Cookie": cookie}).status_code
        if status == 200:
            routes.append(page)
        else:
            print(f"  {page} answers {status} to a logged-in reporter: not loaded")
        for route in routes:  # every route answered once before it is timed
            probe.get(route, headers={"Cookie": cookie}).raise_for_status()
    results = {r: RouteResult(r, opts.seconds) for r in routes}
    submit = RouteResult("POST /api/submissions", opts.seconds)
    approve = RouteResult("POST /api/submissions/{id}/approve", opts.seconds)
    tasks = []
    clock = Clock(opts.seconds)
    tasks += [reader(base, cookie, routes, n, results, clock) for n in range(opts.readers)]
    if writes and opts.writers:
        queue: asyncio.Queue = asyncio.Queue()
        reporters = list(space.figures)[:max(1, opts.writers - 1)]
        for n in range(max(1, opts.writers - 1)):
            name = reporters[n % len(reporters)]
            tasks.append(reporter(base, bearer(base, name), name, space.figures[name], space.year, queue, submit,
                                  ledger, clock))
        if opts.writers > 1:
            tasks.append(planner(base, bearer(base, PLANNER), queue, approve, ledger, clock))
    cpu_before = server_cpu_seconds()
    started = time.perf_counter()
    clock.deadline = started + opts.seconds
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    cpu = server_cpu_seconds() - cpu_before
    out = list(results.values())
    if writes:
        out += [submit, approve]
    return out, elapsed, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--writers", type=int, default=5, help="reporters posting figures, the last a planner")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="postgresql")
    opts = parser.parse_args(argv)
    print(f"workspace load: {opts.readers} readers + {opts.writers} writers × {opts.seconds:g} s, {opts.backend}; "
          f"server: planwatch serve (uvicorn, one process); nproc {os.cpu_count()}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp_name, backend_url(opts.backend, Path(tmp_name)) as url:
        start = time.perf_counter()
        jiaxing_store(url, Path(tmp_name) / "demo")
        space = prepare(url)
        print(f"Jiaxing demo store built in {time.perf_counter() - start:.1f} s; round {space.round_id} for "
              f"{space.year}; reporters: " + "、".join(f"{k}（{len(v)} 项）" for k, v in space.figures.items()))
        ledger = Ledger()
        with server(url, None) as base:
            writes, missing = write_routes(base)
            if not writes:
                print(f"  the server has no {missing} yet: readers only, no writers")
            results, elapsed, cpu = asyncio.run(load(base, space, opts, ledger, writes))
        print_results(results, elapsed)
        answered = sum(len(r.latencies) + r.errors for r in results)
        print(f"  server CPU: {cpu:.1f} s in {elapsed:.1f} s ({cpu / elapsed:.0%} of one core), "
              f"{1000 * cpu / max(answered, 1):.1f} ms per request")
        if writes:
            acked, found, wrong = lost_writes(url, ledger)
            print(f"  writes acknowledged: {len(ledger.submits)} submissions, {sum(ledger.approvals.values())} "
                  f"approvals; 409 conflicts (answered, not written): {ledger.conflicts}")
            print(f"  lost writes: {acked - found} of {acked}" + "".join(f"\n    {w}" for w in wrong[:10]))
            if wrong:
                return 1
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
