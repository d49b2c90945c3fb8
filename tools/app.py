"""Serve the course's live demos with Voilà: sliders and figures, no code.

    python tools/app.py                                   # every notebook, from the course's page
    python tools/app.py notebooks/01_forward_pass.ipynb   # one notebook
    python tools/app.py --port 8866 --no-browser

The first page lists the notebooks with their titles and aims (written from
tools/course.py). Each notebook's page runs it in a kernel of its own and
shows its title and each live demo under the heading of its section, with
the text cell just before the demo and the one just after it: sliders,
buttons, figures and their text descriptions, and what to try. Code, the
rest of the prose, exercises' solutions and the navigation are left out
(template ``course-app`` in ``tools/voila/templates``); the cells still all
run.

The server listens on 127.0.0.1 only, without a token. With ``--ip`` set to
anything else, a token is required and printed. Kernels are culled: every
``--cull-interval`` seconds, a kernel idle for ``--cull-idle-timeout``
seconds with no page connected to it is shut down (a closed tab, a laptop
that went to sleep). A kernel whose page is still open is kept, however long
it idles, unless ``--cull-connected``: a projected demo must not die
between two questions.

This module also holds what tools/slides.py shares with it:
:class:`CourseVoila` and :func:`voila_argv`.
"""

from __future__ import annotations

import argparse
import html
import ipaddress
import os
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
#: Holds voila/templates/course-app and course-reveal (put on JUPYTER_PATH).
TEMPLATE_ROOT = REPO_ROOT / "tools"
DEFAULT_PORT = 8866
CULL_INTERVAL = 60
CULL_IDLE_TIMEOUT = 900
#: A page connects to its kernel a few seconds after Voilà has run the notebook.
MIN_IDLE_TIMEOUT = 60
#: Seconds Voilà waits for a cell's outputs after the kernel says it is done. The
#: default, 4 s, is too short when a whole class opens the page at once: the outputs
#: of a busy kernel come later, and the page then shows the text without its demo.
IOPUB_TIMEOUT = 60
#: Seconds without a new part of the page before Voilà sends a "heartbeat" script to
#: keep the connection open. Its default, 10 s, passes before the page has begun when
#: the server is busy, and the page then starts with a script error; 50 s stays
#: under the 60 s after which common proxies close a silent connection.
KEEP_ALIVE = 50


def _is_loopback(ip: str) -> bool:
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def add_server_arguments(parser: argparse.ArgumentParser, default_port: int) -> None:
    """The options tools/app.py and tools/slides.py share."""
    parser.add_argument("--port", type=int, default=default_port, help="default %(default)s")
    parser.add_argument(
        "--port-retries",
        type=int,
        default=10,
        help="try that many following ports if the port is taken (default %(default)s)",
    )
    parser.add_argument(
        "--ip",
        default="127.0.0.1",
        help="address to listen on (default %(default)s); any non-loopback one needs a token",
    )
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument("--show-code", action="store_true", help="show the code cells too")
    parser.add_argument(
        "--cull-interval",
        type=int,
        default=CULL_INTERVAL,
        help="seconds between checks for idle kernels (default %(default)s)",
    )
    parser.add_argument(
        "--cull-idle-timeout",
        type=int,
        default=CULL_IDLE_TIMEOUT,
        help="shut a kernel down after that many idle seconds (default %(default)s; 0: never)",
    )
    parser.add_argument(
        "--cull-connected",
        action="store_true",
        help="cull idle kernels even while their page is open",
    )


def voila_argv(args: argparse.Namespace, target: Path, template: str) -> list[str]:
    """Command-line arguments for Voilà from the shared options."""
    if 0 < args.cull_idle_timeout < MIN_IDLE_TIMEOUT:
        print(
            f"warning: --cull-idle-timeout {args.cull_idle_timeout} s is shorter than a page "
            "takes to load and connect: a page may lose its kernel before its widgets work",
            file=sys.stderr,
        )
    argv = [
        str(target),
        f"--template={template}",
        f"--Voila.ip={args.ip}",
        f"--port={args.port}",
        f"--Voila.port_retries={args.port_retries}",
        f"--strip_sources={not args.show_code}",
        "--theme=light",
        f"--MappingKernelManager.cull_interval={args.cull_interval}",
        f"--MappingKernelManager.cull_idle_timeout={args.cull_idle_timeout}",
        f"--MappingKernelManager.cull_connected={args.cull_connected}",
        # A kernel still computing is never culled, only an idle one.
        "--MappingKernelManager.cull_busy=False",
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT}",
        f"--VoilaConfiguration.http_keep_alive_timeout={KEEP_ALIVE}",
    ]
    if args.no_browser:
        argv.append("--no-browser")
    if not _is_loopback(args.ip):
        argv.append("--Voila.auto_token=True")
    return argv


