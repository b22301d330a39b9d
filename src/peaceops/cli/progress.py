"""Show a build's progress: pages read, notebooks run, pages written, with elapsed time.

On a terminal, one line is updated in place and each phase ends with a line that stays;
elsewhere (a log, CI) a line is printed per notebook, per phase, and at most every few
seconds while pages are read or written. With ``--verbose`` every line of Sphinx's own
output is shown as well.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from peaceops.book.builder import Step

#: At most one line per this many seconds for page counts when not on a terminal.
QUIET_SECONDS = 5.0


class BuildDisplay:
    """A ``progress`` callback for :func:`peaceops.book.build` that writes to ``stream``."""

    def __init__(
        self, stream: TextIO | None = None, *, verbose: bool = False, live: bool | None = None
    ) -> None:
        self.stream = stream or sys.stderr
        self.verbose = verbose
        isatty = getattr(self.stream, "isatty", lambda: False)
        self.live = (isatty() and not verbose) if live is None else live
        self.phase = ""
        self.pending = ""  # the live line now shown
        self.last_print = 0.0
        self.read = (0, 0)
        self.notebooks = (0, 0)
        self.running = ""

    def __call__(self, step: Step) -> None:
        if step.phase != self.phase:
            self._end_phase(step)
            self.phase = step.phase
        handler = getattr(self, f"_on_{step.phase}", None)
        if handler:
            handler(step)

    def output(self, line: str) -> None:
        """One line of Sphinx's output (shown only when verbose)."""
        if self.verbose:
            self._line(f"    {line}")

    # phases -----------------------------------------------------------------------

    def _on_prepare(self, step: Step) -> None:
        self._status(self._stamp(step) + "regenerating the glossary and the exercise notebooks")

    def _on_start(self, step: Step) -> None:
        again = ", every page again" if step.detail == "fresh" else ""
        self._status(self._stamp(step) + f"starting Sphinx{again}")

    def _on_note(self, step: Step) -> None:
        self._line(self._stamp(step) + step.detail)

    def _on_read(self, step: Step) -> None:
        self.read = (step.done, step.total)
        if step.total == 0:
            self._line(self._stamp(step) + "no page changed: nothing to read")
            return
        if step.done == 0:
            self._line(self._stamp(step) + f"reading {step.total} pages ({step.detail})")
            return
        if step.done < step.total:  # the phase's summary line follows the last page
            self._count(step, self._reading(), force=False)

    def _on_execute(self, step: Step) -> None:
        self.notebooks = (step.done, step.total)
        if step.detail == "running":
            self.running = step.name
            self._count(step, self._reading(), force=False)
            return
        self.running = ""
        text = f"notebook {step.done}/{step.total} {step.name}: {step.detail}"
        if self.live:
            self._status(self._stamp(step) + self._reading())
        else:
            self._line(self._stamp(step) + text)

    def _on_resolve(self, step: Step) -> None:
        self._status(self._stamp(step) + "resolving references and bibliographies")

    def _on_write(self, step: Step) -> None:
        if step.total and step.done == 0:
            self._status(self._stamp(step) + f"writing {step.total} pages")
            return
        self._count(step, f"writing pages {step.done}/{step.total}")

    def _on_publish(self, step: Step) -> None:
        if step.detail == "unchanged":
            self._line(self._stamp(step) + "nothing to publish: _build/html is current")

    # helpers ------------------------------------------------------------------------

    def _reading(self) -> str:
        done, total = self.read
        text = f"reading pages {done}/{total}"
        ran, notebooks = self.notebooks
        if notebooks:
            text += f", notebooks run {ran}/{notebooks}"
        if self.running:
            text += f" (running {self.running})"
        return text

    def _end_phase(self, step: Step) -> None:
        """Leave a line that sums up the phase that just ended."""
        if self.phase in ("read", "execute") and step.phase not in ("read", "execute"):
            done, total = self.read
            ran, notebooks = self.notebooks
            if total:
                summary = f"read {done} pages" + (f", ran {ran} notebooks" if notebooks else "")
                self._line(self._stamp(step) + summary)
        elif self.phase in ("resolve", "write") and self.pending:
            self._line(self.pending)  # keep the phase's last live line

    def _count(self, step: Step, text: str, force: bool = True) -> None:
        line = self._stamp(step) + text
        if self.live:
            self._status(line)
            return
        now = time.monotonic()
        done = step.total and step.done >= step.total
        if (force and done) or now - self.last_print >= QUIET_SECONDS:
            self._line(line)

    @staticmethod
    def _stamp(step: Step) -> str:
        return f"  [{step.seconds:6.1f} s] "

    def _status(self, text: str) -> None:
        """Show ``text`` on the live line (or as a line when not live)."""
        if not self.live:
            self._line(text)
            return
        self.pending = text
        width = shutil.get_terminal_size((120, 24)).columns - 1  # a wrapped line stays
        self.stream.write("\r\x1b[K" + text[:width])
        self.stream.flush()

    def _line(self, text: str) -> None:
        if self.live and self.pending:
            self.stream.write("\r\x1b[K")
        self.pending = ""
        self.stream.write(text + "\n")
        self.stream.flush()
        self.last_print = time.monotonic()

    def close(self) -> None:
        """End the live line, if one is shown."""
        if self.live and self.pending:
            self.stream.write("\n")
            self.pending = ""
            self.stream.flush()
