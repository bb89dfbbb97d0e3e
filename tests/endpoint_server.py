"""Live rcsgraph endpoints for tests, on free loopback ports, and a plain HTTP client for them.

``serving(**settings)`` runs ``create_app`` under waitress in a thread (real HTTP on 127.0.0.1,
real worker processes) and stops both afterwards. ``cli_serving(*args)`` runs ``rcsgraph serve``
as a subprocess instead. ``call`` sends exactly the request it is given: ``http.client`` adds no
Content-Type of its own, which the protocol tests need (they send bodies without one).
"""

import http.client
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import waitress
from waitress import wasyncore

from rcsgraph.config import Settings
from rcsgraph.web import create_app

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
    """``create_app(Settings(**overrides))`` under waitress on a free port, in a thread.

    Settings are built directly (not from the environment), so tests do not depend on
    ``RCSGRAPH_*`` variables of the machine they run on.
    """
    app = create_app(Settings(**overrides))
    try:
        server = waitress.create_server(
            app, host="127.0.0.1", port=0, threads=Settings(**overrides).threads, ident=None
        )
        thread = threading.Thread(target=server.run, name="waitress", daemon=True)
        thread.start()
        try:
            yield Endpoint(f"http://127.0.0.1:{server.effective_port}/sparql")
        finally:
            # Closing the sockets from the server's own loop (its trigger runs the function
            # there) ends the loop at once, and without a race with it.
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
            thread.join(10)
            server.task_dispatcher.shutdown()
    finally:
        app.extensions["rcsgraph"].pool.close()


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
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, text=True
    )
    endpoint = Endpoint(f"http://127.0.0.1:{port}/sparql")
    try:
        deadline = time.monotonic() + STARTUP_LIMIT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"rcsgraph serve stopped: {process.communicate()[1]}")
            try:
                endpoint.call("GET", headers={"Accept": "text/turtle"}, timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield endpoint
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
