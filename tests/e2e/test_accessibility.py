"""Every page, in every state the tour reaches, passes axe-core's WCAG 2.1 A and AA rules on a
1366 px desktop and a 390 px phone."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.tour import tour

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium"),
]

WIDTHS = (1366, 390)
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options=AXE_OPTIONS).response["violations"]


def describe(violation: dict) -> list[str]:
    lines = [f"  {violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"]:
        summary = node.get("failureSummary", "").replace("\n", " ")
        lines.append(f"    {', '.join(map(str, node['target']))} — {summary}")
    return lines


def test_every_page_passes_axe_at_desktop_and_phone_width(live_server, page):
    call_command("seed_demo", stdout=StringIO())
    page.set_default_timeout(15_000)
    counts: dict[str, dict[int, int]] = {}
    report: list[str] = []
    for name in tour(page, live_server.url):
        counts[name] = {}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            violations = axe_violations(page)
            counts[name][width] = sum(len(v["nodes"]) for v in violations)
            if violations:
                report.append(f"{name} at {width} px ({page.url}):")
                report.extend(line for v in violations for line in describe(v))
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    print("\npage: violations at " + " / ".join(f"{w} px" for w in WIDTHS))
    for name, by_width in counts.items():
        print(f"{name}: " + " / ".join(str(by_width[w]) for w in WIDTHS))
    assert len(counts) > 80, f"the tour stopped early: {list(counts)}"
    assert not report, "axe found violations:\n" + "\n".join(report)
