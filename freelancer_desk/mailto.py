"""``mailto:`` links (RFC 6068) that mail programs open with subject and body filled in.

Everything after the address is percent-encoded as UTF-8, including ``&``, ``+``, ``=``, ``?``
and ``#`` (which would otherwise end or split a field, or turn into a space in programs that
read ``+`` as one) and line breaks, which RFC 6068 wants as ``%0D%0A``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def build(to: str, subject: str, body: str) -> str:
    """The ``mailto:`` URL for a message to ``to``; empty subject or body fields are left out."""
    fields = []
    if subject:
        fields.append("subject=" + quote(_one_line(subject), safe=""))
    if body:
        fields.append("body=" + quote(_LINE_BREAK.sub("\r\n", body), safe=""))
    url = "mailto:" + quote(to.strip(), safe="@")
    return url + ("?" + "&".join(fields) if fields else "")


def _one_line(text: str) -> str:
    """A subject is one line; a pasted line break becomes a space."""
    return _LINE_BREAK.sub(" ", text).strip()
