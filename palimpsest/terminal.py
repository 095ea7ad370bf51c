"""Terminal safety: page text is untrusted, and a terminal obeys control characters.

A page can carry C1 controls (U+009B is CSI, U+009D OSC: they move the cursor, retitle the
window, or hide what follows), BiDi overrides (U+202E shows text reversed) and C0 controls
(ESC starts the 7-bit forms). None of them may reach a terminal from the CLI:

- `install()` (run before every command) wraps stdout and stderr so whatever is written, by
  typer, rich or anyone else, loses C1 controls, BiDi overrides and isolates, and the C0
  controls neither we nor rich emit. ESC, CR, BS and BEL pass: rich draws colours and its
  progress bar with them.
- `clean(text)` is for page text printed as text (show, extract, titles, diff input): it also
  drops ESC, CR and the other C0 controls, keeping tab and newline.
- `escape_json(dumped)` writes the same characters as `\\uXXXX` escapes in JSON output, so
  the data stays exact for a program and inert for a terminal.
"""

from __future__ import annotations

import re
import sys
from typing import Any, TextIO

_BIDI = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides, isolates
_C1_AND_DEL = "\x7f-\x9f"
# What a stream may not carry: C0 except TAB LF CR ESC BS BEL (rich's own output uses those).
_STREAM_UNSAFE = re.compile(f"[\x00-\x06\x0b\x0c\x0e-\x1a\x1c-\x1f{_C1_AND_DEL}{_BIDI}]")
# What page text may not carry: every C0 control but TAB and LF, too.
_TEXT_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f{_C1_AND_DEL}{_BIDI}]")
_JSON_UNSAFE = re.compile(f"[{_C1_AND_DEL}{_BIDI}]")  # json.dumps escapes C0 itself


def clean(text: str) -> str:
    """`text` without the characters that would control a terminal (tab and newline kept)."""
    return _TEXT_UNSAFE.sub("", text)


def escape_json(dumped: str) -> str:
    """JSON text with C1 controls, DEL and BiDi controls written as \\uXXXX escapes (they can
    only occur inside JSON strings, where the escape means the same character)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


class SafeStream:
    """A text stream that drops terminal control characters (see the module docstring)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click probes with b"" to tell binary streams apart
            raise TypeError("SafeStream is a text stream")
        self._stream.write(_STREAM_UNSAFE.sub("", text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # isatty, flush, encoding, fileno, ...
        return getattr(self._stream, name)


def install() -> None:
    """Filter this process's stdout and stderr (idempotent)."""
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout)  # type: ignore[assignment]
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)  # type: ignore[assignment]
