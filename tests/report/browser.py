"""One headless Chromium for many pages: the DevTools protocol over a pipe (Chromium's
--remote-debugging-pipe: it reads commands on descriptor 3 and answers on 4, each message JSON
ended by a NUL byte). Printing a page this way is what `chromium --print-to-pdf` does
(Page.printToPDF after the load event, the page's CSS @page size preferred), without starting
a browser per page."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
TIMEOUT_S = 120.0


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Chromium started for one command-line job (--dump-dom, --screenshot, ...)."""
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


def _above_4(fd: int) -> int:
    """`fd` moved above 4, so that placing the pipe ends on 3 and 4 cannot overwrite one."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 5)
    os.close(fd)
    return moved


class Browser:
    """A Chromium kept running; `print_to_pdf(url)` loads a page in a new tab and prints it."""

    def __init__(self, profile: Path) -> None:
        assert CHROMIUM is not None
        to_browser_r, self._to_browser = map(_above_4, os.pipe())
        self._from_browser, from_browser_w = map(_above_4, os.pipe())

        def descriptors() -> None:  # in the child: the pipe ends on 3 and 4, inherited
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self._proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,  # keeps 3 and 4; the other descriptors are not inheritable
            preexec_fn=descriptors,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0

    def _send(self, method: str, params: dict[str, Any], session: str | None = None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _receive(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], TIMEOUT_S)
            assert ready, f"Chromium said nothing for {TIMEOUT_S:.0f} s"
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise AssertionError(f"Chromium closed the pipe (exit {self._proc.poll()})")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def _call(self, method: str, params: dict[str, Any], session: str | None = None) -> Any:
        wanted = self._send(method, params, session)
        while True:
            message = self._receive()
            if message.get("id") == wanted:
                assert "error" not in message, (method, message["error"])
                return message["result"]

    def _wait_for(self, event: str, session: str) -> None:
        while True:
            message = self._receive()
            if message.get("method") == event and message.get("sessionId") == session:
                return

    def print_to_pdf(self, url: str) -> bytes:
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        try:
            self._call("Page.enable", {}, session)
            self._send("Page.navigate", {"url": url}, session)
            self._wait_for("Page.loadEventFired", session)
            printed = self._call(
                "Page.printToPDF",
                {"displayHeaderFooter": False, "preferCSSPageSize": True, "printBackground": True},
                session,
            )
        finally:
            self._call("Target.closeTarget", {"targetId": target})
        return base64.b64decode(printed["data"])

    def close(self) -> None:
        try:
            self._send("Browser.close", {})
            self._proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self._proc.kill()  # this Popen's own process
            self._proc.wait()
        finally:
            os.close(self._to_browser)
            os.close(self._from_browser)
