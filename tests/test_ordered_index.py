"""The index every listing pages from, against a plain reference model (an internal: the model's
ordering is what every paginated operation's correctness rests on)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fake_ecr.model.ordered import OrderedIndex  # internal, see the module docstring

operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 30), st.integers(0, 60)),
        st.tuples(st.just("remove"), st.integers(0, 30), st.just(0)),
        st.tuples(st.just("page"), st.integers(0, 60), st.integers(1, 7)),
    ),
    max_size=80,
)


@given(operations)
def test_the_index_agrees_with_a_sorted_dict(ops):
    index: OrderedIndex[int, str] = OrderedIndex()
    reference: dict[int, tuple[int, str]] = {}  # key -> (seq, value)
    used_seqs: set[int] = set()
    for op, a, b in ops:
        if op == "add":
            if a in reference:
                seq = reference[a][0]
            elif b in used_seqs:
                continue  # sequence numbers are unique, as the backend hands them out
            else:
                seq = b
                used_seqs.add(b)
            index.add(a, f"v{a}-{b}", seq)
            reference[a] = (seq, f"v{a}-{b}")
        elif op == "remove":
            removed = index.remove(a)
            expected = reference.pop(a, None)
            assert removed == (None if expected is None else expected[1])
            if expected is not None:
                used_seqs.discard(expected[0])
        else:
            in_order = sorted((seq, value) for seq, value in reference.values())
            rest = [(seq, value) for seq, value in in_order if seq >= a]
            page, next_start = index.page(a, b)
            assert page == [value for _, value in rest[:b]]
            assert next_start == (rest[b][0] if len(rest) > b else None)
        in_order = sorted((seq, key) for key, (seq, _) in reference.items())
        assert list(index) == [key for _, key in in_order]
        assert index.values() == [reference[key][1] for _, key in in_order]
        assert len(index) == len(reference)


def test_values_that_carry_their_own_sequence_number():
    index: OrderedIndex[str, tuple[int, str]] = OrderedIndex(lambda v: v[0])
    for seq, key in [(5, "e"), (1, "a"), (3, "c")]:
        index.add(key, (seq, key), seq)
    assert list(index) == ["a", "c", "e"]
    assert index.remove("c") == (3, "c") and list(index.iter_from(2)) == [(5, (5, "e"))]
