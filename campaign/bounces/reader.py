"""The bounce mailbox reader: a local Maildir (embedded mode, or a mail server that
delivers there) and/or an IMAP mailbox. Run by a Celery beat task every minute.

A message is marked seen only after its bounces are committed, so a crash reads it again;
applying a bounce twice changes nothing.
"""

from __future__ import annotations

import imaplib
import logging
import mailbox
from collections.abc import Callable

from flask import current_app

from campaign.bounces.parse import parse
from campaign.bounces.services import apply_all
from campaign.extensions import db

log = logging.getLogger(__name__)
SEEN, FLAGGED = "S", "F"


def read_maildir(path: str, handle: Callable[[bytes], object] | None = None) -> int:
    """Process the unseen messages of the Maildir at `path`; returns how many."""
    handle = handle or _handle
    box = mailbox.Maildir(path, factory=None, create=True)
    done = 0
    for key in list(box.iterkeys()):
        message = box.get_message(key)
        if SEEN in message.get_flags():
            continue
        if not _handled(handle, box.get_bytes(key)):
            message.add_flag(FLAGGED)  # left for a person to look at
        message.set_subdir("cur")
        message.add_flag(SEEN)
        box[key] = message
        done += 1
    return done


def _handled(handle: Callable[[bytes], object], raw: bytes) -> bool:
    """One message; a message that breaks the parser must not block the ones after it."""
    try:
        handle(raw)
    except Exception:
        db.session.rollback()
        log.exception("bounce message not understood; flagged and skipped")
        return False
    return True


def read_imap(handle: Callable[[bytes], object] | None = None) -> int:
    """Process the unseen messages of the configured IMAP folder (TLS); returns how many."""
    handle = handle or _handle
    config = current_app.config
    done = 0
    with imaplib.IMAP4_SSL(config["BOUNCE_IMAP_HOST"], config["BOUNCE_IMAP_PORT"]) as imap:
        imap.login(config["BOUNCE_IMAP_USERNAME"], config["BOUNCE_IMAP_PASSWORD"])
        imap.select(config["BOUNCE_IMAP_FOLDER"])
        _, found = imap.uid("SEARCH", "UNSEEN")  # imaplib leaves out a None charset anyway
        for uid in (found[0] or b"").decode("ascii").split():
            _, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in data if isinstance(item, tuple)), None)
            if raw is not None and not _handled(handle, raw):
                imap.uid("STORE", uid, "+FLAGS", "(\\Flagged)")
            imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            done += 1
    return done


def _handle(raw: bytes) -> object:
    """Without VERP, a DSN's named address is all there is to go by."""
    return apply_all(parse(raw), trust_address=not current_app.config.get("BOUNCE_ADDRESS"))


def read_configured() -> int:
    """Read every configured bounce mailbox; 0 when none is configured."""
    config = current_app.config
    done = 0
    if config.get("BOUNCE_MAILDIR"):
        done += read_maildir(config["BOUNCE_MAILDIR"])
    if config.get("BOUNCE_IMAP_HOST"):
        try:
            done += read_imap()
        except (OSError, imaplib.IMAP4.error) as error:
            log.warning("bounce mailbox not read: %s", error)
    return done
