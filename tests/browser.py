"""Browser helpers for the book's tests: Debian's chromium driven by Playwright, pages served
from 127.0.0.1, and every request to another host aborted and recorded."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = Path(os.environ.get("PEACEOPS_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve a folder on 127.0.0.1 in a background thread; return the server and its URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@dataclass
class Visit:
    """What a page asked for: requests blocked as remote, and local requests that failed."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def open_offline(browser, url: str):
    """Open a page with every non-local request aborted; return the page and its Visit."""
    visit = Visit()
    context = browser.new_context()

    def route(r) -> None:
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in {"127.0.0.1", "localhost"}:
            r.continue_()
        else:
            visit.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "response",
        lambda resp: resp.status >= 400 and visit.failed.append(f"{resp.status} {resp.url}"),
    )
    page.on(
        "requestfailed",
        lambda req: req.url not in visit.blocked and visit.failed.append(f"failed {req.url}"),
    )
    page.goto(url, wait_until="networkidle")
    return page, visit
