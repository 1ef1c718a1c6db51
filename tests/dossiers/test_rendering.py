"""The dossier's HTML and PDF, and the URL fetcher that keeps WeasyPrint to our own files."""

import re
import urllib.request

import pytest
from django.contrib.staticfiles import finders

from readiness.dossiers.rendering import (
    StaticOnlyFetcher,
    URLRefused,
    dossier_stylesheet,
    readiness_chart,
    render_html,
    render_pdf,
)
from readiness.dossiers.snapshot import build_snapshot, snapshot_hash
from readiness.registers.models import Handoff
from tests.dossiers.support import pdf_pages_text, pdf_reader, pdf_text
from tests.factories import DataElementFactory

# A 1×1 PNG: if any of these URLs were fetched, the PDF would contain an image.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5d7c6b90000000049454e44ae426082"
)


# --- the fetcher --------------------------------------------------------------------------


def test_it_serves_our_static_files():
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch("static:img/favicon.svg")
    with open(finders.find("img/favicon.svg"), "rb") as f:
        assert response.read() == f.read()
    assert response.content_type == "image/svg+xml"
    assert fetcher.served == ["static:img/favicon.svg"] and fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/evil.css",
        "https://evil.example/tracker.png",
        "ftp://evil.example/file.png",
        "data:text/plain;base64,aGVsbG8=",
        "/etc/passwd",
        "static:../config/settings.py",
        "static:img/../../config/settings.py",
        "static:%2e%2e/%2e%2e/config/settings.py",
        "static:/etc/passwd",
        "static:",
        "static:img/does-not-exist.png",
        "STATIC:img/favicon.svg",
    ],
)
def test_it_refuses_everything_else(url):
    fetcher = StaticOnlyFetcher()
    with pytest.raises(URLRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert fetcher.served == []


@pytest.fixture
def no_network(monkeypatch):
    """Fail loudly if anything reaches urllib, the only way WeasyPrint's fetcher gets out."""
    opened = []

    def forbidden(self, url, *args, **kwargs):
        opened.append(getattr(url, "full_url", url))
        raise AssertionError(f"tried to open {url}")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", forbidden)
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: forbidden(None, *a, **k))
    return opened


def test_raw_html_cannot_make_it_fetch_files_or_servers(tmp_path, no_network):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    file_url = secret.as_uri()
    html = f"""<html><head>
      <link rel="stylesheet" href="http://127.0.0.1:9/evil.css">
      <style>
        @import url("https://evil.example/import.css");
        @font-face {{ font-family: Evil; src: url("{file_url}"); }}
        body {{ background: url("ftp://evil.example/bg.png"); font-family: Evil; }}
        p {{ list-style-image: url("{file_url}"); }}
      </style></head><body>
      <p>Hello</p>
      <img src="{file_url}"> <img src="file:///etc/passwd">
      <img src="data:image/png;base64,iVBORw0KGgo=">
      <object data="{file_url}" type="image/png"></object>
      <svg width="20" height="20"><image href="{file_url}" width="20" height="20"/></svg>
      <img src="static:img/favicon.svg">
    </body></html>"""
    fetcher = StaticOnlyFetcher()
    pdf = render_pdf(html, url_fetcher=fetcher)

    assert no_network == []
    assert fetcher.served == ["static:img/favicon.svg"]
    for url in (
        "http://127.0.0.1:9/evil.css",
        "https://evil.example/import.css",
        "ftp://evil.example/bg.png",
        file_url,
        "file:///etc/passwd",
    ):
        assert url in fetcher.refused, url
    assert any(u.startswith("data:") for u in fetcher.refused)
    # Nothing from disk made it into the PDF: no raster image at all.
    assert b"/Subtype /Image" not in pdf and b"/Subtype/Image" not in pdf
    assert "Hello" in pdf_text(pdf)


# --- the HTML -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_text_is_escaped(project, filled):
    project.name = '<img src="file:///etc/passwd"> Evil'
    project.summary = "<style>body { background: url(http://evil.example/) }</style>"
    project.save()
    DataElementFactory(project=project, name='<link rel="stylesheet" href="https://evil.example">')
    html = render_html(build_snapshot(project), None)
    assert '<img src="file:' not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt; Evil" in html
    assert "<style>body" not in html
    assert '<link rel="stylesheet" href="https://evil' not in html

    fetcher = StaticOnlyFetcher()
    render_pdf(html, url_fetcher=fetcher)
    assert fetcher.refused == []
    assert fetcher.served == ["static:img/favicon.svg"]


