"""Fuzz every URL pattern: walk the resolver, send each one at least 20 mutated requests
(missing fields, wrong types, huge values, NUL bytes, unknown choices, arrays, mangled query
strings) as each persona, and require that none is answered with a server error.

One demo project (seed_demo) is built once; the requests then run against it in order, so
a write that succeeds (a delete, a sign-off) changes what later requests find, as in life.
Rendering is the worker's business: the render task is not sent, so no PDF is made here.
"""

import itertools
import re
import time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from readiness.dossiers import jobs, services
from readiness.projects.models import Membership, Project, Role
from readiness.registers.specs import SPECS
from readiness.reviews import services as review_services
from readiness.reviews.checks import CHECKS, get_check
from readiness.reviews.models import SignOff
from tests.factories import UserFactory, make_item

pytestmark = pytest.mark.django_db

PERSONAS = ["demo-lead", "demo-contributor", "demo-owner", "demo-viewer", "demo-outsider"]
KINDS = list(SPECS)
STEPS = ["register", "questions", "findings", "signoff", "nope"]
NUL = "a\x00b\x01c"
HUGE = "x" * 20_000  # per field: a form of ~40 fields is ~1 MB
BIG_INT = "9" * 30
# The admin's pages all send these (non-staff) personas to the admin's log-in, the same for
# every one of them: there each mutation goes as one persona in turn, every persona 4 times.
ADMIN_PREFIX = "admin/"


def walk(patterns, prefix=""):
    """Every URL pattern as (route, name), the route with its includes' prefixes."""
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name


class Fixture:
    """The seeded project and the ids a URL's parameters are filled with."""

    def __init__(self):
        call_command("seed_demo", stdout=StringIO())
        self.project = Project.objects.get(slug="northwind-erp-cutover")
        lead = Membership.objects.get(project=self.project, role=Role.LEAD).user
        self.extra = Membership.objects.create(
            project=self.project, user=UserFactory(username="fuzz-extra"), role=Role.VIEWER
        )
        self.items = {
            kind: list(SPECS[kind].model.objects.filter(project=self.project)[:3]) for kind in KINDS
        }
        # Throwaway items the delete pattern may really delete.
        self.doomed = {kind: make_item(kind, self.project) for kind in KINDS}
        check = get_check("data")
        self.risk = review_services.risk_add(
            project=self.project,
            check=check,
            title="Fuzz risk",
            detail="",
            severity="high",
            user=lead,
        )
        self.signoff = SignOff.objects.filter(project=self.project).first()
        self.dossier = services.dossier_request(project=self.project, user=lead)
        services.dossier_mark_failed(dossier_id=self.dossier.pk, error="for Retry")

    def value(self, param: str, name: str, i: int):
        kind_list = ["handoffs", "exceptions"] if name == "item-signoff" else KINDS
        kind = kind_list[i % len(kind_list)]
        if param == "slug":
            return self.project.slug
        if param == "kind":
            return kind
        if param == "key":
            return CHECKS[i % len(CHECKS)].key
        if param == "step":
            return STEPS[i % len(STEPS)]
        if param == "question":
            return CHECKS[i % len(CHECKS)].questions[0].key
        if param == "pk":
            if i % 11 == 10:
                return BIG_INT  # no such row, and larger than any id column
            return str(self.pk_for(name, kind, i))
        if param in {"uidb64", "token"}:
            return "Mw" if param == "uidb64" else "set-password"
        if param in {"object_id", "content_type_id", "id"}:
            return "1"
        if param == "app_label":
            return "projects"
        if param == "url":
            return "no-such-page/"
        raise AssertionError(f"no value for URL parameter {param!r} of {name}")

    def pk_for(self, name: str, kind: str, i: int) -> int:
        if name == "item-delete":
            return self.doomed[kind].pk
        if name in {"member-role", "member-remove"}:
            return self.extra.pk
        if name == "risk-delete":
            return self.risk.pk
        if name == "signoff-revoke":
            return self.signoff.pk
        if name in {"status", "retry", "download"}:
            return self.dossier.pk
        if name == "acceptance-withdraw":
            return (self.project.acceptances.values_list("pk", flat=True).first()) or 1
        items = self.items[kind] or [self.doomed[kind]]
        return items[i % len(items)].pk

    def form(self, name: str, kind: str, key: str, pk: str) -> dict:
        """A plausible, mostly valid form for any page: the fields every form here reads."""
        question = get_check(key).questions[0].key if key in {c.key for c in CHECKS} else "q"
        data = {
            "name": "Fuzzed",
            "summary": "Fuzzing.",
            "desired_outcome": "Nothing breaks.",
            "plan_lock_date": "2031-01-01",
            "go_live_date": "2031-03-01",
            "lifecycle": "draft",
            "statement": "I agree.",
            "seen_hash": "0" * 64,
            "seen_seq": "0",
            "reason": "Because the content changed.",
            "rationale": "Accepted for the fuzz test, with a sentence.",
            "finding_key": "data|rule:x",
            "owner": "1",
            "role": "viewer",
            "user": "demo-viewer",
            "username": "demo-viewer",
            "password": "wrong-password",
            "old_password": "wrong",
            "new_password1": "x",
            "new_password2": "y",
            "email": "nobody@example.com",
            "risk-title": "A risk",
            "risk-severity": "high",
            "risk-detail": "",
            "confirm_stale": "1",
            "also": "Nothing",
            f"{question}-answer": "yes",
            f"{question}-note": "A note.",
            f"{question}-opened_version": "0",
        }
        if kind in SPECS:
            prefix = "item-new" if name == "item-create" else f"item-{pk}"
            form = SPECS[kind].form_class(project=self.project, prefix=prefix)
            for field_name, field in form.fields.items():
                choices = [c[0] for c in getattr(field, "choices", []) if c[0] not in ("", None)]
                value = choices[0] if choices else "Fuzzed value"
                data[f"{prefix}-{field_name}"] = str(getattr(value, "value", value))
            data[f"{prefix}-opened_version"] = "1"
        return data