def _course_voila_class():
    from jupyter_server.utils import url_path_join
    from tornado.web import StaticFileHandler
    from voila.app import Voila

    class CourseVoila(Voila):
        """Voilà, plus folders served as static files: ``mounts`` maps a URL prefix to a folder."""

        mounts: dict[str, Path] = {}

        def init_handlers(self):
            handlers = super().init_handlers()
            extra = [
                (
                    url_path_join(self.server_url, rf"/{re.escape(prefix)}/(.*)"),
                    StaticFileHandler,
                    {"path": str(folder)},
                )
                for prefix, folder in self.mounts.items()
            ]
            # Before Voilà's catch-all notebook handler.
            return extra + handlers

    return CourseVoila


#: Where the landing page is written, overriding Voilà's file list.
LANDING_ROOT = REPO_ROOT / "build" / "app-landing"


def write_landing_page(folder: Path, root: Path = LANDING_ROOT) -> Path:
    """Write the course's landing page for the app view of ``folder``: the course's title
    and a link to each notebook's demos with its title and aim, in reading order
    (the table of contents in tools/course.py). Returns the page's path."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from course import COURSE_TITLE, NOTEBOOKS

    rows = []
    for name, title, aim in NOTEBOOKS:
        if not (folder / name).exists() or name.startswith("00_"):
            continue  # the course map has no live demos
        number = name[:2]
        link = f"{{{{ base_url }}}}voila/render/{html.escape(name)}?{{{{ query }}}}"
        rows.append(
            f'      <li><a href="{link}">'
            f'<span class="course-number">{number}</span> {html.escape(title)}</a>'
            f"<p>{html.escape(aim)}</p></li>"
        )
    # Voilà names its file list tree-lab.html (tree.html with --classic-tree).
    page = root / "voila" / "templates" / "course-app" / "tree-lab.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        "{#- Written by tools/app.py from tools/course.py: edit those, not this. -#}\n"
        '{% extends "page.html" %}\n'
        f"{{% block title %}}{html.escape(COURSE_TITLE)}: live demos{{% endblock %}}\n"
        "{% block body %}\n"
        '  <script id="jupyter-config-data" type="application/json">'
        "{{ page_config | tojson }}</script>\n"
        '  <main class="course-landing jp-RenderedHTMLCommon">\n'
        f"    <h1>{html.escape(COURSE_TITLE)}</h1>\n"
        "    <p>The live demos of each notebook: sliders, figures and what to try, "
        "without the code. Each page starts its own kernel.</p>\n"
        '    <ol class="course-notebooks">\n' + "\n".join(rows) + "\n    </ol>\n"
        "  </main>\n"
        "  <style>\n"
        "    .course-landing { max-width: 50em; margin: 2em auto; padding: 0 2ex; }\n"
        "    .course-notebooks { list-style: none; padding: 0; }\n"
        "    .course-notebooks li { margin: 0 0 1.2em 0; }\n"
        "    .course-notebooks a { font-size: 1.25em; font-weight: 600; }\n"
        "    .course-notebooks p { margin: 0.2em 0 0 2.4em; }\n"
        "    .course-number { display: inline-block; width: 2em; }\n"
        "  </style>\n"
        "{% endblock %}\n"
    )
    return page


def serve(
    argv: list[str], mounts: dict[str, Path] | None = None, landing: Path | None = None
) -> int:
    """Run Voilà with the course's templates on JUPYTER_PATH until interrupted.

    With ``landing`` (a folder of notebooks), its landing page replaces Voilà's file list.
    """
    paths = [str(TEMPLATE_ROOT)]
    if landing is not None:
        write_landing_page(landing)
        paths.insert(0, str(LANDING_ROOT))
    if os.environ.get("JUPYTER_PATH"):
        paths.append(os.environ["JUPYTER_PATH"])
    os.environ["JUPYTER_PATH"] = os.pathsep.join(paths)
    try:
        cls = _course_voila_class()
    except ImportError as e:
        print(
            f"Voilà is not installed in {sys.prefix} ({e}): pip install -r requirements.txt",
            file=sys.stderr,
        )
        return 2
    cls.mounts = dict(mounts or {})
    cls.launch_instance(argv)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "target",
        nargs="?",
        type=Path,
        default=NOTEBOOK_DIR,
        help="a notebook, or a folder of notebooks (default: notebooks/)",
    )
    add_server_arguments(parser, DEFAULT_PORT)
    args = parser.parse_args(argv)
    if not args.target.exists():
        parser.error(f"{args.target} does not exist")
    if args.target.is_file() and args.target.suffix != ".ipynb":
        parser.error(f"{args.target} is not a notebook (.ipynb)")
    target = args.target.resolve()
    return serve(
        voila_argv(args, target, "course-app"), landing=target if target.is_dir() else None
    )


if __name__ == "__main__":
    sys.exit(main())
