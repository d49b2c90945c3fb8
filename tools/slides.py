"""Present a notebook as reveal.js slides whose sliders and figures stay live.

    python tools/slides.py notebooks/01_forward_pass.ipynb
    python tools/slides.py notebooks/01_forward_pass.ipynb --port 8867 --no-browser

Voilà runs the notebook in a kernel and renders it with the template
``course-reveal`` (``tools/voila/templates``): one slide per cell that
tools/slide_meta.py marked, code hidden (``--show-code`` shows it). Keys:
→/← or space to move, Esc for the overview, S for speaker notes. An arrow key
pressed on a focused slider moves the slider.

Nothing comes from the internet while it runs. reveal.js is the npm package
``reveal.js`` at :data:`REVEAL_VERSION`; on first use this runs
``npm install --prefix build/reveal reveal.js@<version>`` and later serves it
from there (``--reveal-dir`` points to another copy, e.g. on a machine without
npm: the folder with ``dist/reveal.js``).

The kernel draws figures and diagrams at :data:`SLIDES_TEXT_SCALE` (the
notebooks' projector setting, whatever PROJECTOR the shell sets): reveal.js
then fits each slide, text and figures together, to the screen.

Options as in tools/app.py: 127.0.0.1 only and no token, idle kernels culled.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app import REPO_ROOT, add_server_arguments, serve, voila_argv  # noqa: E402
from npm_package import NpmError, ensure, missing  # noqa: E402

#: reveal.js from npm, the release Voilà 0.5.13 bundles.
REVEAL_VERSION = "6.0.1"
REVEAL_PREFIX = REPO_ROOT / "build" / "reveal"
DEFAULT_PORT = 8867
#: The text scale the slides' kernel draws its figures and diagrams at (the PROJECTOR
#: setting of the notebooks). reveal.js shrinks a slide to 0.8 of its size on a
#: 1280 × 720 screen: drawn at 1.4, a figure's tick labels show at about 14 px there,
#: 21 px at 1920 × 1080. Prose, controls and readouts take their size from the slide.
SLIDES_TEXT_SCALE = 1.4
#: What the template loads from the reveal.js folder.
REVEAL_FILES = ("dist/reveal.js", "dist/reveal.css", "dist/theme/white.css", "dist/plugin/notes.js")


#: reveal.js could not be found or installed; message for humans.
RevealError = NpmError


def ensure_reveal(prefix: Path = REVEAL_PREFIX, version: str = REVEAL_VERSION) -> Path:
    """The folder of reveal.js ``version`` under ``prefix``, installed with npm if need be."""
    return ensure("reveal.js", version, prefix, REVEAL_FILES)


def check_reveal_dir(folder: Path) -> Path:
    absent = missing(folder, REVEAL_FILES)
    if absent:
        raise RevealError(f"{folder} is not a reveal.js package: no {', '.join(absent)}")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path, help="the notebook to present")
    parser.add_argument(
        "--reveal-dir",
        type=Path,
        help="a copy of the reveal.js npm package to serve (default: install into build/reveal)",
    )
    add_server_arguments(parser, DEFAULT_PORT)
    args = parser.parse_args(argv)
    if not args.notebook.is_file() or args.notebook.suffix != ".ipynb":
        parser.error(f"{args.notebook} is not a notebook (.ipynb)")
    try:
        if args.reveal_dir:
            reveal = check_reveal_dir(args.reveal_dir.resolve())
        else:
            reveal = ensure_reveal()
    except RevealError as e:
        print(f"slides: {e}", file=sys.stderr)
        return 2
    print(f"reveal.js from {reveal}", file=sys.stderr)
    # reveal.js fits every slide to the screen: a PROJECTOR setting of the shell,
    # meant for JupyterLab and the app view, would only make the figures too wide.
    # Only the figures and diagrams take this scale: the page style apply_style()
    # prints for it does not reach the slides (the reveal template drops an
    # output's <style>), so prose and controls keep the slide's sizes, as
    # tests/browser/test_slides_fit.py checks.
    shell = os.environ.get("PROJECTOR", "").strip()
    if shell and shell != str(SLIDES_TEXT_SCALE):
        print(
            f"slides: PROJECTOR={shell} is for JupyterLab and the app view; the slides "
            f"draw their figures at {SLIDES_TEXT_SCALE} and fit every slide to the screen",
            file=sys.stderr,
        )
    os.environ["PROJECTOR"] = str(SLIDES_TEXT_SCALE)  # read by helpers.plots.apply_style()
    argv = voila_argv(args, args.notebook.resolve(), "course-reveal")
    return serve(argv, mounts={"reveal.js": reveal})


if __name__ == "__main__":
    sys.exit(main())
