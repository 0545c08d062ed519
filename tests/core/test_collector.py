"""The cycle collector and the records the app keeps (``freelancer_desk.collector``)."""

from __future__ import annotations

import gc
import weakref

from freelancer_desk.collector import let_go, many_records, sweep


class Record:
    """A record of the kind the app makes by the thousand (tracked by the collector)."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.partner: Record | None = None


def test_records_made_in_bulk_are_left_out_of_later_collections() -> None:
    frozen = gc.get_freeze_count()
    with many_records():
        assert not gc.isenabled()
        records = [Record(number) for number in range(5_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(records)
    gc.collect()
    assert gc.get_freeze_count() >= frozen + len(records)  # a full pass leaves them alone


def test_a_nested_block_leaves_freezing_to_the_outer_one() -> None:
    with many_records():
        frozen = gc.get_freeze_count()
        with many_records():
            records = [Record(number) for number in range(1_000)]
        assert not gc.isenabled()
        assert gc.get_freeze_count() == frozen
    assert gc.get_freeze_count() >= frozen + len(records)


def test_records_let_go_of_after_the_freeze_are_freed_at_once() -> None:
    with many_records():
        record = Record(1)
    gone = weakref.ref(record)
    del record
    assert gone() is None


def test_a_cycle_frozen_with_the_records_waits_for_the_sweep() -> None:
    with many_records():
        first, second = Record(1), Record(2)
        first.partner, second.partner = second, first
    gone = weakref.ref(first)
    del first, second
    gc.collect()
    assert gone() is not None  # frozen: an ordinary full collection does not see it
    sweep()
    assert gone() is None
    assert gc.get_freeze_count() > 0  # what is left is frozen again


def test_let_go_empties_lists_and_sets_and_frees_their_records() -> None:
    """Freed a slice at a time, but every record is gone when it returns."""
    listed = [Record(number) for number in range(10_000)]
    kept = {(number, Record(number)) for number in range(10_000)}
    watched = [weakref.ref(listed[0]), weakref.ref(listed[-1]), weakref.ref(next(iter(kept))[1])]
    let_go(listed, kept)
    assert listed == [] and kept == set()
    assert [ref() for ref in watched] == [None, None, None]
