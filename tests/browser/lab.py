"""Drive course notebooks in a real JupyterLab from headless Chromium.

Reusable machinery for ``tests/browser`` and ``benchmarks/bench_latency.py``:

- :func:`start_lab` / :func:`stop_lab` (or :func:`lab_server`): a throw-away
  ``jupyter lab`` from this very Python environment on a free 127.0.0.1 port,
  with temporary Jupyter config/runtime/data dirs, so the developer's home
  plays no part. Autosave is off in those temporary user settings: running a
  notebook in the tests never writes it back to disk; Lab's checkpoints go to
  the temporary dir too, not to ``.ipynb_checkpoints/`` next to the notebooks.
- :func:`launch_chromium`: Debian's ``/usr/bin/chromium`` through Playwright
  (sync API), headless, with a fresh profile and :data:`INIT_SCRIPT`, which
  timestamps key presses and figure draws: a drawImage into an ipympl
  canvas, or a new diagram in a ``.bp-scene`` (:class:`helpers.diagram.Scene`).
- :func:`open_notebook`, :func:`run_all_cells`, :func:`execute`, :func:`cell_problems`,
  :func:`choose_slider`, :func:`snapshot`, :func:`figures_changed`, :func:`press_and_wait`,
  :func:`measure_latency`, :func:`screenshot`, :func:`close_notebook`.

Which slider is moved (:func:`choose_slider`), in this order:

1. the first slider on the page with the CSS class ``drives-figure``
   (``slider.add_class("drives-figure")`` in the notebook);
2. otherwise the first slider whose cell output also shows a figure: an
   ipympl canvas (``widgets.VBox([slider, ..., fig.canvas])``) or a network
   diagram (an element with the class ``bp-scene``);
3. otherwise the first slider on the page.

Everything that goes wrong raises :class:`LabError` with a message meant
for humans; the tests turn it into ``pytest.fail``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

REPO_ROOT = Path(__file__).resolve().parents[2]
OVERRIDES_SOURCE = REPO_ROOT / "tools" / "lab-overrides.json"
CHROMIUM = "/usr/bin/chromium"
# Without the
# networking flags Chromium keeps trying hosts it cannot reach. --no-sandbox
# because the tests run as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 900}
CANVAS_SELECTOR = ".jupyter-matplotlib-canvas-div canvas"
# A diagram the browser draws (helpers.diagram.Scene): the widget has the class
# bp-scene, its markup's root element the class bp-scene-root.
SCENE_SELECTOR = ".bp-scene"
SCENE_ROOT_SELECTOR = ".bp-scene .bp-scene-root"
SLIDER_SELECTOR = ".jp-Notebook .widget-slider"
HANDLE_SELECTOR = ".noUi-handle"
TAG_CLASS = "drives-figure"

# User settings written into the temporary JUPYTER_CONFIG_DIR: no autosave
# (running cells marks the notebook dirty; it must never be written back) and
# no news popup over the screenshots.
USER_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

# Timestamps, in performance.now() milliseconds, every keydown (capture phase,
# so before the slider sees it) and every draw of a figure:
# - a drawImage into an ipympl canvas (at the call);
# - a new diagram in a `.bp-scene` (helpers.diagram.Scene, an ipywidgets.HTML
#   whose content the browser replaces on every step): a MutationObserver sees
#   the nodes or text change inside it and pushes one timestamp per callback,
#   taken when the callback runs (the microtask right after the change, before
#   the browser lays the diagram out and paints it, as drawImage is timed).
# The script runs before the page's own scripts, when there is no <body> yet:
# the observer watches `document` itself, which already exists, so nothing
# is missed.
INIT_SCRIPT = r"""
(() => {
  if (window.__labProbe) return;
  const probe = { keydowns: [], draws: [], pointers: [] };
  window.__labProbe = probe;
  window.addEventListener('keydown', (e) => {
    probe.keydowns.push({ t: performance.now(), key: e.key });
  }, true);
  for (const type of ['pointerdown', 'pointerup']) {
    window.addEventListener(type, () => probe.pointers.push({ t: performance.now(), type }), true);
  }
  const original = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const c = this.canvas;
    if (c && c.closest && c.closest('.jupyter-matplotlib-canvas-div')) {
      probe.draws.push(performance.now());
    }
    return original.apply(this, args);
  };
  const inScene = (node) => {
    const el = node && (node.nodeType === 1 ? node : node.parentElement);
    return !!(el && el.closest('.bp-scene'));
  };
  new MutationObserver((mutations) => {
    const t = performance.now();
    for (const m of mutations) {
      if (inScene(m.target)) {
        probe.draws.push(t);
        return;
      }
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();
"""

# Finds the notebook panel showing `path` through window.jupyterapp (the
# server runs with --LabApp.expose_app_in_browser=True).
_FIND_PANEL = r"""
const findPanel = (path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content && w.sessionContext) return w;
  }
  return null;
};
const kernelStatus = (panel) => {
  const s = panel.sessionContext.session;
  return s && s.kernel ? s.kernel.status : 'none';
};
"""


class LabError(RuntimeError):
    """Something in Lab, the browser or the notebook did not work; message for humans."""


# --------------------------------------------------------------------------- server


@dataclass
class LabServer:
    url: str  # ends with "/"
    root_dir: Path
    proc: subprocess.Popen
    tmp: Path
    log_path: Path

    def log_tail(self, n: int = 40) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-n:])


def saved_pictures(notebook):
    """How many outputs of the saved notebook carry a dashboard's still picture."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(
        "bp-still" in "".join(output.get("data", {}).get("text/html", ""))
        for cell in cells
        for output in cell.get("outputs", [])
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_overrides(source: Path = OVERRIDES_SOURCE) -> Path:
    """Make <sys.prefix>/share/jupyter/lab/settings/overrides.json carry our settings.

    Written only if missing or different. Settings of other plugins that are
    already in that file are kept; ours win for the plugins we set.
    """
    wanted = json.loads(source.read_text())
    target = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    current: dict = {}
    if target.exists():
        try:
            current = json.loads(target.read_text())
        except (OSError, ValueError):
            current = {}
    merged = {**current, **wanted} if isinstance(current, dict) else dict(wanted)
    if not target.exists() or current != merged:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(merged, indent=2) + "\n")
    return target


def isolated_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Nothing from the developer's own Jupyter setup.
    for var in (
        "JUPYTER_PATH",
        "JUPYTER_CONFIG_PATH",
        "JUPYTERLAB_DIR",
        "JUPYTERLAB_SETTINGS_DIR",
        "JUPYTERLAB_WORKSPACES_DIR",
        "JUPYTER_TOKEN",
    ):
        env.pop(var, None)
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_DATA_DIR", "data"),
        ("IPYTHONDIR", "ipython"),
    ):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(tmp / sub)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _write_user_settings(config_dir: Path) -> None:
    for plugin, values in USER_SETTINGS.items():
        path = config_dir / "lab" / "user-settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def start_lab(root_dir: Path = REPO_ROOT, *, timeout: float = 90.0) -> LabServer:
    """Start `jupyter lab` rooted at `root_dir`; return once /api/status answers."""
    ensure_overrides()
    tmp = Path(tempfile.mkdtemp(prefix="lab-browser-tests-"))
    env = isolated_env(tmp)
    _write_user_settings(Path(env["JUPYTER_CONFIG_DIR"]))
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
        # Lab makes a checkpoint of every notebook it opens; keep them out of the repo
        # (an absolute checkpoint_dir is joined as is).
        f"--FileCheckpoints.checkpoint_dir={tmp / 'checkpoints'}",
    ]
    log_path = tmp / "lab.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=root_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kernels go with it
        )
    server = LabServer(f"http://127.0.0.1:{port}/", Path(root_dir), proc, tmp, log_path)
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            tail = server.log_tail()
            stop_lab(server)
            raise LabError(f"jupyter lab exited with code {proc.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(server.url + "api/status", timeout=2) as r:
                if r.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            tail = server.log_tail()
            stop_lab(server)
            raise LabError(
                f"jupyter lab did not answer {server.url}api/status within {timeout:g} s:\n{tail}"
            )
        time.sleep(0.25)


def stop_lab(server: LabServer, *, grace: float = 10.0) -> None:
    """Terminate the server (it shuts its kernels down), kill it if it hangs."""
    stop_server_process(server.proc, server.tmp, grace=grace)


def stop_server_process(proc: subprocess.Popen, tmp: Path, *, grace: float = 10.0) -> None:
    """SIGTERM a server started in its own process group, SIGKILL if it hangs, then the
    rest of its group (a stuck kernel); remove its temporary folder."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    # Whatever is left in the server's own process group (a stuck kernel).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def lab_server(root_dir: Path = REPO_ROOT, **kwargs) -> Iterator[LabServer]:
    server = start_lab(root_dir, **kwargs)
    try:
        yield server
    finally:
        stop_lab(server)


# --------------------------------------------------------------------------- browser


@dataclass
class Chromium:
    playwright: object
    context: object  # playwright BrowserContext (persistent, fresh profile)
    profile: Path
    _closed: bool = field(default=False, repr=False)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self.context.close()
        with contextlib.suppress(Exception):
            self.playwright.stop()
        shutil.rmtree(self.profile, ignore_errors=True)


def launch_chromium(*, headless: bool = True) -> Chromium:
    """Start Playwright and Debian's chromium with a fresh profile and INIT_SCRIPT."""
    if not Path(CHROMIUM).exists():
        raise LabError(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        raise LabError(f"playwright is not installed in {sys.prefix}: {e}") from e
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    pw = sync_playwright().start()
    try:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=headless,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
        )
        context.add_init_script(INIT_SCRIPT)
    except Exception as e:
        with contextlib.suppress(Exception):
            pw.stop()
        shutil.rmtree(profile, ignore_errors=True)
        raise LabError(f"chromium ({CHROMIUM}) could not start: {e}") from e
    return Chromium(pw, context, profile)


@contextlib.contextmanager
def chromium(**kwargs) -> Iterator[Chromium]:
    browser = launch_chromium(**kwargs)
    try:
        yield browser
    finally:
        browser.close()


# --------------------------------------------------------------------------- notebooks


def relpath_in(server: LabServer, notebook: Path) -> str:
    try:
        return Path(notebook).resolve().relative_to(server.root_dir.resolve()).as_posix()
    except ValueError as e:
        raise LabError(f"{notebook} is not under Lab's root dir {server.root_dir}") from e


def _state(page, path: str) -> dict:
    return page.evaluate(
        "(path) => {"
        + _FIND_PANEL
        + r"""
        const panel = findPanel(path);
        const dialog = document.querySelector('.jp-Dialog');
        if (!panel) return { panel: false, dialog: dialog ? dialog.innerText : null };
        const cells = [];
        const model = panel.content.model;
        for (let i = 0; model && i < model.cells.length; i++) {
          const c = model.cells.get(i);
          if (c.type !== 'code') continue;
          const outputs = c.outputs ? c.outputs.toJSON() : [];
          cells.push({
            index: i,
            empty: c.sharedModel.getSource().trim() === '',
            count: c.executionCount,
            running: c.executionState === 'running',
            error: outputs.some((o) => o.output_type === 'error'),
          });
        }
        return {
          panel: true,
          ready: panel.context.isReady,
          kernel: kernelStatus(panel),
          dialog: dialog ? dialog.innerText : null,
          cells,
        };
      }""",
        path,
    )


def _poll(page, path: str, done, what: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    state: dict = {}
    while time.monotonic() < deadline:
        state = _state(page, path)
        if state.get("dialog"):
            text = " ".join(state["dialog"].split())
            if text.startswith("Select Kernel"):
                # A notebook without kernelspec: accept Lab's default kernel.
                page.locator(".jp-Dialog .jp-mod-accept").first.click()
            else:
                raise LabError(f"Lab shows a dialog while {what}: {text[:300]}")
        elif done(state):
            return state
        page.wait_for_timeout(200)
    raise LabError(f"timed out after {timeout:.0f} s {what}; last state: {json.dumps(state)[:800]}")


def open_notebook(browser: Chromium, server: LabServer, notebook: Path, *, timeout: float = 60.0):
    """Open `notebook` in a new page (`?reset`: no tabs from earlier) with its kernel idle."""
    path = relpath_in(server, notebook)
    page = browser.context.new_page()
    page.set_default_timeout(timeout * 1000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"uncaught exception: {e}"))
    page.on(
        "console",
        lambda m: errors.append(f"console.error: {m.text}") if m.type == "error" else None,
    )
    page._lab_js_errors = errors  # read by js_problems()
    page.goto(f"{server.url}lab/tree/{quote(path)}?reset")
    try:
        page.wait_for_function("() => !!window.jupyterapp", timeout=timeout * 1000)
    except Exception as e:
        raise LabError(f"Lab did not load in the browser within {timeout:.0f} s: {e}") from e
    _poll(
        page,
        path,
        lambda s: s.get("panel") and s.get("ready") and s.get("kernel") == "idle",
        f"opening {path} and starting its kernel",
        timeout,
    )
    # Errors raised in widget callbacks (slider observers) do not show in any
    # cell: Lab sends them to its log console. Record them from iopub.
    page.evaluate(
        "(path) => {"
        + _FIND_PANEL
        + r"""
        const panel = findPanel(path);
        const probe = window.__labProbe;
        probe.kernelErrors = probe.kernelErrors || [];
        probe.kernelStderr = probe.kernelStderr || [];
        panel.sessionContext.iopubMessage.connect((_, msg) => {
          const type = msg.header.msg_type, parent = (msg.parent_header || {}).msg_type;
          if (type === 'error') {
            const text = `${msg.content.ename}: ${msg.content.evalue}`;
            probe.kernelErrors.push({ parent, text });
          } else if (type === 'stream' && msg.content.name === 'stderr'
                     && parent !== 'execute_request') {
            probe.kernelStderr.push({ parent, text: msg.content.text });
          }
        });
      }""",
        path,
    )
    autosave = page.evaluate(
        """async () => {
          const s = await window.jupyterapp.serviceManager.settings.fetch(
            '@jupyterlab/docmanager-extension:plugin');
          return s.settings ? s.settings.autosave : (s.composite || {}).autosave;
        }"""
    )
    if autosave is not False:
        raise LabError(f"autosave is {autosave!r} in the test Lab: it would write notebooks back")
    return page


def run_all_cells(page, notebook_path: str, *, timeout: float = 120.0) -> dict:
    """Clear outputs, Run > Run All Cells, wait until every code cell ran and the kernel is idle.

    Stops waiting early when a cell shows an error (Lab then skips the rest).
    """
    page.evaluate(
        "async (path) => {"
        + _FIND_PANEL
        + r"""
        const panel = findPanel(path);
        window.jupyterapp.shell.activateById(panel.id);
        panel.content.activate();
        await window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs');
        // Not awaited: the poll below watches the cells and the kernel.
        window.jupyterapp.commands.execute('notebook:run-all-cells');
      }""",
        notebook_path,
    )
    quiet_since = [None]

    def done(s: dict) -> bool:
        cells = [c for c in s["cells"] if not c["empty"]]
        busy = s["kernel"] != "idle" or any(c["running"] for c in cells)
        finished = all(c["count"] is not None for c in cells) or any(c["error"] for c in cells)
        if busy or not finished:
            quiet_since[0] = None
            return False
        # idle twice in a row, half a second apart: comm messages may still follow
        if quiet_since[0] is None:
            quiet_since[0] = time.monotonic()
            return False
        return time.monotonic() - quiet_since[0] >= 0.5

    return _poll(page, notebook_path, done, f"running all cells of {notebook_path}", timeout)


def execute(page, notebook_path: str, code: str) -> str:
    """Run ``code`` in the notebook's kernel, as a cell would but without showing it;
    return what it printed. Raises LabError with the kernel's error, if any."""
    out = page.evaluate(
        "async ([path, code]) => {"
        + _FIND_PANEL
        + r"""
        const panel = findPanel(path);
        const kernel = panel.sessionContext.session.kernel;
        const future = kernel.requestExecute({ code, store_history: false });
        const out = [];
        let error = null;
        future.onIOPub = (msg) => {
          const t = msg.header.msg_type;
          if (t === 'stream') out.push(msg.content.text);
          else if (t === 'error') error = msg.content.ename + ': ' + msg.content.evalue;
        };
        await future.done;
        return { out: out.join(''), error };
      }""",
        [notebook_path, code],
    )
    if out["error"]:
        raise LabError(f"the kernel raised {out['error']} running:\n{code}")
    return out["out"]


def cell_problems(page, notebook_path: str) -> dict:
    """Outputs that signal trouble: {'errors': [...], 'stderr': [...]} (cell index + text)."""
    return page.evaluate(
        "(path) => {"
        + _FIND_PANEL
        + r"""
        const panel = findPanel(path);
        const model = panel.content.model;
        const errors = [], stderr = [];
        for (let i = 0; i < model.cells.length; i++) {
          const c = model.cells.get(i);
          if (c.type !== 'code' || !c.outputs) continue;
          for (const o of c.outputs.toJSON()) {
            if (o.output_type === 'error') {
              errors.push({ cell: i, text: `${o.ename}: ${o.evalue}` });
            } else if (o.output_type === 'stream' && o.name === 'stderr') {
              const t = Array.isArray(o.text) ? o.text.join('') : o.text;
              stderr.push({ cell: i, text: t });
            }
          }
        }
        return { errors, stderr };
      }""",
        notebook_path,
    )


# console.error messages that mean a widget did not render. Others are printed,
# not failed on: ipympl 0.10 sometimes logs "Error setting state: Failed to
# execute 'drawImage' ... 'broken' state" when a frame arrives while the
# previous one is still decoding. The dashboards send whole frames (see
# helpers/painter.py), so the next frame draws and nothing stays stale.
FATAL_CONSOLE = ("Could not create a view", "Error displaying widget", "Failed to load model class")


def js_problems(page) -> dict:
    """{'fatal': [...], 'other': [...]} from the page so far.

    Fatal: uncaught exceptions, console errors of widgets that failed to
    render, and "Error displaying widget" shown in an output. Other: any
    other console.error.
    """
    fatal, other = [], []
    for e in getattr(page, "_lab_js_errors", []):
        uncaught = e.startswith("uncaught")
        (fatal if uncaught or any(m in e for m in FATAL_CONSOLE) else other).append(e)
    shown = page.evaluate(
        """() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
              .map((o) => o.textContent)
              .filter((t) => t.includes('Error displaying widget'))"""
    )
    fatal += [f"an output shows: {t.strip()[:200]}" for t in shown]
    return {"fatal": fatal, "other": other}


def callback_problems(page) -> dict:
    """Errors and stderr the kernel sent outside cell execution (e.g. from slider observers)."""
    return page.evaluate(
        "() => ({ errors: window.__labProbe.kernelErrors || [],"
        " stderr: window.__labProbe.kernelStderr || [] })"
    )


# Each kind of text a class reads, and the page variable that sets its size
# (helpers.plots.page_style scales them all for a projector).
TEXT_KINDS = {
    "prose": (".jp-RenderedMarkdown p", "--jp-content-font-size1"),
    "code": (".jp-CodeCell .cm-content", "--jp-code-font-size"),
    "a slider label": (".widget-slider .widget-label", "--jp-widgets-font-size"),
    "a slider readout": (".widget-readout", "--jp-widgets-font-size"),
    "the text with a figure": (".widget-html-content:not(.bp-scene *)", "--jp-widgets-font-size"),
}


def text_not_scaled(page, scale: float, kinds=tuple(TEXT_KINDS)) -> list[str]:
    """The kinds of text (of :data:`TEXT_KINDS`) on the page that are missing or smaller
    than ``scale`` times their usual size, as messages."""
    from helpers.plots import _PAGE_SIZES

    sizes = page.evaluate(
        """(selectors) => selectors.map((sel) => {
          const e = [...document.querySelectorAll(sel)]
            .find((x) => x.getClientRects().length && x.textContent.trim());
          return e ? parseFloat(getComputedStyle(e).fontSize) : null;
        })""",
        [TEXT_KINDS[k][0] for k in kinds],
    )
    found = []
    for kind, size in zip(kinds, sizes):
        base = _PAGE_SIZES[TEXT_KINDS[kind][1]]
        if size is None:
            found.append(f"no {kind} on the page")
        elif size < 0.95 * base * scale:
            found.append(f"{kind} is {size:.1f} px, not {base} × {scale}")
    return found


def widget_census(page) -> dict:
    """How many sliders, ipympl canvases and diagrams (``.bp-scene``) the notebook shows;
    ``figures`` is canvases + scenes."""
    census = page.evaluate(
        """([slider, scene]) => ({
          sliders: document.querySelectorAll(slider).length,
          canvases: document.querySelectorAll('.jp-Notebook .jupyter-matplotlib-canvas-div').length,
          scenes: document.querySelectorAll('.jp-Notebook ' + scene).length,
        })""",
        [SLIDER_SELECTOR, SCENE_SELECTOR],
    )
    census["figures"] = census["canvases"] + census["scenes"]
    return census


def choose_slider(page) -> int | None:
    """Index (among SLIDER_SELECTOR matches) of the slider to move; see the module docstring."""
    return page.evaluate(
        r"""([sel, tag, scene]) => {
          const sliders = [...document.querySelectorAll(sel)];
          if (!sliders.length) return null;
          let i = sliders.findIndex((s) => s.classList.contains(tag));
          if (i >= 0) return i;
          i = sliders.findIndex((s) => {
            const area = s.closest('.jp-OutputArea');
            return area && area.querySelector('.jupyter-matplotlib-canvas-div, ' + scene);
          });
          return i >= 0 ? i : 0;
        }""",
        [SLIDER_SELECTOR, TAG_CLASS, SCENE_SELECTOR],
    )


def slider_description(page, index: int) -> str:
    """The slider's label (its `description`), for messages."""
    text = (
        page.locator(SLIDER_SELECTOR)
        .nth(index)
        .evaluate(
            "(s) => { const l = s.querySelector('.widget-label'); return l ? l.innerText : ''; }"
        )
    )
    return f"slider #{index} {text.strip()!r}" if text.strip() else f"slider #{index}"


def slider_handle(page, index: int):
    return page.locator(SLIDER_SELECTOR).nth(index).locator(HANDLE_SELECTOR).first


def snapshot(page) -> dict:
    """What the reader sees, for comparing before and after a slider moves.

    - ``numbers``: numbers in the outputs' visible text, except slider
      readouts and the text inside diagrams (that belongs to the figure: a
      diagram whose labels change while the dashboard's text stays the same
      must not pass as "a number shown as text changed");
    - ``readouts``: the sliders' readouts;
    - ``canvas_hashes``: a hash of each ipympl canvas's pixels;
    - ``scene_hashes``: a hash of each diagram's markup (``.bp-scene-root``);
    - ``draws``: how many figure draws the page has seen so far.
    """
    data = page.evaluate(
        r"""([canvasSel, sceneRootSel]) => {
          const numbers = [], readouts = [];
          const re = /[-+\u2212]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;
          const areas = document.querySelectorAll('.jp-Notebook .jp-OutputArea-output');
          for (const area of areas) {
            const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              const el = n.parentElement;
              if (!el || el.closest('script, style, canvas, .bp-scene')) continue;
              if (!el.getClientRects().length) continue;  // display: none
              const found = n.textContent.match(re);
              if (!found) continue;
              (el.closest('.widget-readout') ? readouts : numbers).push(...found);
            }
            const inputs = area.querySelectorAll('.widget-readout input, input.widget-readout');
            for (const input of inputs) readouts.push(input.value);
          }
          const canvases = [...document.querySelectorAll(canvasSel)].map((c) => c.toDataURL());
          const scenes = [...document.querySelectorAll(sceneRootSel)].map((s) => s.innerHTML);
          return { numbers, readouts, canvases, scenes, draws: window.__labProbe.draws.length };
        }""",
        [CANVAS_SELECTOR, SCENE_ROOT_SELECTOR],
    )
    data["canvas_hashes"] = [_hash(u) for u in data.pop("canvases")]
    data["scene_hashes"] = [_hash(m) for m in data.pop("scenes")]
    return data


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def figures_changed(before: dict, after: dict) -> bool:
    """True if an ipympl canvas's pixels or a diagram's markup differ between two snapshots."""
    return (
        before["canvas_hashes"] != after["canvas_hashes"]
        or before["scene_hashes"] != after["scene_hashes"]
    )


def diagram_overflow(page) -> list[str]:
    """Diagram labels the browser laid out where they do not fit, as messages.

    Every label must lie inside its diagram, and a label centred in a unit
    (a circle) inside that circle: the browser sizes text with its own font,
    so only the browser can tell whether six figures fit in a unit. No line
    (an edge, or the glow of its gradient, as wide as drawn) may cross any
    other label, and no two labels may overlap.
    """
    return page.evaluate(
        r"""() => {
          const bad = [];
          const tol = 1.5;
          for (const root of document.querySelectorAll('.bp-scene-root')) {
            const r = root.getBoundingClientRect();
            const circles = [...root.querySelectorAll('svg circle')].map((c) => {
              const b = c.getBoundingClientRect();
              return { x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2, r: b.width / 2 };
            });
            const svgElement = root.querySelector('svg');
            const svg = svgElement.getBoundingClientRect();
            // Screen pixels per drawing pixel (a wide screen zooms the diagram).
            const k = svg.width / Number(svgElement.getAttribute('width'));
            const lines = [...root.querySelectorAll('svg polyline')].map((p) => ({
              points: p.getAttribute('points').trim().split(/\s+/)
                .map((xy) => xy.split(',').map(Number))
                .map(([x, y]) => [svg.left + k * x, svg.top + k * y]),
              half: (k * (Number(p.getAttribute('stroke-width')) || 1)) / 2,
            }));
            // Whether segment a-b, drawn `half` thick either side, meets the box (less tol).
            const crosses = (a, b, half, box) => {
              const lo = [box.left + tol, box.top + tol], hi = [box.right - tol, box.bottom - tol];
              const d = [b[0] - a[0], b[1] - a[1]];
              let t0 = 0, t1 = 1;
              for (const k of [0, 1]) {
                if (d[k] === 0) { if (a[k] < lo[k] || a[k] > hi[k]) { t0 = 1; t1 = 0; } continue; }
                const u = (lo[k] - a[k]) / d[k], v = (hi[k] - a[k]) / d[k];
                t0 = Math.max(t0, Math.min(u, v)); t1 = Math.min(t1, Math.max(u, v));
              }
              if (t0 <= t1) return true;
              const clamp = (v, l, h) => Math.min(Math.max(v, l), h);
              const len2 = d[0] * d[0] + d[1] * d[1] || 1;
              const corners = [[lo[0], lo[1]], [hi[0], lo[1]], [lo[0], hi[1]], [hi[0], hi[1]]];
              const toSegment = corners.map((c) => {
                const t = clamp(((c[0] - a[0]) * d[0] + (c[1] - a[1]) * d[1]) / len2, 0, 1);
                return Math.hypot(a[0] + t * d[0] - c[0], a[1] + t * d[1] - c[1]);
              });
              const toBox = [a, b].map((p) =>
                Math.hypot(p[0] - clamp(p[0], lo[0], hi[0]), p[1] - clamp(p[1], lo[1], hi[1])));
              return Math.min(...toSegment, ...toBox) < half;
            };
            const labels = [...root.querySelectorAll('.bp-label')];
            labels.forEach((label, i) => {
              const b = label.getBoundingClientRect();
              const text = JSON.stringify(label.textContent);
              // A unit's own label sits on its circle, which hides the lines under it.
              const cx = (b.left + b.right) / 2, cy = (b.top + b.bottom) / 2;
              const onUnit = circles.some((c) => Math.hypot(cx - c.x, cy - c.y) < 2);
              for (const line of onUnit ? [] : lines) {
                const hit = line.points.slice(1).some((q, k) =>
                  crosses(line.points[k], q, line.half, b));
                if (hit) { bad.push(`${text} is crossed by a line`); break; }
              }
              for (const other of labels.slice(i + 1)) {
                const o = other.getBoundingClientRect();
                if (Math.min(b.right, o.right) - Math.max(b.left, o.left) > tol
                    && Math.min(b.bottom, o.bottom) - Math.max(b.top, o.top) > tol) {
                  bad.push(`${text} overlaps ${JSON.stringify(other.textContent)}`);
                }
              }
            });
            for (const label of labels) {
              const b = label.getBoundingClientRect();
              const text = JSON.stringify(label.textContent);
              if (b.left < r.left - tol || b.right > r.right + tol
                  || b.top < r.top - tol || b.bottom > r.bottom + tol) {
                bad.push(`${text} reaches outside its diagram`);
                continue;
              }
              const cx = (b.left + b.right) / 2, cy = (b.top + b.bottom) / 2;
              const unit = circles.find((c) => Math.hypot(cx - c.x, cy - c.y) < 2);
              if (!unit) continue;
              const corners = [[b.left, b.top], [b.right, b.top], [b.left, b.bottom],
                               [b.right, b.bottom]];
              const far = Math.max(...corners.map(([x, y]) => Math.hypot(x - unit.x, y - unit.y)));
              if (far > unit.r + tol) bad.push(`${text} spills over the rim of its unit`);
            }
          }
          return bad;
        }"""
    )


def output_overflow(page) -> list[str]:
    """Figures, diagrams and rows of controls wider than the output they are in,
    sliders squeezed narrower than 200 px and menus narrower than four letters, as
    messages.

    JupyterLab clips (or scrolls) what is wider than a cell's output: on the
    test's 1280-pixel screen, with the file browser open, a dashboard must fit
    in about 850 pixels, or its right edge is lost.
    """
    return page.evaluate(
        r"""() => {
          const bad = new Set();  // ipympl stacks two canvases: one message for both
          const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
          outputs.forEach((output, i) => {
            const edge = output.getBoundingClientRect().right;
            for (const e of output.querySelectorAll('canvas, .bp-scene, .widget-hbox')) {
              const r = e.getBoundingClientRect();
              if (r.width > 0 && r.right > edge + 1) {
                const what = e.tagName === 'CANVAS' ? 'a figure'
                  : e.classList.contains('bp-scene') ? 'a diagram' : 'a row of widgets';
                const past = Math.round(r.right - edge), wide = Math.round(output.clientWidth);
                bad.add(`output ${i}: ${what} reaches ${past} px past the output's `
                        + `right edge (${wide} px wide)`);
              }
            }
            // A slider squeezed into a row too narrow for it is too short for a mouse.
            for (const e of output.querySelectorAll('.widget-hslider')) {
              const w = e.getBoundingClientRect().width;
              if (w > 0 && w < 200) {
                const name = (e.querySelector('.widget-label') || {}).textContent || '?';
                bad.add(`output ${i}: the slider ${name} is only ${Math.round(w)} px wide`);
              }
            }
            // A menu must show its choice, not only its arrow: at least four letters wide.
            for (const e of output.querySelectorAll('.widget-dropdown select')) {
              const w = e.getBoundingClientRect().width;
              const em = parseFloat(getComputedStyle(e).fontSize);
              if (w > 0 && w < 4 * em) {
                const box = e.closest('.widget-dropdown');
                const name = (box.querySelector('.widget-label') || {}).textContent || '?';
                bad.add(`output ${i}: the menu ${name} is only ${Math.round(w)} px wide`);
              }
            }
          });
          return [...bad];
        }"""
    )


def _aria(handle) -> tuple[float, float, float] | None:
    vals = handle.evaluate(
        "(h) => ['aria-valuenow', 'aria-valuemin', 'aria-valuemax']"
        ".map((a) => parseFloat(h.getAttribute(a)))"
    )
    return None if any(v != v for v in vals) else tuple(vals)  # NaN check


def _direction(handle, current: str) -> str:
    """ArrowRight until the slider is at its maximum, then ArrowLeft, and back."""
    vals = _aria(handle)
    if vals is None:
        return current
    now, lo, hi = vals
    if current == "ArrowRight" and now >= hi:
        return "ArrowLeft"
    if current == "ArrowLeft" and now <= lo:
        return "ArrowRight"
    return current


def _press(page, handle, key: str) -> None:
    """Press `key` on the slider handle, focusing it again if focus moved away
    (an output re-rendered, Lab took focus back)."""
    if not handle.evaluate("(h) => document.activeElement === h"):
        handle.scroll_into_view_if_needed()
        handle.focus()
    page.keyboard.press(key)


def _no_redraw(handle, key: str, timeout: float) -> str:
    try:
        state = handle.evaluate(
            "(h) => { const a = (n) => h.getAttribute('aria-value' + n);"
            " return `value ${a('now')} in [${a('min')}, ${a('max')}],"
            " focused: ${document.activeElement === h}`; }"
        )
    except Exception as e:  # the handle is gone
        state = f"the handle is gone ({type(e).__name__})"
    return (
        f"no figure redrew (no ipympl canvas, no diagram) within {timeout:.0f} s "
        f"after pressing {key} on the slider ({state})"
    )


def _wait_kernel_idle_and_quiet(page, path: str, since_draws: int, quiet_ms: float, timeout: float):
    """Wait for a draw after `since_draws`, then `quiet_ms` without draws and an idle kernel.

    Raises LabError at once when the kernel reports an error (a broken observer).
    """
    n_errors = len(callback_problems(page)["errors"])
    page.wait_for_function(
        "([path, n, quiet, errs]) => {"
        + _FIND_PANEL
        + r"""
        const probe = window.__labProbe;
        if ((probe.kernelErrors || []).length > errs) return true;
        const d = probe.draws;
        if (d.length <= n) return false;
        if (performance.now() - d[d.length - 1] < quiet) return false;
        const panel = findPanel(path);
        return !panel || kernelStatus(panel) === 'idle';
      }""",
        arg=[path, since_draws, quiet_ms, n_errors],
        timeout=timeout * 1000,
        polling=25,
    )
    errors = callback_problems(page)["errors"][n_errors:]
    if errors:
        raise LabError(
            "the kernel raised while reacting to the slider (see Lab's log console): "
            + "; ".join(e["text"] for e in errors)
        )


def press_and_wait(
    page, path: str, handle, presses: int = 3, *, quiet_ms: float = 400, timeout: float = 15.0
) -> None:
    """Focus the slider handle, press arrow keys one at a time, wait for the redraw each time."""
    handle.scroll_into_view_if_needed()
    handle.focus()
    key = "ArrowRight"
    for _ in range(presses):
        key = _direction(handle, key)
        before = page.evaluate("() => window.__labProbe.draws.length")
        _press(page, handle, key)
        try:
            _wait_kernel_idle_and_quiet(page, path, before, quiet_ms, timeout)
        except LabError:
            raise
        except Exception as e:
            raise LabError(
                _no_redraw(handle, key, timeout) + ": does it drive a figure? Give the one that "
                f"does the CSS class {TAG_CLASS!r} (slider.add_class({TAG_CLASS!r}))"
            ) from e


def wait_page_idle(page, *, idle_ms: float = 10.0, timeout: float = 15.0) -> None:
    """Wait until the page's main thread has ``idle_ms`` free (no typesetting, layout
    or rendering still going on after the cells ran), so a press is timed alone."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(
        """(idle) => new Promise((resolve) =>
            requestIdleCallback((d) => resolve(d.timeRemaining() >= idle), {timeout: 500}))""",
        idle_ms,
    ):
        if time.monotonic() > deadline:
            raise LabError(f"the page never had {idle_ms:g} ms to spare in {timeout:g} s")


def measure_latency(page, path: str, handle, presses: int = 30, *, timeout: float = 15.0):
    """Key press → first draw of a figure, in ms, one press at a time.

    A draw is a drawImage into an ipympl canvas or a new diagram in a
    ``.bp-scene`` (see :data:`INIT_SCRIPT`), whichever comes first.

    Each press starts from rest: the kernel idle, no draw for 150 ms, and the
    page's main thread idle.
    """
    handle.scroll_into_view_if_needed()
    handle.focus()
    key = "ArrowRight"
    latencies: list[float] = []
    for _ in range(presses):
        wait_page_idle(page, timeout=timeout)
        key = _direction(handle, key)
        n_keys, n_draws = page.evaluate(
            "() => [window.__labProbe.keydowns.length, window.__labProbe.draws.length]"
        )
        _press(page, handle, key)
        try:
            _wait_kernel_idle_and_quiet(page, path, n_draws, 150, timeout)
        except LabError:
            raise
        except Exception as e:
            raise LabError(_no_redraw(handle, key, timeout)) from e
        latency = page.evaluate(
            r"""([k, n]) => {
              const p = window.__labProbe;
              const down = p.keydowns[k];
              const draw = p.draws.slice(n).find((t) => t >= down.t);
              return draw === undefined ? null : draw - down.t;
            }""",
            [n_keys, n_draws],
        )
        if latency is None:
            raise LabError("a redraw came without a matching key press")
        latencies.append(latency)
    return latencies


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (same as numpy's default), q in [0, 100]."""
    xs = sorted(values)
    if not xs:
        raise ValueError("no values")
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def screenshot(page, path: Path, *, max_height: int = 16000) -> None:
    """Screenshot of the whole notebook: scrolled to the top, the viewport as tall as the cells."""
    path.parent.mkdir(parents=True, exist_ok=True)
    measure = """() => {
      const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
      const outer = panel && panel.querySelector('.jp-WindowedPanel-outer');
      const cells = panel ? panel.querySelectorAll('.jp-Cell') : [];
      if (!outer || !cells.length) return 0;
      outer.scrollTop = 0;
      const last = cells[cells.length - 1].getBoundingClientRect().bottom;
      return last - outer.getBoundingClientRect().top + 40 - outer.clientHeight;
    }"""
    size = page.viewport_size or VIEWPORT
    height = size["height"]
    for _ in range(3):  # cells below the fold get their real height once painted
        extra = int(page.evaluate(measure))
        if abs(extra) < 20:
            break
        new_height = max(size["height"], min(max_height, height + extra))
        if new_height == height:
            break
        height = new_height
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    if height != size["height"]:
        page.set_viewport_size(size)


def screenshot_and_close(page, notebook_path: str, shot: Path) -> None:
    """The end of every notebook test: a screenshot of the page, then close it.

    A failing screenshot is only printed, so that the test's own failure stays in front.
    """
    try:
        screenshot(page, shot)
    except Exception as e:
        print(f"{notebook_path}: no screenshot: {e}")
    close_notebook(page, notebook_path)


def close_notebook(page, notebook_path: str) -> None:
    """Shut the notebook's kernel down and close the page (no beforeunload prompt)."""
    with contextlib.suppress(Exception):
        page.evaluate(
            "async (path) => {"
            + _FIND_PANEL
            + r"""
            const panel = findPanel(path);
            if (panel) await panel.sessionContext.shutdown();
          }""",
            notebook_path,
        )
    with contextlib.suppress(Exception):
        page.close(run_before_unload=False)
