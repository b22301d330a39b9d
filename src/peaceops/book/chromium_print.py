"""Print a local page to PDF with Debian's Chromium, page numbers in the footer.

``chromium --print-to-pdf`` prints either no footer or the browser's own (date, title,
URL). The DevTools protocol's ``Page.printToPDF`` takes a footer template, so this module
starts Chromium headless with ``--remote-debugging-pipe`` (the protocol over file
descriptors 3 and 4: JSON messages ending in a NUL byte; no port, no websocket),
opens the page, waits for it to load and prints it. Chromium resolves no host name while
it prints, and runs with a throwaway profile.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from peaceops.course.problems import BuildError

CHROMIUM = Path("/usr/bin/chromium")
#: The page number, centred at the foot of every page (the template's own tiny default
#: font size is replaced; Chromium fills ``pageNumber``).
FOOTER = ('<div style="width:100%;text-align:center;font-size:9pt;color:#333;'
          'font-family:sans-serif"><span class="pageNumber"></span></div>')  # fmt: skip
TIMEOUT_S = 600


class _Pipe:
    """One Chromium process and its DevTools pipe."""

    def __init__(self, profile: str) -> None:
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()
        # Chromium reads fd 3 and writes fd 4: move the ends there in the child, from
        # copies at 10 and above so that no dup2 overwrites an end not yet moved.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child, from_child)]

        def place() -> None:
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                   "--remote-debugging-pipe", f"--user-data-dir={profile}",
                   "--host-resolver-rules=MAP * ~NOTFOUND", "--no-first-run",
                   "about:blank"]  # fmt: skip
        try:
            self._log = Path(profile) / "chromium.log"
            with self._log.open("wb") as log:
                self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                                stdout=log, stderr=log, preexec_fn=place,
                                                close_fds=False)  # fmt: skip
        finally:
            for fd in (to_child, from_child, *high):
                os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self._deadline = time.monotonic() + TIMEOUT_S

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = self._deadline - time.monotonic()
            ready, _, _ = select.select([self._read], [], [], max(left, 0))
            if not ready:
                raise BuildError(f"Chromium did not answer within {TIMEOUT_S} s")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                error = self._log.read_text(errors="replace").strip()[-500:]
                raise BuildError(f"Chromium stopped while printing: {error}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._message()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BuildError(f"Chromium refused {method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, session: str) -> None:
        """Wait for an event of the session (one that already arrived counts)."""
        while True:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == session:
                    self.events.remove(event)
                    return
            self.events.append(self._message())

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except BuildError:
            pass
        finally:
            os.close(self._write)
            os.close(self._read)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def print_pdf(page: Path, pdf: Path) -> Path:
    """Print ``page`` (a local HTML file) to ``pdf``: the page's own @page size and margins,
    its backgrounds, a page number in each footer, an outline and a tagged PDF."""
    if not CHROMIUM.exists():
        raise BuildError(f"no Chromium at {CHROMIUM}: install it with 'apt-get install chromium'")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="peaceops-chromium-") as profile:
        browser = _Pipe(profile)
        try:
            target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.call("Target.attachToTarget",
                                   {"targetId": target, "flatten": True})["sessionId"]  # fmt: skip
            browser.call("Page.enable", session=session)
            browser.call("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
            browser.wait_for("Page.loadEventFired", session)
            printed = browser.call("Page.printToPDF", {
                "printBackground": True, "preferCSSPageSize": True,
                "displayHeaderFooter": True, "headerTemplate": "<span></span>",
                "footerTemplate": FOOTER, "generateDocumentOutline": True,
                "generateTaggedPDF": True,
            }, session=session)  # fmt: skip
        finally:
            browser.close()
    pdf.write_bytes(base64.b64decode(printed["data"]))
    if pdf.stat().st_size == 0:
        raise BuildError(f"Chromium printed an empty PDF of {page}")
    return pdf
