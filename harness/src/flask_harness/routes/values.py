"""Hypothesis strategies for hostile request parts: path segments per converter, queries, bodies.

Every strategy yields text already encoded for the wire (percent-encoded URL parts, body bytes),
so that a failing request prints exactly as it was sent. Imported only by the hostile sweep:
Hypothesis is an optional dependency (extra ``sweep``).
"""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import strategies as st

SPECIAL_INTS = (0, 1, -1, 2**31 - 1, 2**31, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**20, 10**100)
SPECIAL_TEXT = (
    "", ".", "..", "../../../etc/passwd", "\x00", "a\x00b", "\ud800", "\udfff", "%", "%00", "%%",
    "' OR '1'='1", '"; DROP TABLE users; --', "<script>alert(1)</script>", "{{7*7}}", "${7*7}",
    "\u202e", "\ufeff", "🙂", "\U0001d518\U0001d52b", "NaN", "Infinity", "-0", "1e309", "null", "true", "[]", "{}",
    "0x1F", "-1", "99999999999999999999", "a" * 10_000, "\r\nX-Injected: 1",
)
# Sent unencoded: malformed percent-escapes and encodings that decode to nothing valid.
RAW_SEGMENTS = ("%", "%zz", "%0", "%%00", "%ff", "%c0%af", "%ED%A0%80", "%e2%80%ae", "%2e%2e", "%2F")
GENERIC_NAMES = ("page", "q", "next", "id", "per_page", "sort", "limit", "offset", "search", "format",
                 "url", "callback", "title", "content", "body", "name", "username", "email", "password",
                 "is_published", "file", "token", "data")
FILENAMES = ("x.txt", "x.png", "", ".png", "../../x.png", "a\x00.png", "a" * 300 + ".png",
             "x.png.exe", "ünïcödé.txt", "CON.txt", "x.PNG", "x")
DEEP = 100_000
RAW_JSON = (
    "[" * DEEP, "[" * DEEP + "]" * DEEP, '{"a":' * DEEP, "NaN", "Infinity", "-Infinity", '{"id": NaN}',
    "1" * 5000, "1e999", "-1e999", '"\\ud800"', '{"\\ud800": 1}', "", " ", "null", "[]", "{}", '"text"',
    "{", '{"a": 1,}', "\ufeff{}",
)
CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded", "text/plain",
                 "application/json; charset=utf-16", "multipart/form-data")


def wire_text(value: str) -> str:
    """Percent-encode any text for a URL, lone surrogates included (as their UTF-8 bytes)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def hostile_text() -> st.SearchStrategy[str]:
    """Text with NUL bytes, lone surrogates, traversal, markup, huge lengths and odd unicode."""
    any_character = st.characters(codec=None, exclude_categories=())
    return st.one_of(
        st.sampled_from(SPECIAL_TEXT),
        st.text(any_character, max_size=40),
        st.builds(lambda char, size: char * size, st.sampled_from("a%\x00/é"), st.integers(1, 20_000)),
    )


def hostile_ints() -> st.SearchStrategy[int]:
    """Integers at the edges of 32- and 64-bit columns, and far beyond."""
    return st.one_of(st.sampled_from(SPECIAL_INTS), st.integers(), st.integers(-(10**40), 10**40))


def _encoded(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(text.map(wire_text), st.sampled_from(RAW_SEGMENTS))


def int_segment(signed: bool = False) -> st.SearchStrategy[str]:
    """What an ``int`` converter matches, weighted to the column limits, and a little that it refuses."""
    sign = st.sampled_from((1, -1)) if signed else st.just(1)
    sized = st.one_of(st.sampled_from(SPECIAL_INTS).map(abs), st.integers(0, 2**40))
    beyond_64_bits = st.integers(2**63 - 2**8, 10**40)  # where SQLite's INTEGER and BIGINT end
    digits = st.builds(lambda n, s: str(n * s), st.one_of(sized, beyond_64_bits), sign)
    padded = st.integers(0, 10**30).map(lambda n: f"{n:032d}")
    return st.one_of(digits, beyond_64_bits.map(str), padded, _encoded(hostile_text()))


def float_segment() -> st.SearchStrategy[str]:
    """Decimal text a ``float`` converter matches: tiny, huge (overflowing to inf), long."""
    floats = st.floats(min_value=0, allow_nan=False, allow_infinity=False).map(lambda f: f"{f:f}")
    edges = st.sampled_from(("0.0", "1" + "0" * 400 + ".0", "0." + "0" * 400 + "1", "9" * 20 + ".9"))
    return st.one_of(edges, floats, _encoded(hostile_text()))


def uuid_segment() -> st.SearchStrategy[str]:
    """Valid UUIDs in any case, and near misses."""
    return st.one_of(st.uuids().map(str), st.uuids().map(lambda u: str(u).upper()), _encoded(hostile_text()))


def any_segment(items: tuple[str, ...]) -> st.SearchStrategy[str]:
    """One of an ``any`` converter's items, or anything else."""
    return st.one_of(st.sampled_from(items), _encoded(hostile_text())) if items else _encoded(hostile_text())


