"""A full-page screenshot of every page at 1366 and 390 px wide.

    make screenshots              # or: .venv/bin/python tools/screenshots.py [--only NAME]

Seeds the demo into a throwaway SQLite database in a temporary directory (your own database is
never touched), serves the app there with DEBUG off, as in production, and walks the pages with
Debian's Chromium through the same tour the accessibility test takes (tests/e2e/tour.py): each
persona logs in, forms are sent with errors, a row is edited inline, a check is signed and then
made stale, a dossier is rendered, an import previewed. Each stop is saved as
var/screenshots/<page>-<width>.png (git-ignored); the folder is emptied first. Every process it
starts is stopped when it ends.
"""

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "screenshots"
WIDTHS = (1366, 390)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the app stopped before it answered")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise SystemExit(f"nothing answers on 127.0.0.1:{port}")


def app_env(tmp: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "READINESS_")) and k not in ("DATABASE_URL", "REDIS_URL")
    }
    return env | {
        # No REDIS_URL: Celery runs the dossier render inside the web process.
        "DATABASE_URL": f"sqlite:///{tmp / 'screenshots.sqlite3'}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "screenshots-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "READINESS_VAR_DIR": str(tmp / "var"),
    }


def manage(env: dict, *args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="save only pages whose name contains this")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: make browser-deps")
    from playwright.sync_api import sync_playwright

    from tests.e2e.tour import tour

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    tmp = Path(tempfile.mkdtemp(prefix="readiness-screenshots-"))
    server = None
    try:
        env = app_env(tmp)
        print("Seeding the demo into a throwaway SQLite database…", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--noinput")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(port, server)
        saved = 0
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": WIDTHS[0], "height": 900})
            page.set_default_timeout(30_000)
            for name in tour(page, f"http://127.0.0.1:{port}"):
                if options.only and options.only not in name:
                    continue
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=True)
                    saved += 1
                page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            browser.close()
        print(f"{saved} screenshots in {OUT.relative_to(ROOT)}/")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
