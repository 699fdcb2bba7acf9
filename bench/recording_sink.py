"""An aiosmtpd handler that writes down every message it accepts, so a bench can check that
each recipient got exactly one copy (a sink that discards would count a lost or doubled
message as speed).

    python -m aiosmtpd -n -c recording_sink.Recorder PATH -l 127.0.0.1:PORT  # bench/ on PYTHONPATH
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any


class Recorder:
    """Appends the envelope recipients of each message, one a line, before answering 250."""

    def __init__(self, path: str) -> None:
        self.log = open(path, "ab", buffering=0)  # noqa: SIM115 (open for the server's life)

    @classmethod
    def from_cli(cls, parser: ArgumentParser, *args: str) -> Recorder:
        if len(args) != 1:
            parser.error("Recorder takes one argument: the file to append to")
        return cls(args[0])

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.log.write("".join(f"{rcpt}\n" for rcpt in envelope.rcpt_tos).encode())
        return "250 OK"
