from __future__ import annotations

from pathlib import Path

import pytest

from tests.fleet.netns import Outcome, inside, run_inside

_OUTCOMES = pytest.StashKey[dict[Path, dict[str, Outcome]]]()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """A test marked `netns` runs inside a private network namespace. Out here, the first
    one of a module reruns all of the module's selected `netns` tests there, in one pytest
    process (so they can share a module-scoped cluster), and each test out here then
    reports how it ended in there."""
    if pyfuncitem.get_closest_marker("netns") is None or inside():
        return None
    by_module = pyfuncitem.session.stash.setdefault(_OUTCOMES, {})
    module = pyfuncitem.path
    if module not in by_module:
        together = [
            item.nodeid
            for item in pyfuncitem.session.items
            if item.path == module and item.get_closest_marker("netns") is not None
        ]
        by_module[module] = run_inside(together, timeout=600 * len(together))
    outcome = by_module[module].get(pyfuncitem.name)
    assert outcome is not None, f"{pyfuncitem.nodeid} did not run in the namespace"
    print(outcome.output)
    if outcome.result == "skipped":
        pytest.skip(outcome.message)
    if outcome.result == "failed":
        pytest.fail(f"in the namespace:\n{outcome.message}", pytrace=False)
    return True
