"""Serve notebooks with tools/slides.py and tools/app.py for the browser tests, and probe the pages.

- :func:`voila_server`: run ``python tools/slides.py NB`` or ``python tools/app.py NB``
  (the very commands a teacher types) on a free 127.0.0.1 port, with
  throw-away Jupyter config/runtime/data dirs; wait until it answers; stop it
  and its kernels afterwards. Raises :class:`ServerError` (with the server's
  log) when it cannot start: Voilà missing, reveal.js not installable, a
  notebook that does not exist.
- :func:`notebook_for_slides`: the notebook itself if it has slide metadata,
  else a temporary copy with the metadata tools/slide_meta.py writes.
- :func:`visible_state`, :func:`press_on_slider`, :func:`foreign_requests`:
  what the reader sees (numbers shown as text, the pixels of ipympl
  canvases, the markup of diagrams) inside one part of the page, moving a
  slider from the keyboard, and requests that left the machine.

The browser is the session's ``browser`` fixture (tests/browser/conftest.py,
:func:`lab.launch_chromium`), whose init script timestamps every draw of a
figure in ``window.__labProbe.draws``: a drawImage into an ipympl canvas, or
a new diagram in a ``.bp-scene`` (``helpers.diagram.Scene``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import nbformat

from . import lab

REPO_ROOT = lab.REPO_ROOT
TOOLS = REPO_ROOT / "tools"
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
#: Notebooks the slide and app tests serve: $VOILA_TEST_NOTEBOOKS (paths
#: separated by os.pathsep, relative to the repository) or notebook 01.
DEFAULT_NOTEBOOK = REPO_ROOT / "notebooks" / "01_forward_pass.ipynb"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: A figure on the page: an ipympl canvas or a diagram the browser draws.
FIGURE_SELECTOR = f"{lab.CANVAS_SELECTOR}, {lab.SCENE_SELECTOR}"


class ServerError(RuntimeError):
    """The server did not start or answer; message for humans, with its log."""


def notebooks_under_test() -> list[Path]:
    """The notebooks to serve, from $VOILA_TEST_NOTEBOOKS or the default."""
    listed = os.environ.get("VOILA_TEST_NOTEBOOKS", "").strip()
    if not listed:
        return [DEFAULT_NOTEBOOK]
    return [(REPO_ROOT / p).resolve() for p in listed.split(os.pathsep) if p.strip()]


# --------------------------------------------------------------------------- servers


@dataclass
class VoilaServer:
    url: str  # ends with "/"
    proc: subprocess.Popen
    tmp: Path
    log_path: Path

    def log_tail(self, n: int = 30) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-n:])


def start_voila(
    tool: str, notebook: Path, *, timeout: float = 150.0, env: dict[str, str] | None = None
) -> VoilaServer:
    """Start ``tools/<tool>`` (slides.py or app.py) on ``notebook``; return once it answers.

    ``env``: variables to set for the server and its kernels (PROJECTOR, say).

    Readiness is asked of Voilà's static files (and, for the slides, of
    reveal.css), never of the notebook page: each page load starts a kernel.
    """
    notebook = Path(notebook)  # or a folder of notebooks (the app view's landing page)
    if not notebook.exists():
        raise ServerError(f"{notebook} does not exist")
    tmp = Path(tempfile.mkdtemp(prefix=f"voila-{Path(tool).stem}-"))
    port = lab.free_port()
    cmd = [
        sys.executable,
        str(TOOLS / tool),
        str(notebook),
        f"--port={port}",
        "--port-retries=0",
        "--no-browser",
    ]
    log_path = tmp / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env={**lab.isolated_env(tmp), **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kernels go with it
        )
    server = VoilaServer(f"http://127.0.0.1:{port}/", proc, tmp, log_path)
    probes = ["voila/static/voila.js"]
    if tool == "slides.py":
        probes.append("reveal.js/dist/reveal.css")
    deadline = time.monotonic() + timeout
    pending = list(probes)
    while pending:
        if proc.poll() is not None:
            tail = server.log_tail()
            stop_voila(server)
            raise ServerError(f"{' '.join(cmd[1:])} exited with code {proc.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(server.url + pending[0], timeout=5) as r:
                if r.status == 200:
                    pending.pop(0)
                    continue
        except urllib.error.HTTPError as e:
            if e.code == 404 and proc.poll() is None and "reveal" in pending[0]:
                tail = server.log_tail()
                stop_voila(server)
                raise ServerError(f"the slides server does not serve reveal.js:\n{tail}") from e
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            tail = server.log_tail()
            stop_voila(server)
            raise ServerError(
                f"{' '.join(cmd[1:])} did not answer {server.url}{pending[0]} "
                f"within {timeout:g} s:\n{tail}"
            )
        time.sleep(0.25)
    return server


def stop_voila(server: VoilaServer, *, grace: float = 10.0) -> None:
    """SIGTERM (Voilà shuts its kernels down), SIGKILL if it hangs, then its process group."""
    lab.stop_server_process(server.proc, server.tmp, grace=grace)


@contextlib.contextmanager
def voila_server(tool: str, notebook: Path, **kwargs) -> Iterator[VoilaServer]:
    server = start_voila(tool, notebook, **kwargs)
    try:
        yield server
    finally:
        stop_voila(server)


def has_slide_metadata(notebook: Path) -> bool:
    nb = nbformat.read(notebook, as_version=4)
    return any("slide_type" in c.metadata.get("slideshow", {}) for c in nb.cells)


@contextlib.contextmanager
def notebook_for_slides(notebook: Path) -> Iterator[Path]:
    """``notebook`` if it has slide metadata, else a temporary copy with tools/slide_meta.py's."""
    if has_slide_metadata(notebook):
        yield notebook
        return
    sys.path.insert(0, str(TOOLS))
    try:
        import slide_meta
    finally:
        sys.path.remove(str(TOOLS))
    tmp = Path(tempfile.mkdtemp(prefix="slides-notebook-"))
    try:
        nb = nbformat.read(notebook, as_version=4)
        slide_meta.apply(nb)
        # notebooks/ beside helpers/, as in the course: the copy imports the helpers
        copy = tmp / "notebooks" / notebook.name
        copy.parent.mkdir()
        shutil.copy2(REPO_ROOT / "notebooks" / "helpers.py", copy.parent / "helpers.py")
        (tmp / "helpers").symlink_to(REPO_ROOT / "helpers", target_is_directory=True)
        nbformat.write(nb, copy)
        yield copy
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def code_lines(notebook: Path, min_length: int = 14) -> list[str]:
    """Distinctive lines of the notebook's code: in no markdown cell and no saved output."""
    nb = nbformat.read(notebook, as_version=4)
    elsewhere = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            elsewhere.append(cell.source)
        for output in cell.get("outputs", []):
            elsewhere.append(str(output.get("text", "")))
            elsewhere.extend(str(v) for v in output.get("data", {}).values())
    text = "\n".join(elsewhere)
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            line = line.strip()
            if len(line) >= min_length and not line.startswith("#") and line not in text:
                lines.append(line)
    return lines