def _map(data: dict, fn) -> dict:
    return {k: fn(v) for k, v in data.items()}


# (label, method, query string, data maker, headers). Each one is a mutation of a request.
MUTATIONS = [
    ("plain get", "get", "", None, {}),
    ("empty post", "post", "", lambda d: {}, {}),
    ("valid-ish post", "post", "", lambda d: d, {}),
    ("missing first half", "post", "", lambda d: dict(list(d.items())[len(d) // 2 :]), {}),
    ("blank values", "post", "", lambda d: _map(d, lambda v: ""), {}),
    ("wrong types", "post", "", lambda d: _map(d, lambda v: "not-a-number"), {}),
    ("huge values", "post", "", lambda d: _map(d, lambda v: HUGE), {}),
    ("nul bytes", "post", "", lambda d: _map(d, lambda v: NUL), {}),
    ("unknown choices", "post", "", lambda d: _map(d, lambda v: "--maybe--"), {}),
    ("arrays", "post", "", lambda d: _map(d, lambda v: [v, "other", ""]), {}),
    ("overflowing numbers", "post", "", lambda d: _map(d, lambda v: BIG_INT), {}),
    ("negative numbers", "post", "", lambda d: _map(d, lambda v: "-1"), {}),
    ("odd unicode", "post", "", lambda d: _map(d, lambda v: "² \u202e 🧨 \ufeff"), {}),
    ("nul in query", "get", "q=%00&sort=%00&page=%00", None, {}),
    ("bad sort and page", "get", "sort=--name&page=abc&stale_page=-1", None, {}),
    ("page past the end", "get", f"page={BIG_INT}&stale_page=99999", None, {}),
    ("query arrays", "get", "q=a&q=b&page=1&page=2&register=data&register=x", None, {}),
    ("huge query", "get", "q=" + "y" * 20_000, None, {}),
    ("odd filters", "get", "person=%C2%B2&item=-1&from=2024-13-45&to=0000-00-00", None, {}),
    ("htmx get", "get", "page=2", None, {"HX-Request": "true", "HX-Target": "%00"}),
    ("htmx post with nul", "post", "", lambda d: _map(d, lambda v: NUL), {"HX-Request": "true"}),
    ("post with query", "post", "next=%00&page=-5", lambda d: d, {}),
    ("json body", "json", "", lambda d: d, {}),
]


def _url(route: str, name: str, fixture: Fixture, i: int) -> tuple[str, dict]:
    params: dict = {}

    def fill(match):
        param = match.group("name")
        params[param] = fixture.value(param, name or "", i)
        return params[param]

    url = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", fill, route)
    url = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", fill, url)
    return "/" + url.replace("^", "").replace("$", ""), params


def test_fuzz_every_url_pattern(monkeypatch):
    monkeypatch.setattr(jobs, "_send_render", lambda dossier_id: None)
    started = time.monotonic()
    fixture = Fixture()
    users = {u: get_user_model().objects.get(username=u) for u in PERSONAS}
    clients = {}
    for username, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[username] = client

    patterns = list(walk(get_resolver().url_patterns))
    covered: dict[str, int] = {}
    sent, server_errors = 0, []
    rotation = itertools.cycle(PERSONAS)
    for route, name in patterns:
        is_admin = route.startswith(ADMIN_PREFIX)
        for i, (label, method, query, make, headers) in enumerate(MUTATIONS):
            url, params = _url(route, name, fixture, i)
            personas = [next(rotation)] if is_admin else PERSONAS
            data = None
            if make is not None:
                base = fixture.form(
                    name or "", params.get("kind", ""), params.get("key", ""), params.get("pk", "")
                )
                data = make(base)
            target = f"{url}?{query}" if query else url
            for persona in personas:
                client = clients[persona]
                if method == "get":
                    response = client.get(target, headers=headers)
                elif method == "json":
                    response = client.post(
                        target, data, content_type="application/json", headers=headers
                    )
                else:
                    response = client.post(target, data, headers=headers)
                sent += 1
                if response.status_code >= 500:
                    server_errors.append((route, label, persona, response.status_code))
                if name in {"logout", "password_change"}:
                    client.force_login(users[persona])  # stay who we were
            covered[route] = covered.get(route, 0) + 1

    elapsed = time.monotonic() - started
    print(
        f"\nfuzz: {len(covered)} URL patterns, {sent} requests, "
        f"{len(server_errors)} responses >= 500, {elapsed:.0f} s"
    )
    assert set(covered) == {route for route, _ in patterns}, "every URL pattern is fuzzed"
    assert min(covered.values()) >= 20
    assert server_errors == []
    # About 80 s on a busy two-core machine; the bound catches a fuzz that grew, not noise.
    assert elapsed < 240
