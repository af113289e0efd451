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
import os
import stat
import sys
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from fwadvisor.errors import InputFileError

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 100
"""Deepest nesting of maps and lists a YAML or JSON input may have (rules need about ten)."""
MAX_NODES = 2_000_000
"""Most values a YAML document may stand for once its aliases are expanded: a 4 MB file
without aliases has fewer, and a kilobyte of nested aliases (an "alias bomb") has billions."""

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
        self._indexes: dict[int, dict[str, yaml.Node]] = {}

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
                child = self._keys_of(node).get(str(part))
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                child = node.value[part] if 0 <= part < len(node.value) else None
            if child is None:
                break
            node, line = child, child.start_mark.line + 1
        return line

    def _keys_of(self, node: yaml.MappingNode) -> dict[str, yaml.Node]:
        """A mapping node's values by key, built once per node: looking up every key of a
        mapping stays linear in its size."""
        index = self._indexes.get(id(node))
        if index is None:
            index = {}
            for key_node, value_node in node.value:
                index.setdefault(str(key_node.value), value_node)
            self._indexes[id(node)] = index
        return index


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


def _reason(exc: Exception) -> str:
    """A value error said for people (not Python's advice to raise its digit limit)."""
    text = str(exc)
    if "integer string conversion" in text:
        return f"an integer longer than {sys.get_int_max_str_digits():,} digits"
    return text


class _Refused(Exception):
    """A node of the document cannot be accepted; `root` is the document's node tree."""

    def __init__(self, node: yaml.Node, reason: str) -> None:
        super().__init__(reason)
        self.node = node
        self.reason = reason
        self.root: yaml.Node | None = None


class _BadScalar(_Refused):
    """A scalar whose implicit type could not be built (2026-02-30, an over-long integer)."""


class _Oversized(_Refused):
    """The document is nested too deeply or its aliases stand for too many values."""


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_shape(root: yaml.Node) -> None:
    """Refuse a node graph nested deeper than MAX_DEPTH, standing for more than MAX_NODES
    values once aliases are expanded, or referring to itself, before anything is built from
    it. Linear in the composed graph (an alias's expanded size is counted once, by node)."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            total = 1 + sum(size[id(child)] for child in _children(node))
            if total > MAX_NODES:
                raise _Oversized(node, f"its aliases stand for more than {MAX_NODES:,} values")
            size[key] = total
            continue
        if key in size:
            continue
        if key in on_path:
            raise _Oversized(node, "an alias refers to itself (a recursive structure)")
        if depth > MAX_DEPTH:
            raise _Oversized(node, f"nested too deeply (more than {MAX_DEPTH} levels)")
        if isinstance(node, yaml.ScalarNode):
            size[key] = 1
            continue
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _construct(loader: SafeLoader, aliases: bool = True) -> Any:
    """The document's data: the fast path for plain data, PyYAML's constructor otherwise.
    A document that may hold aliases (`aliases`) has its whole shape checked first; one
    without has no more values than its text, and `_plain` bounds its depth as it goes."""
    node = loader.get_single_node()
    if node is None:
        return None
    try:
        if aliases:
            _check_shape(node)
        try:
            return _plain(loader, node, {}, 1)
        except _NotPlain:
            if not aliases:
                _check_shape(node)
            try:
                return loader.construct_document(node)
            except (ValueError, OverflowError) as exc:
                raise _BadScalar(node, _reason(exc)) from None
    except _Refused as exc:
        exc.root = node
        raise


def _plain(loader: SafeLoader, node: yaml.Node, built: dict[int, Any], depth: int) -> Any:
    """Build plain data from a node; `built` shares the object of a node met again (aliases);
    `depth` is the node's nesting level, bounded by MAX_DEPTH."""
    tag = node.tag
    if type(node) is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        if tag in _PLAIN_SCALARS:
            try:
                return loader.yaml_constructors[tag](loader, node)
            except (ValueError, OverflowError) as exc:  # 2026-02-30, a 5,000-digit integer
                raise _BadScalar(node, _reason(exc)) from None
        raise _NotPlain
    done = built.get(id(node))
    if done is not None:
        return done
    if depth > MAX_DEPTH:
        raise _Oversized(node, f"nested too deeply (more than {MAX_DEPTH} levels)")
    depth += 1
    if type(node) is yaml.MappingNode and tag == _MAP:
        mapping: dict[Hashable, Any] = {}
        built[id(node)] = mapping
        seen: dict[tuple[str, str], int] = {}
        for key_node, _ in node.value:  # every key first, as PyYAML checks them
            if type(key_node) is not yaml.ScalarNode or key_node.tag == _MERGE:
                raise _NotPlain
            # by type and text: `'true'` (a string) and `true` (a boolean) are two keys
            key = (key_node.tag, key_node.value)
            if key in seen:
                _duplicate(loader, key_node, seen[key])
            seen[key] = key_node.start_mark.line + 1
        for key_node, value_node in node.value:
            mapping[_plain(loader, key_node, built, depth)] = _plain(
                loader, value_node, built, depth
            )
        return mapping
    if type(node) is yaml.SequenceNode and tag == _SEQ:
        sequence: list[Any] = []
        built[id(node)] = sequence
        sequence.extend(_plain(loader, item, built, depth) for item in node.value)
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


