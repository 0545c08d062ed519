"""What the import tests share: where the sample files lie and the revenue an import stored."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from freelancer_desk.db import Database
from freelancer_desk.services.revenue import list_entries

#: Sample files in the real shape of each source (tests/fixtures/).
SAMPLES = Path(__file__).resolve().parent / "fixtures"
#: CSV, Excel and DATEV files.
FIXTURES = SAMPLES / "import"


def totals(db: Database) -> dict[str, Decimal]:
    """Net revenue per client name, as stored."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in list_entries(db):
        sums[row.client_name] += row.net
    return dict(sums)
