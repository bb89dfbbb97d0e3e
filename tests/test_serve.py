"""``rcsgraph serve``: granian processes sharing the port, and a graceful stop."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from endpoint_server import ROOT, Endpoint, Reply, free_port

pytestmark = pytest.mark.slow

#: Runs until the 2 s time limit stops it.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def start(*args: str) -> tuple["subprocess.Popen[bytes]", Endpoint]:
    port = free_port()
    command = [sys.executable, "-m", "rcsgraph.cli", "serve", "--port", str(port), *args]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = Endpoint(f"http://127.0.0.1:{port}/sparql")
    for _ in range(600):
        try:
            endpoint.call("GET", headers={"Accept": "text/turtle"}, timeout=5)
            return process, endpoint
        except OSError:
            assert process.poll() is None, "rcsgraph serve stopped"
            time.sleep(0.1)
    raise AssertionError("rcsgraph serve did not answer")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_answers_the_requests_in_flight_then_exits(sig: int) -> None:
    process, endpoint = start("--timeout", "2", "--processes", "2")
    replies: list[Reply] = []
    thread = threading.Thread(target=lambda: replies.append(endpoint.query(CARTESIAN)))
    thread.start()
    time.sleep(0.7)  # the query runs
    process.send_signal(sig)
    thread.join(30)
    try:
        assert process.wait(30) == 0
    finally:  # a server that did not stop must not outlive the test (and warn in another)
        if process.poll() is None:
            process.kill()
            process.wait(30)
    assert len(replies) == 1 and replies[0].status == 503  # answered (the time limit), not cut
    assert replies[0].headers["retry-after"]


def test_processes_share_the_port_and_each_has_its_workers() -> None:
    process, endpoint = start("--processes", "2", "--workers", "1")
    try:
        found = subprocess.run(
            ["ps", "-o", "pid=,ppid=", "--ppid", str(process.pid)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert len(found) >= 4  # two server processes, the fork server, the resource tracker
        for _ in range(20):
            assert endpoint.query("ASK {}").status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def test_the_processes_share_kept_answers_and_remove_them_as_they_stop() -> None:
    import tempfile
    from pathlib import Path

    process, endpoint = start("--processes", "2", "--workers", "1")
    try:
        ask = endpoint.path + "?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"
        tags = {endpoint.call("GET", ask).headers["etag"] for _ in range(20)}
        assert len(tags) == 1  # whichever process answered
        roots = [Path("/dev/shm"), Path(tempfile.gettempdir())]
        folders = [f for r in roots for f in r.glob(f"rcsgraph-answers-{process.pid}-*")]
        assert len(folders) == 1 and folders[0].stat().st_mode & 0o777 == 0o700
        assert list(folders[0].glob("*.answer"))
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    assert not folders[0].exists()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_while_it_starts_ends_it_quietly_with_every_process_it_started(sig: int) -> None:
    command = [sys.executable, "-m", "rcsgraph.cli", "serve", "--port", str(free_port())]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    for _ in range(600):  # its first child (the fork server's) means it is starting
        if children(process.pid):
            break
        time.sleep(0.01)
    process.send_signal(sig)
    _, said = process.communicate(timeout=30)
    assert process.returncode == 0
    assert b"Traceback" not in said
    _ends_with_the_server(process.pid, seconds=30)


def test_a_stop_as_it_forks_its_server_processes_ends_each_of_them() -> None:
    """granian stops its server processes as soon as it is stopped, which may be right after
    it forked them, before they handle signals: one such process once lost its SIGTERM and
    served on, and the stop waited for it until the kill timeout (35 s here)."""
    for _ in range(3):  # the moment is hit most times, not every time
        command = [sys.executable, "-m", "rcsgraph.cli", "serve", "--port", str(free_port())]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            forked = Path(f"/proc/{process.pid}/task/{process.pid}/children")
            deadline = time.monotonic() + 60
            # the resource tracker, the fork server, then the first server process
            while len(forked.read_text().split()) < 3 and time.monotonic() < deadline:
                assert process.poll() is None, "rcsgraph serve stopped"
                time.sleep(0.001)
            process.send_signal(signal.SIGTERM)
            assert process.wait(20) == 0
            _ends_with_the_server(process.pid, seconds=10)
        finally:  # a server that did not stop must not outlive the test
            if running_in_group(process.pid):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)


def _ends_with_the_server(group: int, seconds: float) -> None:
    """The fork server and what it started end with the server (process group ``group``)."""
    for _ in range(round(seconds * 10)):
        if not running_in_group(group):
            return
        time.sleep(0.1)
    raise AssertionError(f"left running: {running_in_group(group)}")


def children(pid: int) -> list[str]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return found.stdout.split()


def running_in_group(group: int) -> list[int]:
    """The processes of process group ``group`` that still run (not those that ended and
    wait to be reaped: that is up to whichever process adopted them)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def test_query_workers_do_not_run_the_main_script_again(tmp_path: Path) -> None:
    """A command script (as pip writes ``rcsgraph``) runs once, not once more per worker."""
    runs = tmp_path / "runs"
    script = tmp_path / "rcsgraph-script"
    script.write_text(
        "import os, sys\n"
        f"with open({str(runs)!r}, 'a') as f: f.write(f'{{os.getpid()}}\\n')\n"
        "from rcsgraph.cli import main\n"
        "if __name__ == '__main__':\n"
        "    sys.exit(main())\n"
    )
    port = free_port()
    command = [sys.executable, str(script), "serve", "--port", str(port), "--workers", "2"]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = Endpoint(f"http://127.0.0.1:{port}/sparql")
    try:
        for _ in range(600):
            try:
                if endpoint.query("ASK {}").status == 200:
                    break
            except OSError:
                assert process.poll() is None, "rcsgraph serve stopped"
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    assert runs.read_text().split() == [str(process.pid)]


