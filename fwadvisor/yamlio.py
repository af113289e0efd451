"""The only YAML reader: safe loading, duplicate keys rejected, positions kept for errors.

`parse_text` returns the plain data with its source text; `line_of(path)` composes the node
tree and finds the 1-based line of a value by its path (a tuple of keys and indexes) only
when an error needs it, so the common, valid case pays nothing for positions.

Speed (a 1 MB rulebook is parsed on every cold start): libyaml composes the node tree, and
`_plain` turns plain maps, sequences and scalars into Python objects in one tight recursion
instead of PyYAML's generic, generator-based constructor; anything else (merge keys, tags
other than the core schema's, unhashable keys) goes through PyYAML's safe constructor, so
results and errors are the same. The cyclic garbage collector is paused while a document is
built: it would otherwise rescan the growing, acyclic tree again and again.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from fwadvisor.errors import InputFileError

MAX_BYTES = 4 * 1024 * 1024

# libyaml's safe loader when PyYAML was built with it: the same safe constructors, faster parsing
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVED: dict[tuple[str, bool, bool], str] = {}


class SafeLoader(_Base):  # type: ignore[valid-type,misc]
    """Safe loader that rejects duplicate keys and memoizes implicit tag resolution
    (rule files repeat the same keys and values thousands of times)."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or not isinstance(value, str):
            return str(super().resolve(kind, value, implicit))
        key = (value, implicit[0], implicit[1])
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = str(super().resolve(kind, value, implicit))
            if len(_RESOLVED) < 100_000:
                _RESOLVED[key] = tag
        return tag

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    _duplicate(self, key_node, seen[key_node.value])
                seen[key_node.value] = key_node.start_mark.line + 1
        return dict(super().construct_mapping(node, deep=deep))


class Document:
    """Parsed data plus its source text; node positions are composed only when asked for."""

    def __init__(self, data: Any, source: str, text: str = "") -> None:
        self.data = data
        self.source = source
        self.text = text

    @cached_property
    def root(self) -> yaml.Node | None:
        if not self.text:
            return None
        loader = SafeLoader(self.text)
        try:
            node: yaml.Node | None = loader.get_single_node()
            return node
        except yaml.YAMLError:
            return None
        finally:
            loader.dispose()

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of `path`, or of its nearest ancestor that exists in the file."""
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in path:
            child: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                child = next((v for k, v in node.value if str(k.value) == str(part)), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                child = node.value[part] if 0 <= part < len(node.value) else None
            if child is None:
                break
            node, line = child, child.start_mark.line + 1
        return line


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_PLAIN_SCALARS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")
)


class _NotPlain(Exception):
    """The document uses something `_plain` leaves to PyYAML's constructor."""


@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _construct(loader: SafeLoader) -> Any:
    """The document's data: the fast path for plain data, PyYAML's constructor otherwise."""
    node = loader.get_single_node()
    if node is None:
        return None
    try:
        return _plain(loader, node, {})
    except _NotPlain:
        return loader.construct_document(node)


def _plain(loader: SafeLoader, node: yaml.Node, built: dict[int, Any]) -> Any:
    """Build plain data from a node; `built` shares the object of a node met again (aliases)."""
    tag = node.tag
    if type(node) is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        if tag in _PLAIN_SCALARS:
            return loader.yaml_constructors[tag](loader, node)
        raise _NotPlain
    done = built.get(id(node))
    if done is not None:
        return done
    if type(node) is yaml.MappingNode and tag == _MAP:
        mapping: dict[Hashable, Any] = {}
        built[id(node)] = mapping
        seen: dict[str, int] = {}
        for key_node, _ in node.value:  # every key first, as PyYAML checks them
            if type(key_node) is not yaml.ScalarNode or key_node.tag == _MERGE:
                raise _NotPlain
            if key_node.value in seen:
                _duplicate(loader, key_node, seen[key_node.value])
            seen[key_node.value] = key_node.start_mark.line + 1
        for key_node, value_node in node.value:
            mapping[_plain(loader, key_node, built)] = _plain(loader, value_node, built)
        return mapping
    if type(node) is yaml.SequenceNode and tag == _SEQ:
        sequence: list[Any] = []
        built[id(node)] = sequence
        sequence.extend(_plain(loader, item, built) for item in node.value)
        return sequence
    raise _NotPlain


def _duplicate(loader: SafeLoader, key_node: yaml.ScalarNode, first_line: int) -> None:
    raise InputFileError.at(
        f"duplicate key {key_node.value!r} (first at line {first_line})",
        getattr(loader, "source_name", None),
        key_node.start_mark.line + 1,
        str(key_node.value),
    )


def dotted(loc: Sequence[str | int]) -> str:
    """('rules', 0, 'when') -> 'rules[0].when'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_text(text: str, source: str) -> Document:
    """Parse YAML (JSON is YAML too) with the safe loader; duplicate keys are errors."""
    try:
        loader = SafeLoader(text)
        loader.source_name = source
        try:
            with _gc_paused():
                data = _construct(loader)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise InputFileError.at(f"not valid YAML: {what}", source, line) from None
    except yaml.YAMLError as exc:
        raise InputFileError.at(f"not valid YAML: {exc}", source) from None
    except RecursionError:
        raise InputFileError.at("not valid YAML: nested too deeply", source) from None
    return Document(data, source, text)


def read_text(path: Path, what: str = "file") -> str:
    """Read a user file with one clear error for every way that can fail."""
    try:
        if path.is_dir():
            raise InputFileError.at(f"{what} is a directory, not a file", path)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputFileError.at(f"{what} is too large ({size} bytes)", path)
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError.at(f"{what} not found", path) from None
    except UnicodeDecodeError:
        raise InputFileError.at(f"{what} is not UTF-8 text", path) from None
    except PermissionError:
        raise InputFileError.at(f"{what} cannot be read (permission denied)", path) from None
    except OSError as exc:
        raise InputFileError.at(f"{what} cannot be read: {exc.strerror}", path) from None


def load_document(path: Path, what: str = "file") -> Document:
    return parse_text(read_text(path, what), str(path))


def load_json(path: Path, what: str = "file") -> Document:
    """A JSON file, parsed by the json module (fast for large probe files); positions for
    error messages are composed from the text only when asked for (JSON is YAML)."""
    text = read_text(path, what)
    try:
        return Document(json.loads(text), str(path), text)
    except json.JSONDecodeError as exc:
        raise InputFileError.at(f"not valid JSON: {exc.msg}", path, exc.lineno) from None


def require_mapping(doc: Document, what: str) -> Mapping[str, Any]:
    if doc.data is None:
        raise InputFileError.at(f"{what} is empty", doc.source, 1)
    if not isinstance(doc.data, Mapping):
        raise InputFileError.at(
            f"{what} must be a mapping at the top level, not {type(doc.data).__name__}",
            doc.source,
            doc.line_of(()),
        )
    return doc.data