@pytest.mark.django_db
def test_html_has_every_part_of_the_dossier(project, filled):
    snapshot = build_snapshot(project)
    snapshot["dossier"] = {"number": 4, "requested_by": "Lena Lead"}
    html = render_html(snapshot, None)
    for anchor in (
        "summary",
        "check-data",
        "check-handoffs",
        "check-exceptions",
        "check-reporting",
        "check-ownership",
        "changes",
        "project",
        "history",
    ):
        assert f'id="{anchor}"' in html
        assert f'href="#{anchor}"' in html
    assert "Readiness dossier v4" in html
    assert snapshot_hash(snapshot) in html
    assert "<svg" in html and "Questions answered" in html
    assert "This is the first dossier" in html
    assert "Finance reconciles by hand for the first month; accepted." in html
    assert "Reports are ready." in html
    assert "STALE" not in html


@pytest.mark.django_db
def test_stale_signoffs_are_marked(project, filled):
    Handoff.objects.filter(pk=filled["handoff"].pk).update(trigger="Order released")
    report = filled["customer"].reports.get()
    report.owner = None
    report.save()
    html = render_html(build_snapshot(project), None)
    assert "STALE — the content changed after it was signed" in html
    assert "STALE, signed" in html  # the handoff's row


@pytest.mark.django_db
def test_a_stale_handoff_signoff_is_in_the_executive_summary(project, filled):
    html = render_html(build_snapshot(project), None)
    assert "Stale sign-offs" not in html and "stale sign-off" not in html

    handoff = filled["handoff"]
    handoff.trigger = "Order released"
    handoff.save()
    pages = pdf_pages_text(render_pdf(render_html(build_snapshot(project), None)))

    assert "1 stale sign-off of handoffs or exception decisions" in pages[0]  # the cover
    summary = " ".join(p for p in pages if "Executive summary Page" in p)  # by the footer
    assert "1 sign-off of handoffs or exception decisions is stale" in summary
    assert "Stale sign-offs (1)" in summary
    assert re.search(
        r"Handoff · Order to warehouse — signed by Dana Steward on \d+ \w+ \d{4}, changed since",
        summary,
    )


@pytest.mark.django_db
def test_history_names_each_subject_once(project, filled):
    html = render_html(build_snapshot(project), None)
    history = html[html.index('id="history"') :]
    assert "Check 4 · Reporting</td>" in history
    assert "Handoff · Order to warehouse</td>" in history
    assert "· Check" not in history


@pytest.mark.django_db
def test_findings_list_items_only_when_the_message_does_not_name_them(project, filled):
    snapshot = build_snapshot(project)
    findings = snapshot["checks"][0]["findings"]
    assert findings and all(f["items"] for f in findings)  # rule findings name their items
    findings.append(
        {
            "key": "manual|1",
            "rule": "",
            "manual": True,
            "severity": "low",
            "title": "Cutover weekend",
            "message": "The vendor may not staff the cutover weekend.",
            "items": ["Order to warehouse", "Order 0"],
            "accepted": None,
        }
    )
    html = render_html(snapshot, None)
    assert html.count("Items: ") == 1
    assert "Items: Order to warehouse, Order 0." in html


def _rule_finding(item, severity="high", **extra):
    return {
        "key": f"same_rule|{item}",
        "rule": "same_rule",
        "manual": False,
        "severity": severity,
        "title": "Interface not tested",
        "message": f"The interface of the handoff “{item}” is not built yet.",
        "items": [item],
        "accepted": None,
        "proposed": None,
        **extra,
    }


@pytest.mark.django_db
def test_findings_that_differ_only_in_their_items_share_one_row(project, filled):
    snapshot = build_snapshot(project)
    accepted = {
        "by": "Dana Steward",
        "approved_by": "Eve Exec",
        "approver_role": "",
        "at": "2026-01-05T10:00:00+00:00",
        "expires_on": "2026-03-01",
        "rationale": "The vendor builds it in sprint 9.",
    }
    snapshot["checks"][1]["findings"] = [
        _rule_finding("Order to warehouse"),
        _rule_finding("Order to billing"),
        _rule_finding("Invoice to ledger", severity="medium"),
        _rule_finding("Order to billing 2"),
        _rule_finding("Credit to approval", accepted=accepted),
    ]
    html = render_html(snapshot, None)
    section = html[html.index('id="check-handoffs"') : html.index('id="check-exceptions"')]

    assert "Findings (5)" in section  # still counts every finding
    # The first is printed in full, the others with the same severity are named after it.
    assert section.count("The interface of the handoff") == 3
    assert "The interface of the handoff “Order to warehouse” is not built yet." in section
    assert "The same for 2 more: Order to billing, Order to billing 2." in section
    # A different severity, and a finding accepted as a risk, keep their own rows.
    assert "The interface of the handoff “Invoice to ledger” is not built yet." in section
    assert "The interface of the handoff “Credit to approval” is not built yet." in section
    assert "The vendor builds it in sprint 9." in section


