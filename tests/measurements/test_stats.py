from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fwadvisor.measurements import stats
from tests.measurements.helpers import measurement


def test_median_quantile_iqr_cv() -> None:
    assert stats.median([3, 1, 2]) == 2
    assert stats.quantile([1, 2, 3, 4, 5], 0.25) == 2
    assert stats.iqr([1, 2, 3, 4, 5]) == 2
    assert stats.cv([1.0]) is None
    assert stats.cv([1.0, 1.0]) == 0
    with pytest.raises(ValueError):
        stats.median([])


def test_median_rank_ci_brackets_the_median_and_covers_it() -> None:
    import random

    assert stats.median_rank_ci([1.0] * 5) is None
    xs = [float(i) for i in range(1, 101)]
    lo, hi = stats.median_rank_ci(xs) or (0.0, 0.0)
    assert lo < stats.median(xs) < hi and hi - lo < 25
    rng = random.Random(3)
    covered = 0
    for _ in range(2000):  # the exponential's median is ln 2
        sample = [rng.expovariate(1.0) for _ in range(rng.choice([6, 12, 30]))]
        ci = stats.median_rank_ci(sample)
        assert ci is not None
        covered += ci[0] <= 0.6931 <= ci[1]
    assert 0.94 <= covered / 2000 <= 0.995


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


def test_cross_ratio_with_unequal_process_counts_holds_its_own_estimate() -> None:
    """A quiet three-framework run printed "0.04x [0.06, 0.07]": PyTorch had one process
    and TensorFlow two, the estimate used both of TensorFlow's processes and the interval
    paired process 0 with process 0 only. Estimate and interval now come from the same data."""
    from fwadvisor.measurements.compare import cross_ratio

    a = measurement("pytorch", "eager", "matmul", "default", [[1.0, 1.01, 0.99, 1.02, 0.98, 1.0]])
    b = measurement(
        "tensorflow",
        "eager",
        "matmul",
        "default",
        [[20.0, 20.2, 19.8, 20.1, 19.9, 20.0], [30.0, 30.3, 29.7, 30.1]],
    )
    r = cross_ratio(a, b)
    assert r is not None
    assert r.ci95[0] <= r.value <= r.ci95[1]
    assert r.value == pytest.approx(1.0 / 25.025)  # TensorFlow: the median of 20.0 and 30.05


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.floats(0.5, 50.0), min_size=3, max_size=12), min_size=1, max_size=3),
    st.lists(st.lists(st.floats(0.5, 50.0), min_size=3, max_size=12), min_size=1, max_size=3),
)
def test_every_ratio_lies_inside_its_interval(a: list[list[float]], b: list[list[float]]) -> None:
    """Whatever the samples, a printed ratio is never outside the interval printed beside it."""
    from fwadvisor.measurements.compare import cross_ratio

    r = cross_ratio(
        measurement("pytorch", "eager", "matmul", "default", a),
        measurement("jax", "eager", "matmul", "default", b),
    )
    assert r is not None
    assert r.ci95[0] <= r.value <= r.ci95[1]
