"""Build the course website: a static HTML book of every notebook, as saved.

    python tools/site.py        # writes build/site/ (open build/site/index.html)

Jupyter Book 1 (Sphinx and myst-nb) turns the notebooks, with the outputs
they were saved with (nothing runs), into pages with navigation and search;
the course map is the front page, and every dashboard shows its still
picture. MathJax is the npm package ``mathjax``, installed once into
build/mathjax and copied into the site: its pages load nothing from the
internet and can be served from any static host, or opened from disk.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course import COURSE_TITLE, NOTEBOOKS  # noqa: E402
from npm_package import NpmError, ensure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
SOURCE = BUILD / "book"
SITE = BUILD / "site"
MATHJAX_VERSION = "3.2.2"
MATHJAX_ENTRY = "es5/tex-mml-chtml.js"

#: Jupyter Book's settings (its _config.yml, written as JSON, which YAML reads).
CONFIG = {
    "title": COURSE_TITLE,
    "author": "",
    "only_build_toc_files": True,
    "execute": {"execute_notebooks": "off"},
    "html": {"home_page_in_navbar": True, "use_repository_button": False},
    "sphinx": {
        "config": {
            # copied to _static/ (a folder named _static would make Jupyter Book
            # load every script in it on every page)
            "html_static_path": ["static"],
            # relative to _static: the local copy, not a CDN
            "mathjax_path": "mathjax/tex-mml-chtml.js",
            # a dashboard's live widget cannot run on a static page: its picture shows
            "nb_mime_priority_overrides": [["*", "application/vnd.jupyter.widget-view+json", None]],
            "nb_ipywidgets_js": {},
            "html_show_copyright": False,
        }
    },
}


def toc():
    files = [Path(name).stem for name, _title, _aim in NOTEBOOKS]
    return {"format": "jb-book", "root": files[0], "chapters": [{"file": f} for f in files[1:]]}


def build(mathjax: Path) -> Path:
    shutil.rmtree(SOURCE, ignore_errors=True)
    SOURCE.mkdir(parents=True)
    for name, _title, _aim in NOTEBOOKS:
        shutil.copy2(ROOT / "notebooks" / name, SOURCE / name)
    shutil.copytree(mathjax / "es5", SOURCE / "static" / "mathjax")
    (SOURCE / "_config.yml").write_text(json.dumps(CONFIG, indent=1) + "\n")
    (SOURCE / "_toc.yml").write_text(json.dumps(toc(), indent=1) + "\n")
    book = Path(sys.executable).parent / "jupyter-book"
    done = subprocess.run(
        [str(book), "build", str(SOURCE), "--builder", "html", "--warningiserror", "--quiet"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"jupyter-book failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    shutil.rmtree(SITE, ignore_errors=True)
    shutil.copytree(SOURCE / "_build" / "html", SITE)
    return SITE


def main() -> int:
    started = time.monotonic()
    try:
        mathjax = ensure("mathjax", MATHJAX_VERSION, BUILD / "mathjax", [MATHJAX_ENTRY])
        site = build(mathjax)
    except (NpmError, RuntimeError) as e:
        print(f"site: {e}", file=sys.stderr)
        return 2
    print(f"built {site / 'index.html'} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
