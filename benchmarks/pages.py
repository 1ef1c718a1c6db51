"""Every key page under load, against a bare Django view measured in the same run.

    make bench-pages                  # or: .venv/bin/python benchmarks/pages.py --duration 5

Seeds the demo and the LARGE project of `dossier.py` (1,000 data elements, 500 handoffs,
1,000 exception cases, 200 reports) into a throwaway database — PostgreSQL when DATABASE_URL
points at one (database `readiness_bench_pages` on that server, dropped and created anew),
SQLite in a temporary directory otherwise — and makes `demo-lead` a lead and an owner in both.
Then it serves the app under gunicorn (3 sync workers, DEBUG off) and `bare_site.py` (a bare
Django view rendering a 20-row table, no database) side by side, logs in as `demo-lead`, and
drives each page with wrk at 20 connections. It prints req/s, p50/p95/p99 and each page's
throughput as a share of the bare view's — measured again before and after each page, on a
shared machine the load of other work drifts over a run — plus how much slower each page is
on the large project than on the demo. It exits non-zero only when a page answers with an
error. The requests carry the cookies a browser sends after signing in (session and CSRF).

Only loopback addresses are used; every process it starts is stopped when it ends.
"""

import argparse
import contextlib
import http.cookiejar
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
BENCH_DB = "readiness_bench_pages"
LEAD = "demo-lead"
PASSWORD = "readiness-demo"
DEMO_SLUG = "northwind-erp-cutover"
LARGE_SLUG = "benchmark-large"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise SystemExit(f"nothing answers on 127.0.0.1:{port}")


