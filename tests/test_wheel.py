"""A wheel installed into a fresh virtual environment finds its ontology, data and shapes."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*command: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True)


@pytest.mark.slow
def test_installed_wheel_validates_the_bundled_data(tmp_path: Path) -> None:
    built = run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", "dist", ROOT, cwd=tmp_path
    )
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("rcsgraph-*.whl"))
    assert run(sys.executable, "-m", "venv", "venv", cwd=tmp_path).returncode == 0
    python = tmp_path / "venv" / "bin" / "python"
    installed = run(python, "-m", "pip", "install", "-q", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr

    where = run(
        python, "-c", "from rcsgraph import resources; print(resources.root())", cwd=tmp_path
    )
    assert where.stdout.strip().startswith(str(tmp_path / "venv")), where.stdout + where.stderr

    validated = run(tmp_path / "venv" / "bin" / "rcsgraph", "validate", cwd=tmp_path)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "conforms: yes" in validated.stdout
