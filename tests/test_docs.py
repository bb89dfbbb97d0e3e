"""The README cannot drift: its commands, options and exit codes exist, its example runs."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from rdflib import Graph

from rcsgraph.cli import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands() -> dict[str, list[list[str]]]:
    """Each subcommand's options, as the spellings of each (``["-p", "--param"]``)."""
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return {
        name: [a.option_strings for a in sub._actions if a.option_strings]
        for name, sub in action.choices.items()  # type: ignore[union-attr]
    }


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert re.search(r"^make run\b", first_block, re.M)
    assert re.search(r"^make test\b", first_block, re.M)


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_command_and_option_is_documented(command: str) -> None:
    usage = next(
        (line for line in README.splitlines() if line.startswith(f"rcsgraph {command}")), None
    )
    assert usage, f"README lacks a usage line for `rcsgraph {command}`"
    for spellings in subcommands()[command]:
        if "--help" not in spellings:
            assert any(re.search(re.escape(o) + r"(?![\w-])", usage) for o in spellings), (
                f"`rcsgraph {command} {spellings[-1]}` is not in README"
            )


def test_exit_codes_are_documented() -> None:
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in README


def test_readme_sparql_example_answers(graph: Graph) -> None:
    query = re.search(r"```sparql\n(.*?)```", README, re.S)
    assert query
    rows = list(graph.query(query.group(1)))
    assert [str(r[0]) for r in rows] == ["established in 1922"]  # type: ignore[index]


def test_every_setting_is_documented() -> None:
    from dataclasses import fields

    from rcsgraph.config import Settings

    internal = {"graphs"}  # files preloaded by tests, not a user setting
    for spec in fields(Settings):
        if spec.name not in internal:
            assert f"RCSGRAPH_{spec.name.upper()}" in README, spec.name


def test_every_canned_query_is_in_the_catalogue_table() -> None:
    from rcsgraph.queries import load_catalogue

    for name, query in load_catalogue().items():
        row = next((line for line in README.splitlines() if line.startswith(f"| `{name}` |")), "")
        assert row, f"README's catalogue table lacks {name}"
        for column in query.columns:
            assert column in row, f"README does not list {name}'s column {column}"


def test_the_add_an_article_walkthrough_runs(tmp_path: Path) -> None:
    """The shell lines of README's "Add an article" run, in order, in an empty folder."""
    section = README.split("\n## Add an article\n", 1)[1].split("\n## ", 1)[0]
    script = re.search(r"```sh\n(.*?)```", section, re.S)
    assert script
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script.group(1)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "established in 1950" in done.stdout
    assert (tmp_path / "second-article.ttl").read_bytes() == (
        ROOT / "tests" / "data" / "bundles" / "second-article.ttl"
    ).read_bytes()
