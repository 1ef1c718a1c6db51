"""The PDF flavour every dossier is written in — plain Python, so the benchmarks can use it
without Django.

Tagged PDF/UA-1: headings, tables and lists carry their structure for screen readers, the
document's language is set and viewers show its title rather than the file name.
"""

PDF_VARIANT = "pdf/ua-1"
