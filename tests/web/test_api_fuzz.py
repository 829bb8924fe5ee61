"""Schemathesis over /api/openapi.json, in-process (ASGI): every JSON route, read and write, fed data the
schema allows and data it does not, anonymously (public mode on) and with a planner's bearer token.

No answer is a 5xx (nor an exception escaping the app), and every answer's content type and body conform
to what the schema declares for its status. (Whether every status answered is declared at all is checked
route by route in test_access_matrix.py.) Examples are bounded per operation to keep the run short.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from planwatch.store import Store
from planwatch.web import WebSettings, create_app

from .conftest import fill_store

PASSWORD = "fuzzing password 2025"
# Each token request verifies a password (argon2, ~50 ms by design): a few examples say enough there.
FEW = {"POST /api/token": 3}
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
EXAMPLES = settings(max_examples=12, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture])


def workspace(store: Store) -> Store:
    """The sample plan in public mode, an open round with one submitted figure, a planner and a reporter."""
    fill_store(store, public=True)
    store.add_user("planner1", role="planner", password=PASSWORD)
    store.add_user("tj1", role="reporter", unit="统计局", password=PASSWORD)
    store.assign("T2-1", "统计局")
    rnd = store.open_round(year=2024, due="2025-03-31", actor="planner1")
    from planwatch.store.rounds import Entry

    store.enter_figures(rnd.id, [Entry(indicator="T2-1", region="嘉兴市", responsible_unit="统计局", value=7569.53,
                                       unit="亿元", source="统计公报")], actor="tj1", submit=True)
    return store


@pytest.fixture
def fuzz_app(empty_store):
    return create_app(WebSettings(db=empty_store.url), store=workspace(empty_store))


@pytest.fixture
def planner_headers(fuzz_app) -> dict[str, str]:
    answer = TestClient(fuzz_app).post("/api/token", data={"username": "planner1", "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_the_schema_lists_the_workspace_routes(fuzz_app):
    paths = TestClient(fuzz_app).get("/api/openapi.json").json()["paths"]
    # the read twins and the token are there from before; the write routes of issue 9 must be listed too
    for path in ("/api/findings", "/api/token", "/api/me", "/api/submissions", "/api/submissions/{submission_id}/approve",
                 "/api/submissions/{submission_id}/return"):
        assert path in paths or any(p.replace("{id}", "{submission_id}") == path for p in paths), path


def fuzz(app, mode: GenerationMode, headers: dict[str, str] | None = None, *, checks=CHECKS,
         examples: settings = EXAMPLES) -> list[str]:
    """Every operation of the schema fuzzed in ``mode``; what failed, one line per operation.

    (The schemathesis pytest plugin's lazy fixture loader does not run under pytest 9, so each operation's
    strategy is driven by Hypothesis here.) An operation without anything to make invalid has no negative
    case: Hypothesis says so (Unsatisfiable) and that is no failure."""
    failures: list[str] = []
    loaded = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    for result in loaded.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(examples, max_examples=min(examples.max_examples, FEW.get(operation.label, 1000)))
        def run(case) -> None:
            case.call_and_validate(headers=headers, checks=checks)

        try:
            run()
        except Unsatisfiable:
            assert mode == GenerationMode.NEGATIVE, f"{operation.label}: no positive case could be made"
        except (Exception, BaseExceptionGroup) as exc:  # every operation is fuzzed; failures listed together
            failures.append(f"{operation.label}: {str(exc).strip()[:1500]}")
    return failures


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_anonymous_in_public_mode_gets_no_5xx_and_conforming_bodies(fuzz_app, mode):
    failures = fuzz(fuzz_app, mode)
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_planner_with_a_bearer_token_gets_no_5xx_and_conforming_bodies(fuzz_app, planner_headers, mode):
    failures = fuzz(fuzz_app, mode, planner_headers)
    assert not failures, "\n\n".join(failures)
