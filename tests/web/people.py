"""Accounts for the web tests: one of each role over the sample store, and logging a TestClient in.

Hashing a password costs ~50 ms (argon2id) or far more on a loaded machine: the modules importing
:func:`cheap_hashing` hash with argon2id's smallest parameters."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from planwatch.store import Store
from planwatch.store import accounts as accounts_db
from planwatch.web import WebSettings, create_app

PASSWORD = "correct horse 1"
# name → (role, unit)
PEOPLE = {"admin1": ("admin", None), "planner1": ("planner", None), "stats": ("reporter", "市统计局"),
          "reader": ("viewer", None)}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """argon2id with the smallest parameters: the same code path (hash, verify, rehash check), at a
    fraction of a millisecond instead of ~50 ms-1 s per hash on a busy machine. Imported by the test
    modules that log in; the real parameters are exercised by tests/store and test_login's hash check."""
    monkeypatch.setattr(accounts_db, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def add_people(store: Store, *names: str) -> Store:
    """Create the named accounts (all four roles when none are named)."""
    for name in names or tuple(PEOPLE):
        role, unit = PEOPLE[name]
        store.add_user(name, role=role, unit=unit, password=PASSWORD)
    return store


def app_client(store: Store, **settings) -> TestClient:
    """A client of a fresh app over ``store`` (its own cookie jar); cache_seconds 0 sees every write."""
    options = {"db": store.url, "cache_seconds": 0, **settings}
    return TestClient(create_app(WebSettings(**options), store=store), base_url="http://testserver")


def csrf_of(client: TestClient) -> str:
    """The session's CSRF token, as every form of the site carries it."""
    match = CSRF.search(client.get("/login").text)
    assert match, "the login page carries the CSRF token"
    return match.group(1)


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log the client in through the form; returns the new session's CSRF token."""
    r = client.post("/login", data={"username": name, "password": password, "csrf_token": csrf_of(client)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return csrf_of(client)
