"""The one sanitiser of text shown on a terminal: control and escape characters that come
from data (a project name, an unknown key, a rule title, a model's exception text) are
shown escaped, never sent raw, so a file cannot retitle the window, clear the screen or
hide text (`project_name: "\\e]0;owned\\a\\e[2J"` prints as `\\x1b]0;owned\\x07\\x1b[2J`).

`fwadvisor.terminalconsole.SafeConsole` applies it where rich turns renderables into text;
this module imports no rich, so that commands printing no table (`recommend --format json`)
do not pay for rich's console (docs/notes/startup.md).
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, bidirectional overrides and isolates
# (which reorder what is shown), and lone surrogates (undecodable bytes, PEP 383)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as surrogateescape keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with every control, escape and reordering character written as `\\xNN` or
    `\\uNNNN`; tab, newline and everything printable unchanged. Idempotent."""
    return UNSAFE.sub(_escaped, text) if UNSAFE.search(text) else text
