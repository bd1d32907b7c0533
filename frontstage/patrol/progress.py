"""A one-line progress bar on stderr, only when a person is watching a long file."""

import time
from typing import Any, TextIO

_LONG_FILE = 1 << 20  # bytes; shorter files finish before a bar helps
_EVERY = 0.2  # seconds between redraws
_WIDTH = 30


class Progress:
    def __init__(self, stream: TextIO, total_bytes: int | None) -> None:
        self.stream = stream
        self.total = total_bytes or 0
        self.shown = stream.isatty() and self.total >= _LONG_FILE
        self.done_bytes = 0
        self.posts = 0
        self.started = self.drawn = time.monotonic()

    def advance(self, size: int) -> None:
        self.done_bytes += size
        self.posts += 1
        now = time.monotonic()
        if self.shown and now - self.drawn >= _EVERY:
            self.drawn = now
            self._draw(now)

    def close(self) -> None:
        if self.shown:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, now: float) -> None:
        share = min(self.done_bytes / self.total, 1.0)
        filled = int(share * _WIDTH)
        rate = self.posts / max(now - self.started, 1e-9)
        bar = "#" * filled + "-" * (_WIDTH - filled)
        self.stream.write(f"\r[{bar}] {share:6.1%}  {self.posts:,} posts  {rate:,.0f}/s")
        self.stream.flush()

    def above(self, stream: Any) -> "_Above":
        """`stream` writing its lines above the bar rather than into it."""
        return _Above(stream, self)


class _Above:
    def __init__(self, stream: Any, progress: Progress) -> None:
        self.stream = stream
        self.progress = progress

    def write(self, text: str, /) -> Any:
        if self.progress.shown:
            self.progress.stream.write("\r\033[K")  # clear the bar; the next draw restores it
        return self.stream.write(text)
