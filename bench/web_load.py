"""Load the dashboard: concurrent clients against its pages, with a static file as the floor.

For each backend (SQLite, PostgreSQL) the Jiaxing demo store is built (``run_demo``), ``planwatch
serve`` is started in a subprocess (uvicorn, one process, as a user runs it) and, route by route,
``--clients`` clients send requests back to back for ``--seconds``: req/s, p50/p95/p99 latency and
errors per route, and the ratio of each to the floor route (``/static/style.css``) of the same run.

``--import-rows N`` adds a phase: the dashboard loaded while another process writes N rows into the
same store in one transaction (as ``planwatch import`` does). ``--national R`` adds a synthetic
national-scale store (R regions × 40 indicators × 11 years, bench/synthetic.py).

Usage: .venv/bin/python bench/web_load.py [--clients 20] [--seconds 30] [--backends sqlite,postgresql]
       [--import-rows 500000] [--national 3000] [--server-src DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import ROOT, build_synthetic_store, pg_database, synthetic_records

FLOOR = "/static/style.css"
JIAXING_ROUTES = [FLOOR, "/", "/indicators/T2-1", "/api/findings?region=嘉兴市"]
NATIONAL_ROUTES = [FLOOR, "/", "/indicators/T2-1", f"/api/findings?region={ROOT}"]
PLANWATCH = Path(sys.executable).parent / "planwatch"


@dataclass
class RouteResult:
    """What the clients saw of one route."""

    route: str
    seconds: float
    latencies: list[float] = field(default_factory=list)  # of successful requests, in seconds
    errors: int = 0
    note: str = ""

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1)]


# ---------------------------------------------------------------- stores


def jiaxing_store(url: str, out_dir: Path) -> None:
    """The demo's store: the Jiaxing plan, its regions and real data (reports as xlsx only, to save time)."""
    from planwatch.demo import run_demo

    run_demo(out_dir, url, formats=("xlsx",))


def national_store(url: str, regions: int) -> None:
    """A synthetic national-scale store (regions × 40 indicators × 11 years), in public mode as the demo's
    (the clients do not log in: without it every page answered a redirect to /login)."""
    store = build_synthetic_store(url, regions=regions)
    store.change_settings({"public": True})
    store.dispose()


@contextmanager
def backend_url(backend: str, tmp: Path) -> Iterator[str]:
    """An empty database of ``backend``: a SQLite file, or a scratch PostgreSQL database dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / f'load-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"pw_load_{uuid.uuid4().hex[:10]}"
    url = pg_database(name, create=True)
    try:
        yield url
    finally:
        pg_database(name, create=False)


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(url: str, server_src: Path | None) -> Iterator[str]:
    """``planwatch serve`` on a free port; its base URL once it answers. Stopped (by its pid) afterwards."""
    port = free_port()
    env = dict(os.environ)
    if server_src is not None:  # another source tree first: the same bench against other code
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(server_src), env.get("PYTHONPATH")]))
    proc = subprocess.Popen([str(PLANWATCH), "serve", "--db", url, "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_until_up(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"planwatch serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(base + FLOOR, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("planwatch serve did not answer within 60 s")


# ---------------------------------------------------------------- load


class Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough of the protocol for GET.

    httpx costs the client about 3 ms of CPU a request; on a two-core machine the client then takes
    a core from the server it measures. This costs a tenth of that.
    """

    def __init__(self, base: str):
        parsed = urlsplit(base)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, route: str) -> int:
        """The status of GET ``route`` (the body read and dropped); reconnects after an error."""
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        try:
            writer.write(f"GET {quote(route, safe='/?=&')} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
            status = int(head.split(" ", 2)[1])
            length = re.search(r"\r\ncontent-length: *(\d+)", head)
            if length is None:
                raise ConnectionError("no content-length")
            await reader.readexactly(int(length[1]))
            return status
        except (OSError, asyncio.IncompleteReadError, ValueError):
            writer.close()
            self.streams = None
            raise

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()


async def one_client(base: str, route: str, bucket: Callable[[], RouteResult | None]) -> None:
    """Requests of ``route`` back to back; each counted in ``bucket()`` as it starts, until that is None."""
    connection = Connection(base)
    try:
        while (result := bucket()) is not None:
            start = time.perf_counter()
            try:
                ok = await connection.get(route) == 200
            except (OSError, asyncio.IncompleteReadError, ValueError):
                ok = False
            if ok:
                result.latencies.append(time.perf_counter() - start)
            else:
                result.errors += 1
    finally:
        connection.close()


async def load_route(base: str, route: str, clients: int, seconds: float) -> RouteResult:
    """``clients`` clients sending GET ``route`` back to back (keep-alive) for ``seconds``."""
    result = RouteResult(route, seconds)
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(one_client(base, route, lambda: result if time.perf_counter() < deadline else None)
                           for _ in range(clients)))
    result.seconds = time.perf_counter() - started
    return result


def first_response(base: str, route: str) -> float:
    """Seconds to answer ``route`` on a fresh server (inputs read and judged for the first time)."""
    start = time.perf_counter()
    httpx.get(base + route, timeout=300).raise_for_status()
    return time.perf_counter() - start


