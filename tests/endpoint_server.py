"""Live rcsgraph endpoints for tests, on free loopback ports, and a plain HTTP client for them.

``serving(**settings)`` runs the server of ``rcsgraph serve`` (granian, real HTTP on 127.0.0.1,
real worker processes) in a subprocess and stops it afterwards; ``cli_serving(*args)`` runs
``rcsgraph serve`` itself. ``call`` sends exactly the request it is given: ``http.client`` adds no
Content-Type of its own, which the protocol tests need (they send bodies without one).
"""

import http.client
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from rcsgraph.config import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
W3C = SHARED / "w3c" / "sparql11"

#: How long a subprocess server may take to answer its first request.
STARTUP_LIMIT_S = 60.0


def w3c_or_skip(*parts: str) -> Path:
    """A folder of the W3C SPARQL 1.1 tests; skips the calling module when it is absent."""
    path = W3C.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is absent: the W3C conformance tests need ../shared/w3c beside the "
            "repository (it exists beside project checkouts and in CI)",
            allow_module_level=True,
        )
    return path


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Endpoint:
    """A running server: its ``/sparql`` URL."""

    url: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def call(
        self,
        method: str,
        target: str | None = None,
        body: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 60.0,
    ) -> Reply:
        """Send one request; ``target`` is a path with its query string (default: /sparql)."""
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            data = body.encode("utf-8") if isinstance(body, str) else body
            connection.request(method, target or parts.path, body=data, headers=dict(headers or {}))
            response = connection.getresponse()
            found = {name.lower(): value for name, value in response.getheaders()}
            return Reply(response.status, found, response.read())
        finally:
            connection.close()

    def get(self, params: Mapping[str, str] | None = None, **headers: str) -> Reply:
        """GET /sparql?params; header names with underscores (``Accept``, ``Authorization``)."""
        target = self.path + ("?" + urlencode(params) if params else "")
        return self.call("GET", target, headers=_headers(headers))

    def query(self, text: str, accept: str | None = None, **params: str) -> Reply:
        """A query sent as POST ``application/sparql-query``."""
        headers = {"Content-Type": "application/sparql-query"}
        if accept:
            headers["Accept"] = accept
        target = self.path + ("?" + urlencode(params) if params else "")
        return self.call("POST", target, text, headers)

    def update(self, text: str, token: str | None = None, **params: str) -> Reply:
        """An update sent as POST ``application/sparql-update``, with a bearer token if given."""
        headers = {"Content-Type": "application/sparql-update"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        target = self.path + ("?" + urlencode(params) if params else "")
        return self.call("POST", target, text, headers)


def _headers(given: Mapping[str, str]) -> dict[str, str]:
    return {name.replace("_", "-"): value for name, value in given.items()}


@contextmanager
def serving(**overrides: Any) -> Iterator[Endpoint]:
    """The HTTP server of ``rcsgraph serve`` (granian) over ``Settings(**overrides)``, in a
    process forked from this one, on a free port; stopped (SIGTERM, its graceful shutdown)
    afterwards. Forked, it shares this process's hash seed, so answers that rdflib serializes
    come out in the same order as here.

    Settings are built directly (not from the environment), so tests do not depend on
    ``RCSGRAPH_*`` variables of the machine they run on; one server process unless
    ``processes`` is given, so that a test's worker count is the server's.
    """
    settings = Settings(**{"processes": 1, **overrides})
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="rcsgraph-serving-") as folder:
        log = Path(folder) / "server.log"
        process = multiprocessing.get_context("fork").Process(
            target=_serve, args=(settings, port, log), name="rcsgraph-serving"
        )
        process.start()
        try:
            yield _started(lambda: process.exitcode is not None, port, log)
        finally:
            process.terminate()
            process.join(20)
            if process.is_alive():
                process.kill()
                process.join()


def _serve(settings: Settings, port: int, log: Path) -> None:
    from rcsgraph.web.server import serve

    with log.open("wb") as out:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
    serve(settings, "127.0.0.1", port)


def _started(stopped: Callable[[], bool], port: int, log: Path) -> Endpoint:
    """The endpoint on ``port`` once it answers (or the error the server stopped with)."""
    endpoint = Endpoint(f"http://127.0.0.1:{port}/sparql")
    deadline = time.monotonic() + STARTUP_LIMIT_S
    while True:
        if stopped():
            raise RuntimeError(f"the server stopped: {log.read_text(errors='replace')}")
        try:
            endpoint.call("GET", headers={"Accept": "text/turtle"}, timeout=5)
            return endpoint
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def cli_serving(*args: str) -> Iterator[Endpoint]:
    """``rcsgraph serve --port N ARGS`` as a subprocess, stopped afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "rcsgraph.cli", "serve", "--port", str(port), *args]
    with tempfile.TemporaryDirectory(prefix="rcsgraph-serve-") as folder:
        log = Path(folder) / "server.log"
        with log.open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=out, cwd=ROOT)
        try:
            yield _started(lambda: process.poll() is not None, port, log)
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
