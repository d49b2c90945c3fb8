"""A JavaScript package from npm, installed once under build/ and served from there.

The slides' reveal.js and the website's MathJax come this way: nothing is
fetched from a CDN while a page is shown.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path


class NpmError(RuntimeError):
    """The package could not be found or installed; message for humans."""


def installed_version(folder: Path) -> str | None:
    try:
        return json.loads((folder / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def missing(folder: Path, files) -> list[str]:
    return [name for name in files if not (folder / name).is_file()]


def ensure(name: str, version: str, prefix: Path, files) -> Path:
    """The folder of npm package ``name`` at ``version`` under ``prefix`` (holding
    every one of ``files``), installed with ``npm install --prefix`` if need be."""
    folder = prefix / "node_modules" / name
    if installed_version(folder) == version and not missing(folder, files):
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise NpmError(
            f"{name} {version} is not in {folder} and npm is not installed: install "
            f"Node.js and npm, or give a copy of the {name} package"
        )
    prefix.mkdir(parents=True, exist_ok=True)
    cmd = [
        npm,
        "install",
        "--prefix",
        str(prefix),
        "--no-audit",
        "--no-fund",
        "--no-save",
        "--loglevel=error",
        f"{name}@{version}",
    ]
    print(f"Installing {name} {version} into {prefix} (once)", file=sys.stderr)
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired as e:
        raise NpmError(f"{' '.join(cmd)} did not finish within 300 s") from e
    if done.returncode != 0:
        raise NpmError(
            f"{' '.join(cmd)} failed with code {done.returncode}:\n{done.stderr.strip()}"
        )
    found = installed_version(folder)
    if found != version or missing(folder, files):
        raise NpmError(
            f"npm ran, but {folder} holds {name} {found} without {missing(folder, files)}"
        )
    return folder
