"""The text of a PDF's pages, read by poppler's ``pdftotext`` (poppler-utils, which ``.ci/run``
installs) where it is installed, else by pypdf.

With ``-raw`` pdftotext reads the text in the order the page draws it, as pypdf's
``extract_text`` does, and gave the same text for every PDF the tests write; but pypdf, in
Python, took about a tenth of a second a page, six times as long, and the tests of the reviews
read hundreds of pages. Without poppler (e.g. on Windows) the tests still run, on pypdf.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, every run of white space (also no-break) as one plain space."""
    if shutil.which("pdftotext") is None:
        pages = [page.extract_text() for page in PdfReader(path).pages]
    else:
        text = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        pages = text.split("\f")[:-1]
    return [" ".join(page.split()) for page in pages]
