"""The messages a test's app sent, whatever sent them: one shape (``SentMail``) and the outbox of a test."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses
from html.parser import HTMLParser
from typing import Any

URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')\]]+")


@dataclass(frozen=True)
class SentMail:
    """One message: its subject, addresses and bodies, and the object the app sent (``raw``)."""

    subject: str
    sender: str
    to: list[str]
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    text: str = ""
    html: str = ""
    raw: Any = None

    @property
    def recipients(self) -> list[str]:
        """Every address the message goes to: to, cc and bcc."""
        return [*self.to, *self.cc, *self.bcc]

    def links(self) -> list[str]:
        """The URLs in the message, in order, each once: the HTML body's ``href``s, then the text's."""
        found = _hrefs(self.html) + URL_IN_TEXT.findall(self.text)
        return list(dict.fromkeys(link.rstrip(".,;:!?") for link in found))


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if tag == "a" and name == "href" and value]


def _hrefs(html: str) -> list[str]:
    parser = _Hrefs()
    parser.feed(html)
    return parser.found


def _addresses(values: Any) -> list[str]:
    """Addresses as ``name@host``, from a header, a list of strings or of (name, address) pairs."""
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    flat = [value if isinstance(value, str) else f"{value[0]} <{value[1]}>" for value in values]
    return [address for _, address in getaddresses(flat) if address]


def _bodies(message: Message) -> tuple[str, str]:
    """The first text/plain and text/html parts of a stdlib message."""
    text = html = ""
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        payload = part.get_payload(decode=True)
        content = payload.decode(part.get_content_charset() or "utf-8", "replace") if isinstance(payload, bytes) else ""
        if part.get_content_type() == "text/plain" and not text:
            text = content
        elif part.get_content_type() == "text/html" and not html:
            html = content
    return text, html


def from_email_message(message: Message, raw: Any = None, bcc: list[str] | None = None) -> SentMail:
    """A stdlib message (``email.message.EmailMessage``, a ``MIMEText``…)."""
    text, html = _bodies(message)
    return SentMail(subject=str(message.get("Subject", "")), sender=str(message.get("From", "")),
                    to=_addresses(message.get_all("To")), cc=_addresses(message.get_all("Cc")),
                    bcc=bcc if bcc is not None else _addresses(message.get_all("Bcc")),
                    text=text, html=html, raw=raw if raw is not None else message)


def sent_mail_of(message: Any) -> SentMail:
    """The one shape of whatever a backend sent: a ``SentMail``, a stdlib message, Flask-Mail's
    ``Message`` or Flask-Mailman's ``EmailMessage``."""
    if isinstance(message, SentMail):
        return message
    if isinstance(message, Message):
        return from_email_message(message)
    if hasattr(message, "recipients") and hasattr(message, "html"):  # Flask-Mail's Message
        sender = message.sender
        return SentMail(subject=message.subject or "", sender=sender if isinstance(sender, str) else
                        f"{sender[0]} <{sender[1]}>" if sender else "",
                        to=_addresses(message.recipients), cc=_addresses(message.cc),
                        bcc=_addresses(message.bcc), text=message.body or "", html=message.html or "",
                        raw=message)
    if hasattr(message, "message") and hasattr(message, "bcc"):  # Flask-Mailman's EmailMessage
        return from_email_message(message.message(), raw=message, bcc=_addresses(message.bcc))
    raise TypeError(f"mail_outbox cannot read a {type(message).__name__}: record a SentMail, an "
                    "email.message.Message, or Flask-Mail's or Flask-Mailman's message")


class MailOutbox:
    """Every message the app sent during the test, oldest first; a sequence of ``SentMail``.

    Messages come from any thread (a live-server request, a thread it started): ``wait_for`` waits
    for those still on their way.
    """

    def __init__(self) -> None:
        self._messages: list[SentMail] = []
        self._arrived = threading.Condition()

    def record(self, message: Any) -> None:
        """Add a message the app sent (see ``sent_mail_of`` for what it may be)."""
        mail = sent_mail_of(message)
        with self._arrived:
            self._messages.append(mail)
            self._arrived.notify_all()

    append = record  # an app whose backend appends to a list can be given the outbox itself

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[SentMail]:
        """Wait until at least ``count`` messages were sent; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self._messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} sent message(s) within {timeout:g}s, "
                                         f"got {len(self._messages)}: {self.subjects()}")
                self._arrived.wait(left)
            return list(self._messages)

    def subjects(self) -> list[str]:
        return [mail.subject for mail in self]

    def links(self) -> list[str]:
        """Every URL of every message, in order, each once."""
        return list(dict.fromkeys(link for mail in self for link in mail.links()))

    def __iter__(self) -> Iterator[SentMail]:
        return iter(list(self._messages))

    def __len__(self) -> int:
        return len(self._messages)

    def __getitem__(self, index: int) -> SentMail:
        return self._messages[index]

    def __eq__(self, other: object) -> bool:
        return list(self) == other if isinstance(other, list) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"MailOutbox({self.subjects()!r})"
