from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fwadvisor.probe import stats


def test_median_quantile_iqr_cv() -> None:
    assert stats.median([3, 1, 2]) == 2
    assert stats.quantile([1, 2, 3, 4, 5], 0.25) == 2
    assert stats.iqr([1, 2, 3, 4, 5]) == 2
    assert stats.cv([1.0]) is None
    assert stats.cv([1.0, 1.0]) == 0
    with pytest.raises(ValueError):
        stats.median([])


def test_center_is_median_of_process_medians() -> None:
    assert stats.center([[1, 2, 3], [10, 11, 12], [5, 5, 5]]) == 5


def test_identical_samples_ratio_spans_one() -> None:
    runs = [[1.0, 1.1, 0.9, 1.05, 0.95]] * 3
    ci = stats.ratio_ci(runs, runs, paired=True)
    assert stats.spans_one(ci)


def test_clear_difference_excludes_one() -> None:
    a = [[2.0, 2.1, 1.9, 2.05, 1.95]] * 3
    b = [[1.0, 1.1, 0.9, 1.05, 0.95]] * 3
    lo, hi = stats.ratio_ci(a, b, paired=False)
    assert 1.5 < lo <= hi < 2.5


def test_bootstrap_is_deterministic() -> None:
    runs = [[1.0, 2.0, 3.0, 4.0], [2.0, 2.5, 3.0]]
    assert stats.median_ci(runs) == stats.median_ci(runs)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.floats(1e-6, 1.0), min_size=1, max_size=8), min_size=1, max_size=4))
def test_median_ci_is_ordered_and_within_range(runs: list[list[float]]) -> None:
    lo, hi = stats.median_ci(runs, n_boot=50)
    flat = [x for r in runs for x in r]
    assert min(flat) <= lo <= hi <= max(flat)
