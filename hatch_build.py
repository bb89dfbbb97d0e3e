"""Hatch build hook: a wheel carries the web pages' assets, built from the npm registry.

The world map's geometries and the SPARQL editor (CodeMirror 5) come from npm through
``package-lock.json`` and are never kept in the repository (``rcsgraph/web/static/vendor/`` is
git-ignored). Building a wheel runs ``npm ci`` and ``rcsgraph/web/assets.py``, as ``make`` does,
so that ``pip install .`` and ``python -m build`` give a server whose home page draws the map.
Without Node.js and npm, or when npm fails, the build fails: never a wheel without them. An
editable install (``pip install -e .``) is left to ``make``, which runs the same two steps.
"""

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: What the pages need from the build, under rcsgraph/web/static/vendor/ (see assets.FILES).
REQUIRED = ("world-atlas/countries-110m.json", "codemirror/lib/codemirror.js")


class AssetsBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """``npm ci`` and the assets copy before the wheel is assembled."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        npm = shutil.which("npm")
        if npm is None or shutil.which("node") is None:
            raise RuntimeError(
                "building the rcsgraph wheel needs Node.js 20 with npm (the map and the editor "
                "come from the npm registry through package-lock.json): install them and build "
                "again; a wheel without them would serve pages without a map"
            )
        self.app.display_info("rcsgraph: npm ci (web page assets from package-lock.json)")
        self._run([npm, "ci", "--no-audit", "--no-fund", "--silent"], root)
        assets = root / "rcsgraph" / "web" / "assets.py"
        self._run([sys.executable, str(assets), str(root / "node_modules")], root)
        vendor = root / "rcsgraph" / "web" / "static" / "vendor"
        missing = [name for name in REQUIRED if not (vendor / name).is_file()]
        if missing:
            raise RuntimeError(f"the asset build left out {', '.join(missing)} in {vendor}")

    @staticmethod
    def _run(command: list[str], cwd: Path) -> None:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}"
            )
