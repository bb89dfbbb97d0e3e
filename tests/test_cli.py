"""The command line: exit codes, one-line errors, report formats, exports, summary."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from rcsgraph import resources
from rcsgraph.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the bundled data folder (Turtle files and the article text)."""
    target = tmp_path / "data"
    shutil.copytree(resources.root() / "data", target)
    return target


def test_bundled_data_conforms(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate")
    assert code == 0
    assert out.rstrip().splitlines()[-1].startswith("conforms: yes")


def test_removing_the_evidence_quotes_fails_with_the_violations(
    capsys: pytest.CaptureFixture[str], data_copy: Path
) -> None:
    article = data_copy / "article.ttl"
    text = article.read_text(encoding="utf-8")
    article.write_text(re.sub(r"\n\s*oa:exact [^\n]*;", "", text), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(article), str(data_copy / "links.ttl"))
    assert code == 1
    assert "VIOLATION" in out and "conforms: no" in out
    violations = json.loads(
        (main(["validate", "--format", "json", str(article)]), capsys.readouterr().out)[1]
    )["results"]
    quote_paths = {r["path"] for r in violations if r["severity"] == "Violation"}
    assert "http://www.w3.org/ns/oa#exact" in quote_paths


def test_broken_turtle_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:b "open .\n')
    code, out, err = run(capsys, "validate", str(broken))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"{broken}:3:" in err


def test_missing_file_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "absent.ttl"))
    assert code == 2 and err.strip().endswith("absent.ttl: no such file")


def test_not_utf8_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    binary = tmp_path / "latin1.ttl"
    binary.write_bytes(b'<http://a> <http://b> "caf\xe9" .\n')
    code, _, err = run(capsys, "validate", str(binary))
    assert code == 2 and "not UTF-8" in err


def test_usage_error_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["validate", "--format", "yaml"])
    assert stop.value.code == 2


@pytest.mark.parametrize("fmt", ["json", "turtle", "text"])
def test_report_formats(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(capsys, "validate", "--format", fmt)
    assert code == 0
    if fmt == "json":
        assert json.loads(out)["conforms"] is True
    elif fmt == "turtle":
        assert len(Graph().parse(data=out, format="turtle")) > 0


def test_export_to_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, graph: Graph) -> None:
    target = tmp_path / "dump.nt"
    code, out, _ = run(capsys, "export", "--format", "nt", "--output", str(target))
    assert code == 0 and out == ""
    assert len(Graph().parse(target, format="nt")) == len(graph)


def test_export_to_unwritable_place_is_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "export", "--output", str(tmp_path / "no" / "such" / "dir.ttl"))
    assert code == 2 and "cannot write" in err


def test_summary_counts_the_graph(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "summary")
    figures = dict(line.split() for line in out.splitlines() if re.match(r"^\w+\s+\d+$", line))
    assert code == 0
    assert figures["societies"] == "2" and figures["facilities"] == "13"
    assert figures["countries"] == "18" and figures["missions"] == "8"
    assert figures["awards"] == "2" and int(figures["claims"]) > 100


def test_console_script_never_prints_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle")
    script = Path(sys.executable).with_name("rcsgraph")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "rcsgraph.cli"]
    done = subprocess.run([*command, "validate", str(broken)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_the_cli_lists_the_export_and_report_formats_it_imports_lazily() -> None:
    from rcsgraph.cli import parser as cli
    from rcsgraph.graph import export

    assert tuple(export.FORMATS) == cli.EXPORT_FORMATS
    assert set(cli.REPORT_FORMATS) == {"text", "json", "turtle"}
