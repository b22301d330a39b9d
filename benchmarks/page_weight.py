"""Measure what each page of the built book loads on a first visit, against a budget.

Usage: uv run python benchmarks/page_weight.py [--html _build/html] [--root .] [--top 10]
       [--page book/intro.html ...]

Serves the built site on 127.0.0.1 and opens each page of the toc (plus the search page
and the general index) in Debian's chromium with an empty cache, one fresh browser
context per page, every request to another host aborted. Through the DevTools protocol it
sums the decoded body bytes of the document and of every resource the page loads until
the network is idle (styles, scripts, fonts, images; inline ``data:`` URLs are counted in
the file that holds them). The bytes are uncompressed (the local server sends no gzip), so
the figures are an upper bound for a host that compresses. Prints a table page / KB /
budget / verdict, then the heaviest resources of the site and how many pages load each.
Budget (issue 14): 1,536 KB a page.
Exits 1 when a page is over budget, 2 when the site or the browser is missing.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from peaceops.course.toc import toc_files

ROOT = Path(__file__).resolve().parents[1]
BUDGET_KB = 1536
CHROMIUM = Path(os.environ.get("PEACEOPS_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--disable-background-networking", "--disable-component-update"]  # fmt: skip


@dataclass
class Load:
    """What one page loaded: decoded bytes per URL, and requests that were refused."""

    bytes_by_url: dict[str, int] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.bytes_by_url.values())


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``folder`` on 127.0.0.1 in a thread; return the server and its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def site_pages(html: Path, root: Path) -> list[str]:
    """The toc's pages found in ``html``, then the search page and the index if built."""
    names = [name + ".html" for name in toc_files(root)] + ["search.html", "genindex.html"]
    return [name for name in names if (html / name).is_file()]


def measure(browser, url: str) -> Load:
    """Open ``url`` in a fresh context (empty cache); sum the body bytes it loads."""
    load = Load()
    context = browser.new_context(viewport={"width": 1280, "height": 800})

    def route(r) -> None:
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in {"127.0.0.1", "localhost"}:
            r.continue_()
        else:
            load.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    received: dict[str, int] = defaultdict(int)

    def on_response(event: dict) -> None:
        urls[event["requestId"]] = event["response"]["url"]

    def on_data(event: dict) -> None:
        received[event["requestId"]] += event["dataLength"]

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.dataReceived", on_data)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    for request_id, resource in urls.items():
        if resource.startswith(("data:", "blob:")):
            continue
        key = resource.split("?")[0]
        load.bytes_by_url[key] = load.bytes_by_url.get(key, 0) + received.get(request_id, 0)
    context.close()
    return load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html",
                        help="the built site (default: _build/html)")  # fmt: skip
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose toc to read")
    parser.add_argument("--top", type=int, default=10, help="how many heavy resources to list")
    parser.add_argument("--page", action="append", help="measure only this page (repeatable)")
    args = parser.parse_args(argv)
    html = args.html.resolve()
    if not (html / "_static").is_dir():
        print(f"{html}: no built site here. Build it first: uv run peaceops build")
        return 2
    if not CHROMIUM.exists():
        print(f"no browser at {CHROMIUM}: install it with 'apt-get install chromium'")
        return 2
    pages = args.page or site_pages(html, args.root.resolve())
    from playwright.sync_api import sync_playwright

    server, base = serve(html)
    loads: dict[str, Load] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            for name in pages:
                loads[name] = measure(browser, base + name)
            browser.close()
    finally:
        server.shutdown()

    width = max(len(name) for name in pages)
    print(f"{'page':<{width}}  {'KB':>7}  {'budget':>7}  verdict")
    over = 0
    for name, load in loads.items():
        kb = load.total / 1024
        verdict = "within" if kb <= BUDGET_KB else "OVER"
        over += kb > BUDGET_KB
        print(f"{name:<{width}}  {kb:>7,.0f}  {BUDGET_KB:>7,}  {verdict}")
    totals = [load.total / 1024 for load in loads.values()]
    print(f"\n{len(loads)} pages: median {sorted(totals)[len(totals) // 2]:,.0f} KB, "
          f"heaviest {max(totals):,.0f} KB; {over} over the {BUDGET_KB:,} KB budget")  # fmt: skip

    sizes: dict[str, int] = {}
    users: dict[str, int] = defaultdict(int)
    for load in loads.values():
        for resource, size in load.bytes_by_url.items():
            path = resource.removeprefix(base)
            sizes[path] = max(size, sizes.get(path, 0))
            users[path] += 1
    print("\nheaviest resources (KB, pages that load it):")
    for path, size in sorted(sizes.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"{size / 1024:>8,.0f}  {users[path]:>3}  {path}")
    blocked = sorted({url for load in loads.values() for url in load.blocked})
    if blocked:
        print(f"\nrequests to other hosts (aborted): {blocked}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
