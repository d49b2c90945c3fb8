"""What the browser shows is what the kernel drew, even after frames arrive back to back.

ipympl can send each frame as a difference from the one before; a browser that
skips one while the next is already arriving keeps stale pixels from then on
(matplotlib issue #19116). The dashboards send whole frames. This test drives
the gradient-flow dashboard of notebook 07 through several settings from the
kernel and after each compares the canvas in the page with the kernel's own
buffer, pixel for pixel. (With difference frames it fails: the second setting
leaves 14,680 stale pixels.)
"""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from . import lab

NOTEBOOK = lab.REPO_ROOT / "notebooks" / "07_deeper_networks.ipynb"

# Runs code in the notebook's kernel, as a cell would, and returns what it printed.
_EXECUTE = r"""
async ([path, code]) => {
  const app = window.jupyterapp;
  let panel = null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.sessionContext) panel = w;
  }
  const future = panel.sessionContext.session.kernel.requestExecute({ code, store_history: false });
  const out = [];
  future.onIOPub = (msg) => {
    const t = msg.header.msg_type;
    if (t === 'stream') out.push(msg.content.text);
    else if (t === 'error') out.push('ERROR ' + msg.content.ename + ': ' + msg.content.evalue);
  };
  await future.done;
  return out.join('');
}
"""

# Each setting is one execution, as a teacher typing in a cell would do: the
# kernel's frame and the frames the sliders' echo triggers follow each other.
_SETTINGS = [
    "depth=12, scale=-2.0, activation='sigmoid'",
    "depth=12, scale=3.0, activation='relu'",
    "depth=12, scale=3.0, activation='linear'",
    "depth=1, scale=-2.0, activation='tanh'",
    "depth=7, scale=0.5, activation='relu'",
    "depth=3, scale=2.5, activation='tanh'",
]

_KERNEL_PIXELS = """
import base64 as _b, io as _io, numpy as _np
from PIL import Image as _I
_buf = _io.BytesIO()
_I.fromarray(_np.asarray(flow.fig.canvas.buffer_rgba())).save(_buf, format="png")
print(_b.b64encode(_buf.getvalue()).decode())
"""


def _png(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))


def test_canvas_matches_the_kernel_after_back_to_back_frames(lab_server, browser):
    path = lab.relpath_in(lab_server, NOTEBOOK)
    page = lab.open_notebook(browser, lab_server, NOTEBOOK)
    try:
        lab.run_all_cells(page, path)
        out = page.evaluate(_EXECUTE, [path, "print(type(flow).__name__)"])
        assert out.strip() == "GradientFlowDashboard", f"notebook 07 has no `flow` dashboard: {out}"
        for setting in _SETTINGS:
            code = f"flow.update({setting})\nprint(flow.description.splitlines()[0])"
            out = page.evaluate(_EXECUTE, [path, code])
            assert "ERROR" not in out, out
            lab.wait_page_idle(page)
            page.wait_for_timeout(1500)  # the last frame has arrived and been drawn
            # The dashboard's canvas: in the output that shows its description.
            url = page.evaluate(
                r"""(text) => {
                  for (const area of document.querySelectorAll('.jp-OutputArea-output')) {
                    const canvas = area.querySelector('.jupyter-matplotlib-canvas-div canvas');
                    if (canvas && area.textContent.includes(text)) return canvas.toDataURL();
                  }
                  return null;
                }""",
                out.strip()[:30],
            )
            assert url, f"no canvas next to the text {out.strip()[:30]!r}"
            shown = _png(base64.b64decode(url.split(",", 1)[1]))
            kernel = _png(base64.b64decode(page.evaluate(_EXECUTE, [path, _KERNEL_PIXELS])))
            assert shown.shape == kernel.shape
            differ = (shown != kernel).any(axis=-1).sum()
            assert differ == 0, (
                f"after flow.update({setting}) the page shows {differ} pixels the kernel "
                "no longer has"
            )
    except lab.LabError as e:
        pytest.fail(str(e), pytrace=False)
    finally:
        lab.close_notebook(page, path)