# --------------------------------------------------------------------------- pages


def watch_requests(page) -> list[str]:
    """Record every URL the page requests (a list that grows as it loads)."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def foreign_requests(urls: list[str]) -> list[str]:
    """Requests to anything but this machine (data: and blob: URLs are local)."""
    local = {"127.0.0.1", "localhost", "::1", "[::1]"}
    return sorted(
        {
            u
            for u in urls
            if urlparse(u).scheme in ("http", "https", "ws", "wss")
            and urlparse(u).hostname not in local
        }
    )


# Numbers shown as text in the scope (slider readouts and the text inside
# diagrams apart: that is the figure), the pixels of its ipympl canvases and
# the markup of its diagrams.
_VISIBLE_STATE = r"""
([scopeSel, canvasSel, sceneRootSel]) => {
  const scope = document.querySelector(scopeSel);
  if (!scope) return null;
  const numbers = [], readouts = [];
  const re = /[-+\u2212]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;
  const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script, style, canvas, .bp-scene')) continue;
    if (!el.getClientRects().length) continue;
    const found = n.textContent.match(re);
    if (!found) continue;
    (el.closest('.widget-readout') ? readouts : numbers).push(...found);
  }
  for (const input of scope.querySelectorAll('.widget-readout input, input.widget-readout')) {
    readouts.push(input.value);
  }
  const canvases = [...scope.querySelectorAll(canvasSel)].map((c) => c.toDataURL());
  const scenes = [...scope.querySelectorAll(sceneRootSel)].map((s) => s.innerHTML);
  return { numbers, readouts, canvases, scenes, draws: window.__labProbe.draws.length };
}
"""


def visible_state(page, scope: str) -> dict:
    """Inside ``scope``: numbers shown as text (not in diagrams), slider readouts, hashes
    of the ipympl canvases' pixels (``canvas_hashes``) and of the diagrams' markup
    (``scene_hashes``); compare two with :func:`lab.figures_changed`."""
    data = page.evaluate(_VISIBLE_STATE, [scope, lab.CANVAS_SELECTOR, lab.SCENE_ROOT_SELECTOR])
    if data is None:
        raise AssertionError(f"nothing on the page matches {scope!r}")
    data["canvas_hashes"] = [_hash(u) for u in data.pop("canvases")]
    data["scene_hashes"] = [_hash(m) for m in data.pop("scenes")]
    return data


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def _aria(handle) -> tuple[float, float, float] | None:
    values = handle.evaluate(
        "(h) => ['aria-valuenow', 'aria-valuemin', 'aria-valuemax']"
        ".map((a) => parseFloat(h.getAttribute(a)))"
    )
    return None if any(v != v for v in values) else tuple(values)


def press_on_slider(page, handle, presses: int = 3, *, timeout: float = 15.0) -> list[str]:
    """Focus the slider's handle and press arrow keys, one at a time, waiting for each redraw.

    ArrowRight, or ArrowLeft once the slider is at its maximum. Returns the
    keys pressed. Raises AssertionError if a press brings no redraw.
    """
    handle.focus()
    keys = []
    for _ in range(presses):
        now = _aria(handle)
        key = "ArrowLeft" if now is not None and now[0] >= now[2] else "ArrowRight"
        before = page.evaluate("() => window.__labProbe.draws.length")
        page.keyboard.press(key)
        keys.append(key)
        try:
            page.wait_for_function(
                r"""([n, quiet]) => {
                  const d = window.__labProbe.draws;
                  return d.length > n && performance.now() - d[d.length - 1] > quiet;
                }""",
                arg=[before, 300],
                timeout=timeout * 1000,
                polling=50,
            )
        except Exception as e:
            raise AssertionError(
                f"no figure redrew (no ipympl canvas, no diagram) within {timeout:g} s "
                f"after pressing {key} on the slider"
            ) from e
    return keys


def screenshot(page, name: str) -> Path:
    path = SCREENSHOTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path