def test_a_second_server_on_a_taken_port_is_refused_and_the_first_goes_on() -> None:
    """granian's socket lets the port be shared: without the check, a second server would
    answer part of the first one's requests."""
    process, endpoint = start("--processes", "1")
    try:
        port = endpoint.url.rsplit(":", 1)[1].split("/")[0]
        command = [sys.executable, "-m", "rcsgraph.cli", "serve", "--port", port]
        second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert second.returncode == 2
        assert second.stderr.count("\n") == 1 and f"127.0.0.1:{port}" in second.stderr
        assert "Traceback" not in second.stderr
        assert endpoint.query("ASK {}").status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def test_a_server_process_closes_its_query_workers_as_it_ends(tmp_path: Path) -> None:
    """granian's server processes are multiprocessing's, which end without running atexit:
    unclosed, the pool went on starting workers (a timed-out query's successor) as the process
    joined those it had, and the process waited for that one until the kill timeout."""
    import multiprocessing

    closed = tmp_path / "closed"
    process = multiprocessing.get_context("fork").Process(target=_serve_once, args=(closed,))
    process.start()
    process.join(60)
    if process.is_alive():
        process.kill()
        process.join()
    assert process.exitcode == 0
    assert closed.read_text() == "closed"


def _serve_once(closed: Path) -> None:
    """In a process as granian starts them: build the application, answer once, end."""
    from werkzeug.test import EnvironBuilder

    from rcsgraph.config import Settings
    from rcsgraph.sparql.executor import Pool
    from rcsgraph.web.server import app_for

    close = Pool.close

    def recorded(pool: Pool) -> None:
        closed.write_text("closed")
        close(pool)

    Pool.close = recorded  # type: ignore[method-assign]
    app = app_for(Settings(processes=1, workers=1))
    environ = EnvironBuilder(path="/sparql", query_string="query=ASK%7B%7D").get_environ()
    b"".join(app(environ, lambda status, headers, *rest: None))  # once its worker is ready


def test_a_warmed_server_process_leaves_what_it_holds_out_of_the_collector() -> None:
    """The pages are built, then what the process holds by then is frozen: the collector's
    full rounds no longer walk the modules and the application (``server._warm``)."""
    import gc

    from rcsgraph.web.server import Deferred, _warm

    built: list[object] = []
    pages = Deferred(lambda: built.append(object()) or built)
    try:
        _warm(pages)
        assert pages.app is built and len(built) == 1
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