def database_env(tmp: Path) -> tuple[dict, str]:
    """A throwaway database: PostgreSQL beside DATABASE_URL's, or SQLite under tmp."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urllib.parse.urlsplit(url)
        server = parts._replace(path="/postgres").geturl()
        import psycopg

        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
        bench = parts._replace(path=f"/{BENCH_DB}").geturl()
        return {"DATABASE_URL": bench}, f"PostgreSQL ({parts.hostname}, database {BENCH_DB})"
    return {"DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}"}, (
        "SQLite — DATABASE_URL is not a PostgreSQL URL, so the numbers are only indicative"
    )


def app_env(tmp: Path) -> tuple[dict, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "READINESS_"))}
    db_env, db_label = database_env(tmp)
    env |= db_env | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "READINESS_VAR_DIR": str(tmp / "var"),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{HERE}",
    }
    if env.get("REDIS_URL"):
        # Its own Redis database, so the benchmark's sessions and cache stay apart.
        parts = urllib.parse.urlsplit(env["REDIS_URL"])
        env["REDIS_URL"] = parts._replace(path="/13").geturl()
    return env, db_label


def stage_seed() -> None:
    """Run in a child process with the benchmark's environment."""
    sys.path[:0] = [str(ROOT), str(HERE)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import dossier
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from readiness.projects.models import Membership, Owner, Project, Role

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    dossier.seed_large()
    lead = get_user_model().objects.get(username=LEAD)
    large = Project.objects.get(slug=LARGE_SLUG)
    Membership.objects.create(project=large, user=lead, role=Role.LEAD)
    # An owner of many handoffs and exception decisions, so "My sign-offs" has work to list.
    owner = Owner.objects.filter(project=large, user__isnull=True).order_by("pk").first()
    owner.user = lead
    owner.save(update_fields=["user"])
    call_command("collectstatic", interactive=False, verbosity=0)


def pages(slug_demo: str, slug_large: str) -> list[tuple[str, str, str]]:
    """(page, project, path) for every page measured; reversed in this process."""
    from django.urls import reverse

    from readiness.projects.models import Project
    from readiness.registers.specs import SPECS
    from readiness.reviews.checks import CHECKS

    rows = [
        ("project list", "—", reverse("projects:list")),
        ("my sign-offs", "—", reverse("reviews:my-signoffs")),
        ("portfolio", "—", reverse("dossiers:portfolio")),
    ]
    per_project = {}
    for label, slug in (("demo", slug_demo), ("large", slug_large)):
        project = Project.objects.get(slug=slug)
        handoff = project.handoffs.order_by("pk").first()
        pages = [("overview", reverse("projects:overview", args=[slug]))]
        for kind in SPECS:
            pages.append((f"register {kind}", reverse("registers:list", args=[slug, kind])))
        for check in CHECKS:
            for step in ("register", "questions", "findings", "signoff"):
                path = reverse("reviews:check", args=[slug, check.key, step])
                pages.append((f"check {check.number} {step}", path))
        args = [slug, "handoffs", handoff.pk]
        pages.append(("item sign-off", reverse("reviews:item-signoff", args=args)))
        pages.append(("item page", reverse("reviews:item", args=args)))
        pages.append(("dossier list", reverse("dossiers:list", args=[slug])))
        pages.append(("members", reverse("projects:members", args=[slug])))
        pages.append(("activity", reverse("projects:activity", args=[slug])))
        per_project[label] = pages
    # Each page on the demo, then at once on the large project: the machine's drift over the
    # run does not land between the two numbers compared.
    for (name, demo_path), (_, large_path) in zip(
        per_project["demo"], per_project["large"], strict=True
    ):
        rows += [(name, "demo", demo_path), (name, "large", large_path)]
    return rows


def login(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": LEAD, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    opener.open(request).read()
    if not any(c.name == "sessionid" for c in jar):
        raise SystemExit("could not log in as demo-lead")
    # The cookies a browser sends from then on: the session's and the CSRF cookie.
    return "; ".join(f"{c.name}={c.value}" for c in jar if c.name in ("sessionid", "csrftoken"))


def wrk(url: str, cookies: str | None, duration: float, connections: int) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "10s"]
    cmd += ["-s", str(HERE / "wrk_latency.lua")]
    if cookies:
        cmd += ["-H", f"Cookie: {cookies}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 60)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("{")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result for {url}:\n{out.stdout}\n{out.stderr}")
    result = json.loads(line)
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


def check_status(url: str, cookies: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookies})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=4, help="seconds per page")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument("--stage", choices=["seed"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage == "seed":
        stage_seed()
        return 0
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk; make bench-deps)")

    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env, db_label = app_env(tmp)
    print(f"Database: {db_label}")
    started = time.perf_counter()
    subprocess.run([PYTHON, __file__, "--stage", "seed"], env=env, check=True, cwd=ROOT)
    print(f"Seeded the demo and the large project in {time.perf_counter() - started:.0f} s")

    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path[:0] = [str(ROOT), str(HERE)]
    import django

    django.setup()
    rows = [r for r in pages(DEMO_SLUG, LARGE_SLUG) if args.only in r[0]]

    app_port, bare_port = free_port(), free_port()
    gunicorn = [PYTHON, "-m", "gunicorn", "--workers", "3", "--log-level", "warning"]
    procs = [
        subprocess.Popen(
            gunicorn + ["--bind", f"127.0.0.1:{app_port}", "config.wsgi"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        ),
        subprocess.Popen(
            gunicorn + ["--bind", f"127.0.0.1:{bare_port}", "bare_site:application"],
            env=env,
            cwd=HERE,
            start_new_session=True,
        ),
    ]
    failures = []
    try:
        wait_for(app_port)
        wait_for(bare_port)
        base = f"http://127.0.0.1:{app_port}"
        cookies = login(base)
        d, c = args.duration, args.connections
        # Every worker warms up (imports, templates, connections) before anything is measured.
        for _name, _, path in rows[:4]:
            check_status(base + path, cookies)
            wrk(base + path, cookies, 1, c)
        bare_url = f"http://127.0.0.1:{bare_port}/"
        # The bare view is measured again before each page (on the demo and the large
        # project) and after the last: each page is compared with the bare view measured
        # seconds before and after it, so the machine's drift over the run (other work on a
        # shared machine) does not land between the two numbers compared.
        bare = [wrk(bare_url, None, d, c)["rps"]]
        print(f"Bare Django view: {bare[0]:.0f} req/s")
        print(
            f"\n{'page':26} {'project':7} {'req/s':>8} {'p50':>7} {'p95':>7} {'p99':>7}"
            f" {'bare':>6} {'of bare':>8} {'large/demo':>10}"
        )
        results = {}
        groups = []
        for name, project, path in rows:
            if project != "large":
                groups.append([])
            groups[-1].append((name, project, path))
        for group in groups:
            measured = []
            for name, project, path in group:
                status = check_status(base + path, cookies)  # also warms what is kept
                measured.append((name, project, status, wrk(base + path, cookies, d, c)))
            bare.append(wrk(bare_url, None, d, c)["rps"])
            around = (bare[-2] + bare[-1]) / 2
            for name, project, status, result in measured:
                results[(name, project)] = result
                problem = ""
                if status >= 400 or result["status_errors"] or result["socket_errors"]:
                    problem = f"  ERROR: status {status}, {result['status_errors']} non-2xx/3xx"
                    failures.append(name)
                slower = ""
                if project == "large" and (name, "demo") in results:
                    demo = results[(name, "demo")]
                    slower = f"{demo['rps'] / result['rps']:.2f}×" if result["rps"] else "∞"
                print(
                    f"{name:26} {project:7} {result['rps']:8.0f} {result['p50']:7.1f}"
                    f" {result['p95']:7.1f} {result['p99']:7.1f} {around:6.0f}"
                    f" {result['rps'] / around:8.1%} {slower:>10}{problem}",
                    flush=True,
                )
        print(
            f"\nBare Django view over the run: {min(bare):.0f}–{max(bare):.0f} req/s"
            f" (first {bare[0]:.0f}, last {bare[-1]:.0f}); each share above uses the mean of the"
            " measurements just before and just after the page."
        )
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"\n{len(failures)} page(s) answered with errors: {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
