"""`pytest --update-goldens` rewrites golden files; without it they are compared. (It used to
be an environment variable that the suite's own set-up removed before it was read.)"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).parent / "conftest.py"

GOLDEN_TEST = """
from pathlib import Path


def test_text(golden):
    golden(Path(__file__).parent / "golden" / "text.txt", "new text\\n")
"""


def _suite(pytester: pytest.Pytester) -> Path:
    pytester.makeconftest(CONFTEST.read_text())
    pytester.makepyfile(test_golden=GOLDEN_TEST)
    golden = pytester.path / "golden" / "text.txt"
    golden.parent.mkdir()
    golden.write_text("old text\n")
    return golden


def test_without_the_option_a_difference_fails_and_names_it(pytester: pytest.Pytester) -> None:
    golden = _suite(pytester)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*text.txt differs from its golden file*--update-goldens*"])
    assert golden.read_text() == "old text\n"


def test_the_option_rewrites_the_golden_file(pytester: pytest.Pytester) -> None:
    golden = _suite(pytester)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--update-goldens")
    result.assert_outcomes(passed=1)
    assert golden.read_text() == "new text\n"