def text_segment(allow_slash: bool = False) -> st.SearchStrategy[str]:
    """Hostile text for ``string`` and ``path`` converters; ``path`` also gets slashes and ``..``."""
    encoded = _encoded(hostile_text())
    if not allow_slash:
        return encoded
    parts = st.lists(encoded, min_size=1, max_size=5).map("/".join)
    return st.one_of(parts, st.sampled_from(("../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "a/../../b", "//")))


def _pairs(names: tuple[str, ...]) -> st.SearchStrategy[list[tuple[str, str]]]:
    name = st.one_of(st.sampled_from(names), hostile_text())
    value = st.one_of(hostile_text(), hostile_ints().map(str))
    return st.lists(st.tuples(name, value), max_size=6)


def query_string(names: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A query string of known and generic names with hostile values, or raw garbage."""
    encoded = _pairs(names).map(lambda pairs: "&".join(f"{wire_text(k)}={wire_text(v)}" for k, v in pairs))
    return st.one_of(encoded, st.sampled_from(("%", "a=%zz", "=&=&", "a=1&a=2&a[]=3", "a" * 10_000)))


def json_values() -> st.SearchStrategy[object]:
    """JSON-like values of wrong types: huge ints, NaN/Infinity, lone surrogates, nesting."""
    scalars = st.one_of(st.none(), st.booleans(), hostile_ints(), st.floats(), hostile_text())
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=4),
                                st.dictionaries(st.one_of(st.sampled_from(GENERIC_NAMES), hostile_text()),
                                                inner, max_size=5)),
        max_leaves=12,
    )


def _multipart(fields: list[tuple[str, str]], filename: str, content: bytes) -> tuple[str, bytes]:
    """A multipart form with a file part, written by hand so that any name or value goes through."""
    boundary = "hostile-boundary"

    def part(disposition: str, data: bytes) -> bytes:
        return (f"--{boundary}\r\nContent-Disposition: form-data; {disposition}\r\n\r\n"
                .encode("utf-8", "surrogatepass") + data + b"\r\n")

    parts = [part(f'name="{name}"', value.encode("utf-8", "surrogatepass")) for name, value in fields]
    parts.append(part(f'name="file"; filename="{filename}"', content))
    return f"multipart/form-data; boundary={boundary}", b"".join(parts) + f"--{boundary}--\r\n".encode()


def body(names: tuple[str, ...]) -> st.SearchStrategy[tuple[str, bytes] | None]:
    """A content type and body: none, form, multipart with a file, JSON, raw JSON text, mismatched."""
    form = _pairs(names).map(lambda pairs: (
        "application/x-www-form-urlencoded",
        "&".join(f"{wire_text(k)}={wire_text(v)}" for k, v in pairs).encode("ascii")))
    # json.dumps escapes lone surrogates as \ud800 and writes NaN and Infinity literals.
    structured = json_values().map(lambda value: ("application/json", json.dumps(value).encode("ascii")))
    raw = st.tuples(st.sampled_from(("application/json", "application/json; charset=utf-16")),
                    st.sampled_from(RAW_JSON).map(lambda text: text.encode("utf-8", "surrogatepass")))
    mismatched = st.tuples(st.sampled_from(CONTENT_TYPES), st.binary(max_size=64))
    multipart = st.builds(_multipart, _pairs(names), st.sampled_from(FILENAMES), st.binary(max_size=64))
    return st.one_of(st.none(), form, structured, raw, mismatched, multipart)
