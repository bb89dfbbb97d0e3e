"""A real headless Chromium for page tests, driven over the DevTools protocol on a pipe.

No driver package is needed: Chromium started with ``--remote-debugging-pipe`` reads commands
(JSON, each ending in a NUL byte) on file descriptor 3 and writes replies and events on 4.
``Chromium.visit`` loads a page at the emulated screen width and returns every URL the page
requested and how wide the laid-out document is.
"""

import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from types import TracebackType
from typing import Any

import pytest

#: Where Debian's ``chromium`` package puts the browser; PATH is searched too.
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
LOAD_LIMIT_S = 30.0


def chromium_or_skip() -> str:
    """The browser binary, or skip: CI installs Debian's ``chromium``."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is absent: apt-get install chromium (for the page tests)")


class Chromium:
    """A headless Chromium with one page, at ``width`` CSS pixels, as a phone."""

    def __init__(self, binary: str, width: int) -> None:
        self.binary, self.width = binary, width
        self.next_id = 0
        self.buffer = b""
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> "Chromium":
        self._launch()
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        attached = self.send("Target.attachToTarget", targetId=target, flatten=True)
        self.session = attached["sessionId"]
        for method in ("Page.enable", "Network.enable"):
            self.send(method, session=self.session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session=self.session,
            width=self.width,
            height=800,
            deviceScaleFactor=1,
            mobile=True,
        )
        return self

    def _launch(self) -> None:
        """Start the browser with our pipes as its descriptors 3 (commands) and 4 (replies)."""
        to_browser, self.commands = os.pipe()
        self.replies, from_browser = os.pipe()
        to_browser, from_browser = (_high(fd) for fd in (to_browser, from_browser))
        self.profile = tempfile.TemporaryDirectory()
        flags = [
            *("--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe"),
            *("--no-first-run", "--disable-extensions", "--disable-background-networking"),
            f"--user-data-dir={self.profile.name}",
            "about:blank",
        ]
        # a tiny exec wrapper moves the pipes onto 3 and 4 (no shell: dash cannot name fd 10+)
        wrapper = (
            f"import os; os.dup2({to_browser}, 3); os.dup2({from_browser}, 4); "
            f"os.execv({self.binary!r}, [{self.binary!r}, *{flags!r}])"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", wrapper],
            pass_fds=(to_browser, from_browser),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with contextlib.suppress(OSError, TimeoutError):
            self.send("Browser.close")
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.commands)
        os.close(self.replies)
        self.profile.cleanup()

    def visit(self, url: str) -> tuple[list[str], int]:
        """Load ``url``; the URLs it requested, and the document's laid-out width."""
        self.events.clear()
        self.send("Page.navigate", session=self.session, url=url)
        self.wait_for("Page.loadEventFired")
        requests = [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]
        found = self.send(
            "Runtime.evaluate",
            session=self.session,
            expression="document.documentElement.scrollWidth",
            returnByValue=True,
        )
        return requests, int(found["result"]["value"])

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its reply (events meanwhile are kept)."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_for(self, event: str) -> None:
        deadline = time.monotonic() + LOAD_LIMIT_S
        while not any(e.get("method") == event for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"Chromium sent no {event}")
            self.events.append(self._read())

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.replies], [], [], LOAD_LIMIT_S)
            chunk = os.read(self.replies, 65536) if ready else b""
            if not chunk:
                raise TimeoutError("Chromium stopped answering")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        parsed: dict[str, Any] = json.loads(message)
        return parsed


def _high(fd: int) -> int:
    """A copy of ``fd`` numbered 10 or more (the original is closed)."""
    copy = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return copy
