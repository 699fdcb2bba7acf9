"""A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.waiting import wait_until


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Collector:
    def __init__(self, sink: SMTPSink) -> None:
        self.sink = sink

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.sink.refuse:
            return self.sink.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.sink.lock:
            self.sink.messages.append(message)
            self.sink.senders.append(envelope.mail_from)
        return "250 Message accepted for delivery"


class SMTPSink:
    """Start, send mail to `port`, read `messages`; `refuse` maps addresses to SMTP replies."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.senders: list[str] = []  # each message's envelope sender (MAIL FROM)
        self.refuse: dict[str, str] = {}
        self.lock = threading.Lock()
        self.controller = Controller(_Collector(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def wait_for(self, count: int, timeout: float = 30.0) -> list[EmailMessage]:
        """Block until at least `count` messages arrived (or fail after `timeout`)."""

        def arrived() -> list[EmailMessage]:
            with self.lock:
                return list(self.messages) if len(self.messages) >= count else []

        return wait_until(arrived, timeout, f"{count} messages")
