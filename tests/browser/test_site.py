"""The course website (``make site``) in Chromium: every page, link, picture and formula.

The site is built afresh (tools/site.py) and served over HTTP from
127.0.0.1. On every page of the book: nothing is requested from another
host (no CDN) and no request fails; every link inside the site leads to a
page that exists, and every ``#anchor`` to an element on it; every image
has loaded and has pixels; every dashboard saved in the notebook shows its
still picture; every formula is typeset by MathJax, without an error. The
front page is the course map, and the search finds the course's words.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from urllib.parse import urldefrag, urljoin

import pytest

from . import lab

sys.path.insert(0, str(lab.REPO_ROOT / "tools"))
from course import NOTEBOOKS  # noqa: E402

sys.path.remove(str(lab.REPO_ROOT / "tools"))

SITE = lab.REPO_ROOT / "build" / "site"
PAGES = [name.removesuffix(".ipynb") for name, _title, _aim in NOTEBOOKS]


@pytest.fixture(scope="module")
def site_url():
    built = subprocess.run(
        [sys.executable, str(lab.REPO_ROOT / "tools" / "site.py")],
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        pytest.fail(f"tools/site.py failed:\n{built.stdout}\n{built.stderr}", pytrace=False)
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", lab.free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


PAGE_STATE = """() => ({
  links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
  ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
  images: [...document.querySelectorAll('img')].map((img) => ({
    src: img.currentSrc.slice(0, 80), ok: img.complete && img.naturalWidth > 0})),
  stills: [...document.querySelectorAll('.bp-still')].map((still) =>
    [...still.querySelectorAll('img')].map((img) => img.complete && img.naturalWidth > 0)),
  maths: document.querySelectorAll('.math').length,
  typeset: document.querySelectorAll('.math mjx-container').length,
  mathErrors: document.querySelectorAll('mjx-merror').length,
  title: document.title,
})"""


def open_page(browser, url):
    """Open ``url``; return (page, requests made, failed requests)."""
    page = browser.context.new_page()
    requests, failed = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: failed.append(f"{r.url}: {r.status}") if r.status >= 400 else 0)
    page.goto(url, wait_until="load")
    return page, requests, failed


@pytest.mark.parametrize("name", PAGES)
def test_every_page_of_the_site(name, site_url, browser):
    page, requests, failed = open_page(browser, f"{site_url}{name}.html")
    try:
        page.wait_for_function(
            "() => document.querySelectorAll('.math').length === 0"
            " || (window.MathJax && MathJax.startup && MathJax.startup.document"
            "     && document.querySelectorAll('.math mjx-container').length"
            "        === document.querySelectorAll('.math').length)",
            timeout=30_000,
        )
        # MathJax loads its fonts and extensions after the page: let it finish.
        page.evaluate("async () => { if (window.MathJax) await MathJax.startup.promise; }")
        state = page.evaluate(PAGE_STATE)
        elsewhere = [u for u in requests if not u.startswith((site_url, "data:"))]
        assert not elsewhere, f"{name}: requests to other hosts: {elsewhere}"
        assert not failed, f"{name}: failed requests: {failed}"
        assert all(i["ok"] for i in state["images"]), [i for i in state["images"] if not i["ok"]]
        expected = lab.saved_pictures(lab.REPO_ROOT / "notebooks" / f"{name}.ipynb")
        assert len(state["stills"]) == expected, f"{name}: {state['stills']}"
        assert all(images and all(images) for images in state["stills"]), state["stills"]
        assert state["typeset"] == state["maths"] and state["mathErrors"] == 0, state
        if name != "00_index":
            assert expected >= 1, f"{name} shows no dashboard's picture"
            assert state["maths"] >= 1, f"{name}: no formula typeset"
        broken = []
        for link in set(state["links"]):
            target, anchor = urldefrag(link)
            if not target.startswith(site_url):
                continue
            if target == page.url.split("#")[0]:
                if anchor and anchor not in state["ids"]:
                    broken.append(link)
                continue
            response = page.request.get(target)
            if not response.ok:
                broken.append(f"{link} ({response.status})")
            elif anchor and f'id="{anchor}"' not in response.text():
                broken.append(f"{link} (no #{anchor})")
        assert not broken, f"{name}: broken links: {sorted(broken)}"
    finally:
        page.close()


def test_front_page_is_the_course_map_with_every_notebook(site_url, browser):
    page, _requests, failed = open_page(browser, site_url)
    try:
        page.wait_for_url(f"{site_url}00_index.html")
        links = page.evaluate(
            "() => [...document.querySelectorAll('nav.bd-links a')].map((a) => a.href)"
        )
        for name in PAGES[1:]:
            assert urljoin(site_url, f"{name}.html") in links, (name, links)
        assert not failed, failed
    finally:
        page.close()


def test_search_finds_the_course(site_url, browser):
    page, requests, _failed = open_page(browser, f"{site_url}search.html?q=gradient")
    try:
        page.wait_for_function(
            "() => document.querySelectorAll('#search-results li').length > 0", timeout=30_000
        )
        found = page.evaluate(
            "() => [...document.querySelectorAll('#search-results li a')].map((a) => a.href)"
        )
        assert any("03_chain_rule_output_weights.html" in link for link in found), found
        assert not [u for u in requests if not u.startswith((site_url, "data:"))]
    finally:
        page.close()
