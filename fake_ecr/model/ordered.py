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
    of 10,000 images keep two of these per image, so the saving is worth the option. The keys in
    sequence order are a list beside the sorted numbers (a slot each, not a dict entry).
    """

    __slots__ = ("_by_key", "_seqs", "_keys", "_seq_of", "_seq_by_key")

    def __init__(self, seq_of: Optional[Callable[[V], int]] = None) -> None:
        self._by_key: dict[K, V] = {}
        self._seqs: list[int] = []
        self._keys: list[K] = []  # self._keys[i] has sequence number self._seqs[i]
        self._seq_of = seq_of
        self._seq_by_key: Optional[dict[K, int]] = None if seq_of is not None else {}

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __iter__(self) -> Iterator[K]:
        return iter(list(self._keys))

    def get(self, key: K) -> Optional[V]:
        return self._by_key.get(key)

    def values(self) -> list[V]:
        by_key = self._by_key
        return [by_key[k] for k in self._keys]

    def add(self, key: K, value: V, seq: int) -> None:
        """Insert ``key`` at position ``seq`` (or replace its value, keeping its position)."""
        by_key = self._by_key  # locals: every push and every create runs this
        if key in by_key:
            by_key[key] = value
            return
        seq_by_key = self._seq_by_key
        if seq_by_key is not None:
            seq_by_key[key] = seq
        elif self._seq_of(value) != seq:  # type: ignore[misc]  # without seq_by_key there is a seq_of
            raise ValueError("OrderedIndex: seq does not match the value's own sequence number")
        by_key[key] = value
        seqs = self._seqs
        if not seqs or seq > seqs[-1]:
            seqs.append(seq)
            self._keys.append(key)
        else:
            index = bisect.bisect_left(seqs, seq)
            seqs.insert(index, seq)
            self._keys.insert(index, key)

    def remove(self, key: K) -> Optional[V]:
        value = self._by_key.pop(key, None)
        if value is None:
            return None
        if self._seq_by_key is not None:
            seq = self._seq_by_key.pop(key)
        else:
            assert self._seq_of is not None
            seq = self._seq_of(value)
        index = bisect.bisect_left(self._seqs, seq)
        del self._seqs[index]
        del self._keys[index]
        return value

    def iter_from(self, start_seq: int) -> Iterator[tuple[int, V]]:
        """(seq, value) pairs from ``start_seq`` on, lazily: a page reads only what it uses."""
        seqs, keys, by_key = self._seqs, self._keys, self._by_key
        index = bisect.bisect_left(seqs, start_seq)
        while index < len(seqs):
            seq = seqs[index]
            key = keys[index]
            index += 1
            yield seq, by_key[key]

    def page(
        self, start_seq: int, limit: int, keep: Optional[Callable[[V], bool]] = None
    ) -> tuple[list[V], Optional[int]]:
        """Up to ``limit`` values from ``start_seq`` on (those ``keep`` accepts), and the next
        start or None. Not :meth:`iter_from`: listings of 100 items run it per call, so without
        ``keep`` the page is a slice of the key list looked up in C (no Python step per value)."""
        seqs, keys, by_key = self._seqs, self._keys, self._by_key
        begin = bisect.bisect_left(seqs, start_seq)
        if keep is None and limit >= 0:
            end = begin + limit
            return list(map(by_key.__getitem__, keys[begin:end])), seqs[end] if end < len(seqs) else None
        out: list[V] = []
        for index in range(begin, len(seqs)):
            value = by_key[keys[index]]
            if keep is not None and not keep(value):
                continue
            if len(out) == limit:
                return out, seqs[index]
            out.append(value)
        return out, None
