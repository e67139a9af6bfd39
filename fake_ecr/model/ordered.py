"""An insertion-ordered map that pages from any position in O(log n + page size).

Pagination must cost in proportion to the page, not to the repository: a page starts at the
sequence number the previous page's token remembers, found by bisection.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Callable, Generic, Optional, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class OrderedIndex(Generic[K, V]):
    """Values keyed by ``K``, ordered by an integer sequence number given on insertion.

    With ``seq_of`` (how to read the sequence number off a value, e.g. ``image.seq``) the index
    stores values as they are; without it, it remembers each key's number itself. Repositories
    of 10,000 images keep two of these per image, so the saving is worth the option.
    """

    __slots__ = ("_by_key", "_seqs", "_by_seq", "_seq_of", "_seq_by_key")

    def __init__(self, seq_of: Optional[Callable[[V], int]] = None) -> None:
        self._by_key: dict[K, V] = {}
        self._seqs: list[int] = []
        self._by_seq: dict[int, K] = {}
        self._seq_of = seq_of
        self._seq_by_key: Optional[dict[K, int]] = None if seq_of is not None else {}

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __iter__(self) -> Iterator[K]:
        return iter([self._by_seq[s] for s in self._seqs])

    def get(self, key: K) -> Optional[V]:
        return self._by_key.get(key)

    def values(self) -> list[V]:
        by_key, by_seq = self._by_key, self._by_seq
        return [by_key[by_seq[s]] for s in self._seqs]

    def add(self, key: K, value: V, seq: int) -> None:
        """Insert ``key`` at position ``seq`` (or replace its value, keeping its position)."""
        if key in self._by_key:
            self._by_key[key] = value
            return
        if self._seq_of is not None and self._seq_of(value) != seq:
            raise ValueError("OrderedIndex: seq does not match the value's own sequence number")
        self._by_key[key] = value
        if self._seq_by_key is not None:
            self._seq_by_key[key] = seq
        self._by_seq[seq] = key
        if not self._seqs or seq > self._seqs[-1]:
            self._seqs.append(seq)
        else:
            bisect.insort(self._seqs, seq)

    def remove(self, key: K) -> Optional[V]:
        value = self._by_key.pop(key, None)
        if value is None:
            return None
        if self._seq_by_key is not None:
            seq = self._seq_by_key.pop(key)
        else:
            assert self._seq_of is not None
            seq = self._seq_of(value)
        del self._by_seq[seq]
        index = bisect.bisect_left(self._seqs, seq)
        del self._seqs[index]
        return value

    def iter_from(self, start_seq: int) -> Iterator[tuple[int, V]]:
        """(seq, value) pairs from ``start_seq`` on, lazily: a page reads only what it uses."""
        seqs, by_key, by_seq = self._seqs, self._by_key, self._by_seq
        index = bisect.bisect_left(seqs, start_seq)
        while index < len(seqs):
            seq = seqs[index]
            index += 1
            yield seq, by_key[by_seq[seq]]

    def page(
        self, start_seq: int, limit: int, keep: Optional[Callable[[V], bool]] = None
    ) -> tuple[list[V], Optional[int]]:
        """Up to ``limit`` values from ``start_seq`` on (those ``keep`` accepts), and the next
        start or None. A plain loop, not :meth:`iter_from`: listings of 100 items run it per call."""
        seqs, by_key, by_seq = self._seqs, self._by_key, self._by_seq
        out: list[V] = []
        for index in range(bisect.bisect_left(seqs, start_seq), len(seqs)):
            seq = seqs[index]
            value = by_key[by_seq[seq]]
            if keep is not None and not keep(value):
                continue
            if len(out) == limit:
                return out, seq
            out.append(value)
        return out, None
