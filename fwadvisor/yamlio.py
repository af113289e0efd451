"""The only YAML reader: safe loading, duplicate keys rejected, positions kept for errors.

`load_document` returns the plain data together with a map from each value's path
(a tuple of keys and indexes) to its 1-based line, so that validation errors can name
file, line and field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fwadvisor.errors import InputFileError

MAX_BYTES = 4 * 1024 * 1024
# libyaml's safe loader when PyYAML was built with it: same safe constructors, ~20x faster
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """Parsed data plus where each value stood in the source."""

    data: Any
    source: str
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), None)


def dotted(loc: Sequence[str | int]) -> str:
    """('rules', 0, 'when') -> 'rules[0].when'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk(node: yaml.Node, path: PathKey, lines: dict[PathKey, int], source: str) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise InputFileError.at(
                    f"duplicate key {key!r} (first at line {seen[key]})",
                    source,
                    key_node.start_mark.line + 1,
                    dotted((*path, key)),
                )
            seen[key] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, source)


def parse_text(text: str, source: str) -> Document:
    """Parse YAML (JSON is YAML too) with the safe loader, keeping positions."""
    try:
        loader = SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return Document(None, source, {})
            lines: dict[PathKey, int] = {}
            _walk(node, (), lines, source)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise InputFileError.at(f"not valid YAML: {what}", source, line) from None
    except yaml.YAMLError as exc:
        raise InputFileError.at(f"not valid YAML: {exc}", source) from None
    return Document(data, source, lines)


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


def load_json(path: Path, what: str = "file") -> Any:
    """Plain JSON (probe files are large; YAML position tracking is not needed there)."""
    text = read_text(path, what)
    try:
        return json.loads(text)
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
