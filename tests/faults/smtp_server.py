"""A scriptable SMTP server for fault tests: it can refuse at any stage, close the session
after a 421, vanish in the middle of a message, or store a message and never answer.

Plain sockets and one thread per session, so a misbehaviour is exactly what the test asks
for (a library server answers correctly whatever we would like it to do).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field

from tests.support.smtp import free_port
from tests.support.waiting import wait_until


@dataclass
class Script:
    """What the server does; tests change it between steps."""

    greeting: str = "220 faults.example ESMTP"
    mail_reply: str = "250 OK"
    rcpt_replies: dict[str, str] = field(default_factory=dict)  # address -> reply
    vanish_mid_data: set[str] = field(default_factory=set)  # close while reading the text
    hang_mid_data: set[str] = field(default_factory=set)  # stop reading the text until release
    silent_after_data: set[str] = field(default_factory=set)  # store, then never answer
    hold_at_rcpt: str = ""  # wait for `resume` before answering RCPT TO for this address


class FaultSMTP:
    """Start, point the app at `port`, read `stored` (envelope recipient per message)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.script = Script()
        self.stored: list[str] = []
        self.hung: list[str] = []  # recipients whose session hangs now (mid-DATA or after it)
        self.sessions = 0
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.holding = threading.Event()
        self.resume = threading.Event()
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._server.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.release.set()
        self.resume.set()
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()

    def wait_for(self, count: int, timeout: float = 30.0) -> list[str]:
        def arrived() -> list[str]:
            with self.lock:
                return list(self.stored) if len(self.stored) >= count else []

        return wait_until(arrived, timeout, f"{count} messages")

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                self.sessions += 1
            threading.Thread(target=self._session, args=(connection,), daemon=True).start()

    def _session(self, connection: socket.socket) -> None:
        with connection, connection.makefile("rb") as reader, contextlib.suppress(OSError):
            _Session(self, connection, reader).run()


class _Session:
    def __init__(self, server: FaultSMTP, connection: socket.socket, reader) -> None:
        self.server, self.connection, self.reader = server, connection, reader
        self.recipient = ""

    def say(self, line: str) -> None:
        self.connection.sendall(line.encode() + b"\r\n")

    def run(self) -> None:
        script = self.server.script
        self.say(script.greeting)
        if not script.greeting.startswith("2"):
            return
        while True:
            line = self.reader.readline()
            if not line:
                return
            verb = line[:4].decode(errors="replace").upper()
            if not self.command(verb, line.decode(errors="replace").strip()):
                return

    def command(self, verb: str, line: str) -> bool:
        script = self.server.script
        if verb in ("EHLO", "HELO"):
            self.say("250 faults.example")
        elif verb == "MAIL":
            self.say(script.mail_reply)
        elif verb == "RCPT":
            self.recipient = line.partition(":")[2].strip().strip("<>")
            if self.recipient == script.hold_at_rcpt:
                self.server.holding.set()
                self.server.resume.wait(timeout=60)
            reply = script.rcpt_replies.get(self.recipient, "250 OK")
            self.say(reply)
            return not reply.startswith("421")
        elif verb == "DATA":
            self.say("354 go ahead")
            return self.data()
        elif verb == "QUIT":
            self.say("221 bye")
            return False
        else:
            self.say("250 OK")
        return True

    def hang(self) -> None:
        with self.server.lock:
            self.server.hung.append(self.recipient)
        self.server.release.wait(timeout=60)

    def data(self) -> bool:
        script = self.server.script
        if self.recipient in script.vanish_mid_data:
            self.reader.readline()
            return False  # the connection closes before the final "."
        if self.recipient in script.hang_mid_data:
            self.reader.readline()
            self.hang()  # still receiving when the sender dies: the message is discarded
            return False
        line = b"-"
        while line not in (b".\r\n", b""):
            line = self.reader.readline()
        if not line:
            return False  # a session cut before the final "." is discarded, as real servers do
        with self.server.lock:
            self.server.stored.append(self.recipient)
        if self.recipient in script.silent_after_data:
            self.hang()
            return False
        self.say("250 stored")
        return True
