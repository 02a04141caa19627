"""Secret values that cannot leak by accident.

A :class:`Secret` prints as ``<redacted>`` in ``str``, ``repr``, f-strings and
logs; only :meth:`Secret.reveal` gives the value, and only the code that puts
it on the wire or into the docker config calls it.  Every Secret made also
registers its value, and every form it travels in (base64 standard and url-safe,
padded and not; JSON-escaped; percent-encoded), with :func:`redact`, which the
CLI's log handler and error printer run over everything they emit, as a second
line of defence for values that came back inside a registry answer (a proxy that
echoes the request's headers, a token service that quotes the form it got).
A value derived from secrets is a Secret where it is made: :func:`basic_auth`
makes ``user:password`` and its base64 (the ``Basic`` header, config.json's
``auth``) in one place.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from typing import NoReturn
from urllib.parse import quote, quote_plus

REDACTED = "<redacted>"
_MIN_LEN = 4  # shorter values would redact ordinary words

_known: set[str] = set()
_lock = threading.Lock()


def _forms(value: str) -> set[str]:
    raw = value.encode()
    forms = {
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        quote(value, safe=""),
        quote_plus(value),
    }
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        enc = encode(raw).decode()
        forms.add(enc)
        forms.add(enc.rstrip("="))
    return {f for f in forms if len(f) >= _MIN_LEN}


def register(value: str) -> None:
    """Remember ``value`` so that :func:`redact` hides it wherever it appears."""
    if value and len(value) >= _MIN_LEN:
        with _lock:
            _known.update(_forms(value))


def redact(text: str) -> str:
    """Replace every registered secret (and its base64 forms) in ``text``."""
    if not text or not _known:
        return text
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, REDACTED)
    return text


class Secret:
    """A string that never shows itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str | Secret):
        if isinstance(value, Secret):
            value = value.reveal()
        self._value = str(value)
        register(self._value)

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return f"Secret({REDACTED})"

    def __str__(self) -> str:
        return REDACTED

    __format__ = lambda self, spec: REDACTED  # noqa: E731  f"{secret}" too

    def __reduce__(self) -> NoReturn:  # no pickling a secret into a cache or a log by accident
        raise TypeError("Secret values cannot be pickled")


def basic_auth(username: str, password: Secret) -> Secret:
    """base64 of ``username:password``: the ``Basic`` header's value and config.json's ``auth``.

    Both the pair and its base64 are registered, so neither a registry that echoes the
    ``Authorization`` header nor a config.json quoted back can show them.
    """
    pair = Secret(f"{username}:{password.reveal()}")
    return Secret(base64.b64encode(pair.reveal().encode()).decode())


class RedactingFilter(logging.Filter):
    """Log filter that renders the message and scrubs registered secrets from it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
