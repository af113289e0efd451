"""One way to write sizes and latencies: the probe table, the path-check table and the reports
used three formatters, two of them named fmt_bytes with different output."""

from __future__ import annotations

from fwadvisor.units import byte_size, latency_ms


def test_byte_size_uses_binary_units_with_three_digits() -> None:
    assert byte_size(None) == "-"
    assert byte_size(512) == "512 B"
    assert byte_size(12_600) == "12.3 KiB"
    assert byte_size(3 * 2**20 // 2) == "1.5 MiB"
    assert byte_size(123 * 2**20 + 2**19) == "124 MiB"  # was "123.5 MiB" in one table
    assert byte_size(2_200_000_000) == "2.05 GiB"  # was "2098.1 MiB" in the other two


def test_latency_with_interval_and_noise() -> None:
    assert latency_ms(None) == "-"
    assert latency_ms(0.00123) == "1.23 ms"
    assert latency_ms(0.00123, (0.0012, 0.0013)) == "1.23 ms [1.2, 1.3]"
    assert latency_ms(0.00123, (0.0005, 0.004), noisy=True) == "1.23 ms [0.5, 4], noisy"


def test_every_table_uses_the_shared_formatters() -> None:
    import fwadvisor.measurements.summary as probe_table
    import fwadvisor.pathcheck.summary as paths_table
    import fwadvisor.report.pathchecks as report_paths

    for module in (probe_table, paths_table, report_paths):
        assert module.byte_size is byte_size
        assert not hasattr(module, "fmt_bytes")
