from __future__ import annotations

import gc
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fwadvisor.errors import InputFileError
from fwadvisor.yamlio import load_document, parse_text


def test_positions_are_recorded_per_path() -> None:
    doc = parse_text("a: 1\nb:\n  - x\n  - y: 2\n", "f.yaml")
    assert doc.data == {"a": 1, "b": ["x", {"y": 2}]}
    assert doc.line_of(("a",)) == 1
    assert doc.line_of(("b", 1, "y")) == 4
    assert doc.line_of(("b", 1, "missing")) == 4  # falls back to the nearest ancestor


def test_duplicate_keys_are_rejected_with_both_lines() -> None:
    with pytest.raises(InputFileError) as info:
        parse_text("a: 1\nb: 2\na: 3\n", "f.yaml")
    text = info.value.render()
    assert "f.yaml:3" in text and "duplicate key 'a'" in text and "line 1" in text


def test_syntax_error_names_line() -> None:
    with pytest.raises(InputFileError) as info:
        parse_text("a: [1, 2\nb: 3\n", "bad.yaml")
    assert info.value.problems[0].file == "bad.yaml"
    assert info.value.problems[0].line is not None


def test_python_tags_are_refused() -> None:
    with pytest.raises(InputFileError):
        parse_text("a: !!python/object/apply:os.system ['true']\n", "evil.yaml")


def test_empty_document_is_none() -> None:
    assert parse_text("", "e.yaml").data is None


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not found"):
        load_document(tmp_path / "nope.yaml")
    with pytest.raises(InputFileError, match="directory"):
        load_document(tmp_path)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "bin.yaml"
    f.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputFileError, match="UTF-8"):
        load_document(f)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [x, 2.5, true, null, 2026-11-27]\nc: {d: '7', e: 0x1F}\n",
        "a: &x {b: 1}\nc: *x\n",  # alias: the fast path
        "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n",  # merge key: PyYAML's constructor
        "a: !!set {x, y}\nb: !!binary aGVsbG8=\nc: !!str 12\n",
        "- !!omap [a: 1]\n",
    ],
)
def test_fast_construction_matches_pyyaml(text: str) -> None:
    assert repr(parse_text(text, "f.yaml").data) == repr(yaml.safe_load(text))


def test_aliases_share_one_object() -> None:
    data = parse_text("a: &x {b: [1]}\nc: *x\n", "f.yaml").data
    assert data["a"] is data["c"]


def test_duplicate_in_outer_mapping_is_reported_before_inner_one() -> None:
    with pytest.raises(InputFileError) as info:
        parse_text("a: {x: 1, x: 2}\na: 3\n", "f.yaml")
    assert info.value.problems[0].line == 2
    assert "duplicate key 'a'" in info.value.render()


def test_duplicate_key_under_merge_is_still_rejected() -> None:
    with pytest.raises(InputFileError, match="duplicate key 'y'"):
        parse_text("base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n  y: 3\n", "f.yaml")


def test_parsing_leaves_the_garbage_collector_as_it_was() -> None:
    assert gc.isenabled()
    parse_text("a: [1, 2]\n", "f.yaml")
    assert gc.isenabled()
    gc.disable()
    try:
        parse_text("a: [1, 2]\n", "f.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.dates(),
)
_plain = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.one_of(st.text(max_size=6), st.integers(), st.booleans()), inner, max_size=4
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(data=_plain, flow=st.sampled_from([None, True, False]))
@example(data={"true": None, True: None}, flow=None)  # one text, two keys: a string, a boolean
def test_the_fast_path_builds_what_safe_load_builds(data: object, flow: bool | None) -> None:
    """Differential: any plain document, in block or flow style, reads the same both ways."""
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    assert repr(parse_text(text, "f.yaml").data) == repr(yaml.safe_load(text))


_tokens = st.sampled_from(
    [
        "yes",
        "No",
        "on",
        "~",
        "null",
        "Null",
        "true",
        "TRUE",
        "0x1F",
        "0o17",
        "017",
        "1_000",
        "1e3",
        "1.5e-3",
        ".inf",
        "-.Inf",
        ".nan",
        "+12",
        "-0",
        "0.",
        "2026-11-27",
        "2026-11-27T10:00:00Z",
        "12:30",
        "'quoted'",
        '"dq"',
        "a b",
        "=",
        "<<",
        "!!str 5",
        "!!int '7'",
        "&a 1",
        "[1, 2]",
        "{k: v}",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(
        st.one_of(_tokens, st.from_regex(r"[a-z0-9.:_+-]{1,8}", fullmatch=True)),
        min_size=1,
        max_size=6,
    )
)
def test_unquoted_scalars_resolve_as_safe_load_resolves_them(values: list[str]) -> None:
    """Differential on the resolver: plain scalars (booleans, octal, dates, infinities, tags)
    typed the same way; a document either side refuses is left out."""
    text = "".join(f"k{i}: {v}\n" for i, v in enumerate(values))
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    try:
        got = parse_text(text, "f.yaml").data
    except InputFileError:
        return  # refused as input (a rule of the input checks, not of parsing)
    assert repr(got) == repr(expected)