@pytest.mark.django_db
def test_a_finding_shares_a_row_only_when_its_message_is_rebuilt_exactly(project, filled):
    snapshot = build_snapshot(project)
    first = _rule_finding("Item 05")
    # Names the item only inside a longer name: not the same sentence about another item.
    longer = {**_rule_finding("Item 06"), "message": "The interface of “Item 0568” is not built."}
    # Names an owner as well: listed with the item it belongs to.
    steward = {
        **_rule_finding("Customer"),
        "title": "Steward outside the business",
        "message": "“Customer” is stewarded by a vendor (Acme), not the business.",
        "items": ["Customer", "Acme"],
    }
    other = {
        **steward,
        "message": "“Supplier” is stewarded by a vendor (Beta Ltd), not the business.",
        "items": ["Supplier", "Beta Ltd"],
    }
    snapshot["checks"][1]["findings"] = [first, longer, steward, other]
    html = render_html(snapshot, None)

    assert "The interface of “Item 0568” is not built." in html
    assert "“Customer” is stewarded by a vendor (Acme), not the business." in html
    assert "The same for 1 more: Supplier (Beta Ltd)." in html
    assert html.count("The same for") == 1


def test_the_stylesheet_is_parsed_once_per_thread():
    assert dossier_stylesheet() is dossier_stylesheet()


def test_chart_escapes_titles_and_scales_bars():
    checks = [
        {
            "number": 1,
            "title": "<script>alert(1)</script>",
            "questions": [{"answer": "yes"}, {"answer": None}],
            "findings": [
                {"severity": "blocker", "accepted": None},
                {"severity": "low", "accepted": None},
                {"severity": "high", "accepted": {"by": "x"}},
            ],
        }
    ]
    svg = str(readiness_chart(checks))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert ">50%<" in svg
    assert len(re.findall(r'fill="#7a1a12"', svg)) == 2  # blocker bar + legend
    assert 'fill="#c2410c"' in svg  # the high-severity colour, in the legend only
    assert re.search(r">2</text>", svg)  # two open findings


# --- the PDF ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pdf_is_a4_with_page_numbers_and_running_header(project, filled):
    snapshot = build_snapshot(project)
    snapshot["dossier"] = {"number": 2, "requested_by": "Lena Lead"}
    pdf = render_pdf(render_html(snapshot, None))
    reader = pdf_reader(pdf)
    pages = len(reader.pages)
    assert pages > 5
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert "Page" not in text[0]  # the cover has no header or footer
    assert f"Page 2 of {pages}" in text[1]
    assert "Northwind ERP cutover" in text[2] and "Readiness dossier v2" in text[2]
    assert reader.metadata.title == "Northwind ERP cutover — Readiness dossier v2"
    # The table of contents points at real pages.
    toc = text[1]
    # The contents share their page with the executive summary, which starts on it.
    assert re.search(r"Executive summary\W*2", toc)


def test_pdf_is_tagged_pdf_ua_with_its_title_shown_and_language_set(project, filled):
    """Screen readers get headings, tables and lists; viewers show the title, not a file name."""
    reader = pdf_reader(render_pdf(render_html(build_snapshot(project), None)))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    metadata = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in metadata
    roles = set()

    def walk(node, depth=0):
        node = node.get_object()
        if depth > 12 or not hasattr(node, "get"):
            return
        if "/S" in node:
            roles.add(str(node["/S"]))
        kids = node.get("/K")
        if isinstance(kids, list):
            for kid in kids:
                walk(kid, depth + 1)
        elif kids is not None and hasattr(kids.get_object(), "get"):
            walk(kids, depth + 1)

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/Table", "/TR", "/TH", "/TD", "/L"} <= roles


def test_page_references_are_built_once_per_page_count_and_follow_new_pages():
    """Tagging asks for the page list once per structure element; it must stay exact."""
    import pydyf

    from readiness.dossiers import pdf_format

    pdf = pydyf.PDF()
    for expected in ([b"3 0 R"], [b"3 0 R", b"4 0 R"], [b"3 0 R", b"4 0 R", b"5 0 R"]):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert list(pdf.page_references) == expected
        assert pdf.page_references is pdf.page_references  # built once, until a page is added
    assert pydyf.PDF.page_references.fget is pdf_format._page_references
