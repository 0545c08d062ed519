"""A thumbnail of a PDF's first page, so that the user sees what they are about to print.

PDFium (``pypdfium2``) draws the page; the result is PNG bytes, which the GUI shows as they are.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from freelancer_desk.db import Database
    from freelancer_desk.reports.review import ReviewRequest


def first_page_png(pdf: Path, width: int) -> bytes:
    """The first page of ``pdf`` as a PNG ``width`` pixels wide."""
    import pypdfium2 as pdfium  # loaded on the first preview, not at start

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def review_preview(db: Database, request: ReviewRequest, width: int) -> bytes:
    """The first page of the review ``request`` asks for, as a PNG ``width`` pixels wide."""
    from freelancer_desk.reports.review import build_review

    with tempfile.TemporaryDirectory() as folder:
        path = build_review(db, request, Path(folder) / "preview.pdf", first_page_only=True)
        return first_page_png(path, width)


def dossier_preview(db: Database, client_id: int, lang: str, as_of: dt.date, width: int) -> bytes:
    """The client's one-page dossier as a PNG ``width`` pixels wide."""
    from freelancer_desk.reports.dossier import build_dossier

    with tempfile.TemporaryDirectory() as folder:
        path = build_dossier(db, client_id, Path(folder) / "preview.pdf", lang, as_of)
        return first_page_png(path, width)
