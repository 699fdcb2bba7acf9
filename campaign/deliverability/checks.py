"""Checking the DNS records that decide whether journalists' mail servers trust our mail.

Each check returns a verdict and a sentence saying what is missing and what to add. The TXT
lookup is a function (`TxtLookup`) so tests pass a fake resolver instead of the network;
the app uses dnspython's, or the one stored in `app.extensions["deliverability.txt"]`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

from campaign.site.services import organization

TxtLookup = Callable[[str], list[str]]


class LookupFailed(Exception):
    """The DNS could not be asked (timeout, no network): not the same as "no record"."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    record: str
    advice: str


def dns_txt(name: str) -> list[str]:
    """The TXT strings at `name` (empty if there are none), via dnspython."""
    import dns.exception
    import dns.resolver

    try:
        answer = dns.resolver.resolve(name, "TXT", lifetime=5)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except dns.exception.DNSException as error:
        raise LookupFailed(str(error)) from error
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


def _lookup() -> TxtLookup:
    return current_app.extensions.get("deliverability.txt", dns_txt)


def spf(domain: str, txt: TxtLookup) -> Check:
    records = [r for r in txt(domain) if r.lower().startswith("v=spf1")]
    if not records:
        return Check(
            "SPF",
            False,
            "",
            f"{domain} publishes no SPF record, so receivers cannot tell which servers may "
            f"send its mail. Add a TXT record at {domain} such as “v=spf1 include:<your mail "
            "provider> ~all” (your provider documents the include).",
        )
    if len(records) > 1:
        return Check(
            "SPF",
            False,
            " | ".join(records),
            "There is more than one SPF record; receivers "
            "treat that as an error. Merge them into one TXT record.",
        )
    record = records[0]
    if record.split()[-1] in ("+all", "all"):
        return Check(
            "SPF",
            False,
            record,
            "The record ends in “+all”: it allows every server "
            "on the internet to send as you. End it with “~all” or “-all”.",
        )
    return Check("SPF", True, record, "An SPF record is published.")


def dkim(domain: str, txt: TxtLookup) -> Check:
    config = current_app.config
    selector, signing_domain = config.get("DKIM_SELECTOR", ""), config.get("DKIM_DOMAIN", "")
    if not (selector and signing_domain and config.get("DKIM_PRIVATE_KEY_PATH")):
        return Check(
            "DKIM",
            False,
            "",
            "Emails are not DKIM-signed. Set DKIM_SELECTOR, "
            "DKIM_DOMAIN and DKIM_PRIVATE_KEY_PATH, and publish the public key.",
        )
    name = f"{selector}._domainkey.{signing_domain}"
    records = [r for r in txt(name) if "p=" in r]
    if not records:
        return Check(
            "DKIM",
            False,
            "",
            f"Emails are signed with selector “{selector}”, but "
            f"no public key is published at {name}: receivers cannot verify the "
            "signature. Publish the TXT record “v=DKIM1; k=rsa; p=<public key>”.",
        )
    aligned = domain == signing_domain or domain.endswith("." + signing_domain)
    advice = (
        "The public key is published."
        if aligned
        else (
            f"The key is published, but mail is signed for {signing_domain} while it is sent "
            f"from {domain}; DMARC needs them to match."
        )
    )
    return Check("DKIM", aligned, records[0], advice)


def dmarc(domain: str, txt: TxtLookup) -> Check:
    records = [r for r in txt(f"_dmarc.{domain}") if r.lower().startswith("v=dmarc1")]
    if not records:
        return Check(
            "DMARC",
            False,
            "",
            f"No DMARC policy at _dmarc.{domain}. Gmail and "
            "Yahoo require one of bulk senders. Start with the TXT record "
            "“v=DMARC1; p=none; rua=mailto:<an address that reads reports>”.",
        )
    record = records[0]
    tags = dict(part.strip().split("=", 1) for part in record.split(";") if "=" in part)
    if tags.get("p", "").strip().lower() == "none":
        return Check(
            "DMARC",
            True,
            record,
            "A DMARC policy is published in monitoring mode "
            "(p=none); move to p=quarantine once the reports show only your mail.",
        )
    return Check("DMARC", True, record, "A DMARC policy is published.")


def check_sender_domain() -> tuple[str, list[Check]]:
    """The sender domain and its three checks; a failed lookup is reported, not raised."""
    domain = organization().sender_address.rpartition("@")[2].strip().lower()
    txt = _lookup()
    checks = []
    for check in (spf, dkim, dmarc):
        try:
            checks.append(check(domain, txt))
        except LookupFailed as error:
            name = check.__name__.upper()
            checks.append(Check(name, False, "", f"The DNS could not be asked: {error}"))
    return domain, checks