def _path_to(root: yaml.Node | None, target: yaml.Node) -> list[str | int]:
    """The keys and indexes that lead from `root` to `target` (for an error's field)."""
    if root is None:
        return []
    stack: list[tuple[yaml.Node, list[str | int]]] = [(root, [])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node is target:
                    return path
                stack.append((value_node, [*path, str(key_node.value)]))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, [*path, i]) for i, item in enumerate(node.value))
    return []


def parse_text(text: str, source: str) -> Document:
    """Parse YAML (JSON is YAML too) with the safe loader; duplicate keys are errors; the
    shape (depth, aliases) is bounded before any data is built."""
    try:
        loader = SafeLoader(text)
        loader.source_name = source
        try:
            with _gc_paused():
                data = _construct(loader, aliases="*" in text)
        except _Refused as exc:
            field = dotted(_path_to(exc.root, exc.node)) or None
            line = exc.node.start_mark.line + 1
            if isinstance(exc, _BadScalar):
                message = f"{exc.node.value[:40]!r} is not a valid value: {exc.reason}"
            else:
                message = f"not accepted: {exc.reason}"
            raise InputFileError.at(message, source, line, field) from None
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


_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "a special file")


def read_text(path: Path, what: str = "file") -> str:
    """Read a user file with one clear error for every way that can fail: the one reader of
    every file a user names. Special files (devices, pipes, sockets) are refused by type,
    without blocking on them, and at most MAX_BYTES are read, whatever the size claims."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise InputFileError.at(f"{what} is a directory, not a file", path)
            if not stat.S_ISREG(info.st_mode):
                kind = _kind(info.st_mode)
                raise InputFileError.at(f"{what} is not a regular file ({kind})", path)
            if info.st_size > MAX_BYTES:
                raise InputFileError.at(f"{what} is too large ({info.st_size} bytes)", path)
            os.set_blocking(fd, True)
            with os.fdopen(fd, "rb", closefd=False) as fh:
                raw = fh.read(MAX_BYTES + 1)
        finally:
            os.close(fd)
        if len(raw) > MAX_BYTES:
            raise InputFileError.at(f"{what} is too large (over {MAX_BYTES} bytes)", path)
        return raw.decode("utf-8")
    except IsADirectoryError:
        raise InputFileError.at(f"{what} is a directory, not a file", path) from None
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
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError.at(f"not valid JSON: {exc.msg}", path, exc.lineno) from None
    except RecursionError:
        raise InputFileError.at(f"not accepted: {_TOO_DEEP}", path, 1) from None
    except ValueError as exc:  # an integer over Python's 4,300-digit conversion limit
        raise InputFileError.at(f"not accepted: {_reason(exc)}", path) from None
    doc = Document(data, str(path), text)
    deep = _too_deep(data)
    if deep is not None:
        raise InputFileError.at(f"not accepted: {_TOO_DEEP}", path, None, dotted(deep)[:200])
    return doc


_TOO_DEEP = f"nested too deeply (more than {MAX_DEPTH} levels)"


def _too_deep(data: Any) -> list[str | int] | None:
    """The path to a value nested deeper than MAX_DEPTH in plain JSON data, or None."""
    stack: list[tuple[Any, int, tuple[str | int, ...]]] = [(data, 1, ())]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, dict):
            items: Any = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        if depth > MAX_DEPTH:
            return list(path)
        stack.extend(
            (child, depth + 1, (*path, key))
            for key, child in items
            if isinstance(child, (dict, list))
        )
    return None


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
