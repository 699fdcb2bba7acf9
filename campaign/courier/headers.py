"""Text that ends up in a mail header (subjects, display names) must be one line.

A CR or LF in a title or a name would let whoever typed it add headers to a message, and the
email library refuses to build such a message at all; so these values are flattened when
they are saved, not when the mail is sent.
"""

from __future__ import annotations

import re

# CR, LF and every other character Python treats as a line boundary.
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """`text` with every line break replaced by a space, trimmed."""
    return _LINE_BREAKS.sub(" ", text or "").strip()
