"""The package as users install it: ``python -m build`` (the sdist, then the wheel from it), the
wheel in a fresh virtual environment. It finds its ontology, data and shapes, and its home page
draws the map: the npm assets are built into the wheel (``hatch_build.py``), which refuses to
build without Node.js rather than leave them out."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*command: object, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    return subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, env=environment
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The venv/ folder of a fresh virtual environment with the wheel built from the sdist."""
    if shutil.which("npm") is None:
        pytest.skip("npm is absent: the wheel build needs Node.js 20 with npm")
    where = tmp_path_factory.mktemp("wheel")
    built = run(sys.executable, "-m", "build", "--outdir", where / "dist", ROOT, cwd=where)
    assert built.returncode == 0, built.stdout + built.stderr
    assert len(list((where / "dist").glob("rcsgraph-*.tar.gz"))) == 1
    wheel = next((where / "dist").glob("rcsgraph-*.whl"))
    assert run(sys.executable, "-m", "venv", "venv", cwd=where).returncode == 0
    python = where / "venv" / "bin" / "python"
    done = run(python, "-m", "pip", "install", "-q", wheel, cwd=where)
    assert done.returncode == 0, done.stderr
    yield where / "venv"


@pytest.mark.slow
def test_installed_wheel_validates_the_bundled_data(installed: Path) -> None:
    python = installed / "bin" / "python"
    where = run(
        python, "-c", "from rcsgraph import resources; print(resources.root())", cwd=installed
    )
    assert where.stdout.strip().startswith(str(installed)), where.stdout + where.stderr

    validated = run(installed / "bin" / "rcsgraph", "validate", cwd=installed.parent)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "conforms: yes" in validated.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_a_user_installing_the_wheel_sees_the_map_on_its_home_page(installed: Path) -> None:
    """Issue 16, item 12: ``rcsgraph serve`` from the fresh environment draws the map, and
    serves the editor's CodeMirror, from files inside the wheel."""
    port = free_port()
    server = subprocess.Popen(
        [installed / "bin" / "rcsgraph", "serve", "--port", str(port), "--workers", "1"],
        cwd=installed.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        home = _wait_for(f"http://127.0.0.1:{port}/", server)
        assert '<svg class="worldmap"' in home and "map-unavailable" not in home
        script = f"http://127.0.0.1:{port}/static/vendor/codemirror/lib/codemirror.js"
        with urllib.request.urlopen(script, timeout=30) as response:
            assert b"CodeMirror" in response.read()
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 120
    while True:
        if server.poll() is not None:
            raise AssertionError(f"rcsgraph serve stopped: {server.communicate()[1]!r}")
        try:
            request = urllib.request.Request(url, headers={"Accept": "text/html"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.mark.slow
def test_a_wheel_build_without_node_fails_loudly(tmp_path: Path) -> None:
    """Issue 16, item 12: no npm on PATH: no wheel, and a message that says what is missing."""
    empty = tmp_path / "bin"
    empty.mkdir()
    built = run(
        sys.executable,
        "-m",
        "build",
        "--wheel",
        "--outdir",
        tmp_path / "dist",
        ROOT,
        cwd=tmp_path,
        PATH=str(empty),
    )
    assert built.returncode != 0
    assert "needs Node.js 20 with npm" in built.stdout + built.stderr
    assert not list(tmp_path.glob("dist/*.whl"))