def print_results(results: list[RouteResult]) -> None:
    floor = results[0]
    print(f"  {'route':<34}{'req/s':>8}{'p50':>9}{'p95':>9}{'p99':>9}{'errors':>8}   vs floor: req/s  p95")
    for r in results:
        ms = [1000 * r.percentile(q) for q in (50, 95, 99)]
        ratio = "" if r is floor else f"{r.rate / floor.rate:9.2f}× {r.percentile(95) / floor.percentile(95):5.1f}×"
        label = r.route + ("（基准）" if r is floor else r.note)
        print(f"  {label:<34}{r.rate:8.1f}{ms[0]:7.1f}ms{ms[1]:7.1f}ms{ms[2]:7.1f}ms{r.errors:8d}   {ratio}")


# ---------------------------------------------------------------- a write under load


IMPORT_WORKER = "--write-rows"


def write_rows(url: str, rows: int) -> None:
    """(In a subprocess) ``rows`` observations for new regions, in one transaction, as an import writes them."""
    from planwatch.store import open_store

    store = open_store(url)
    plan = store.plan()
    years = list(range(2001, 2026))
    regions = [f"负载县{n:04d}" for n in range(1, math.ceil(rows / (len(plan.indicators) * len(years))) + 1)]
    store.add_regions([(name, None, "county") for name in regions])
    with store.begin() as conn:
        print("writing", flush=True)
        written = 0
        for batch in synthetic_records(plan, regions, years, seed=1):
            batch = batch[:rows - written]
            store.write_observations(conn, batch, file_name="load.csv", sha256=uuid.uuid4().hex)
            written += len(batch)
            if written >= rows:
                break
    store.dispose()


async def load_during_write(base: str, url: str, route: str, clients: int, rows: int,
                            after: float) -> tuple[RouteResult, RouteResult]:
    """``route`` loaded while another process writes ``rows`` rows, and for ``after`` seconds more (the
    dashboard then re-reads the grown store)."""
    writer = subprocess.Popen([sys.executable, __file__, IMPORT_WORKER, url, str(rows)], stdout=subprocess.PIPE)
    assert writer.stdout is not None
    writer.stdout.readline()  # "writing": the write transaction is open
    during, following = RouteResult(route, 0.0, note="（写入中）"), RouteResult(route, after, note="（写入后）")
    started, ended = time.perf_counter(), math.inf

    def bucket() -> RouteResult | None:
        nonlocal ended
        if writer.poll() is None:
            return during
        ended = min(ended, time.perf_counter())
        return following if time.perf_counter() < ended + after else None

    await asyncio.gather(*(one_client(base, route, bucket) for _ in range(clients)))
    during.seconds = ended - started
    if writer.wait() != 0:
        raise RuntimeError("the writer failed")
    return during, following


# ---------------------------------------------------------------- main


def run_store(label: str, url: str, routes: list[str], opts) -> None:
    print(f"\n[{label}]")
    with server(url, opts.server_src) as base:
        print(f"  first response of {routes[1]}: {first_response(base, routes[1]):.2f} s (inputs read and judged)")
        for route in routes:  # every route answered once before it is timed
            first_response(base, route)
        results = [asyncio.run(load_route(base, route, opts.clients, opts.seconds)) for route in routes]
        print_results(results)
        if opts.import_rows and routes is JIAXING_ROUTES:
            during, following = asyncio.run(load_during_write(base, url, "/", opts.clients, opts.import_rows,
                                                              opts.seconds))
            print(f"  while another process writes {opts.import_rows:,} rows in one transaction ({during.seconds:.1f} s), "
                  f"then the {opts.seconds:g} s after it (inputs re-read):")
            print_results([results[0], during, following])


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) == 4 and sys.argv[1] == IMPORT_WORKER:
        write_rows(sys.argv[2], int(sys.argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0, help="per route")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--import-rows", type=int, default=0, help="also load / while this many rows are written")
    parser.add_argument("--national", type=int, default=0, help="also a synthetic store of this many regions")
    parser.add_argument("--server-src", type=Path, default=None, help="run the server from this source tree")
    opts = parser.parse_args(argv)
    print(f"web load: {opts.clients} clients × {opts.seconds:g} s per route; server: planwatch serve "
          f"(uvicorn, one process){f', from {opts.server_src}' if opts.server_src else ''}; nproc {os.cpu_count()}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for backend in opts.backends.split(","):
            with backend_url(backend, tmp) as url:
                start = time.perf_counter()
                jiaxing_store(url, tmp / f"demo-{backend}")
                print(f"\n{backend}: Jiaxing demo store built in {time.perf_counter() - start:.1f} s")
                run_store(f"{backend} · 嘉兴 demo", url, JIAXING_ROUTES, opts)
            if opts.national:
                with backend_url(backend, tmp) as url:
                    start = time.perf_counter()
                    national_store(url, opts.national)
                    print(f"\n{backend}: national store ({opts.national} regions × 40 indicators × 11 years) built "
                          f"in {time.perf_counter() - start:.1f} s")
                    run_store(f"{backend} · national {opts.national} regions", url, NATIONAL_ROUTES, opts)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
