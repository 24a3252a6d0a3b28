import gc

import pytest

from dateline.heap import gc_paused
from dateline.timeline import MentionRanker, get_builder


def test_gc_paused_pauses_the_collector_and_restores_it_even_on_an_error():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), gc_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_gc_paused_leaves_a_collector_paused_by_the_caller_paused():
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


class _Watching(MentionRanker):
    """The default ranker, noting whether the collector runs while it ranks."""

    def __init__(self):
        super().__init__()
        self.seen: list[bool] = []

    def rank(self, evidence):
        self.seen.append(gc.isenabled())
        return super().rank(evidence)


def test_a_build_runs_with_the_collector_paused_and_gives_it_back(small_corpus):
    builder = get_builder()
    ranker = _Watching()
    timeline = type(builder)(builder.name, ranker, builder.summarizer).build(small_corpus)
    assert timeline.entries
    assert ranker.seen == [False]
    assert gc.isenabled()
