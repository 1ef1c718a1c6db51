"""The PDF flavour every dossier is written in — plain Python, so the benchmarks can use it
without Django.

Tagged PDF/UA-1: headings, tables and lists carry their structure for screen readers, the
document's language is set and viewers show its title rather than the file name.

Importing this module also makes tagging scale with the document (see `_page_references`).
"""

import pydyf

PDF_VARIANT = "pdf/ua-1"


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """pydyf's `PDF.page_references`, built once per page count instead of on every call.

    WeasyPrint's tagging asks for the page list once per structure element (every table cell,
    every run of text), and pydyf rebuilds the whole list each time: a 90-page dossier with
    40,000 elements built 3.5 million references to use 40,000. Pages are only ever added,
    so the list is the same until the number of pages changes.
    """
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_page_references_cache")
    if cached is None or cached[0] is not kids or cached[1] != len(kids):
        refs = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = pdf.__dict__["_page_references_cache"] = (kids, len(kids), refs)
    return cached[2]


pydyf.PDF.page_references = property(_page_references)
