"""Progress of a long command: a bar on a terminal, a line now and then in a log.

Click's bar draws nothing but its label when the output is not a terminal (a service's
journal, a CI log), so `tracker xref rebuild` said nothing for minutes there.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

# Without a terminal: a line at most this often, and at the end.
LINE_EVERY_SECONDS = 10.0


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """Yield `advance(n)`, to call as each N items are done out of TOTAL."""
    if sys.stderr.isatty():
        with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
            yield bar.update
        return
    done = [0]
    last = [time.monotonic()]

    def advance(n: int) -> None:
        done[0] += n
        now = time.monotonic()
        if now - last[0] >= LINE_EVERY_SECONDS or done[0] >= total:
            last[0] = now
            share = f" ({100 * done[0] / total:.0f}%)" if total else ""
            click.echo(f"{label}: {done[0]:,} of {total:,}{share}", err=True)

    yield advance
