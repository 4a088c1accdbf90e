"""The rules that decide whether a write came from stretchcoach's own pages (domain.csrf)."""

from __future__ import annotations

import pytest

from stretchcoach.domain.csrf import origin_refusal, own_origin, signed_token, token_matches

HOST = "127.0.0.1:8000"
SAME = "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("origin", "fetch_site", "scheme", "host", "refused"),
    [
        (SAME, None, "http", HOST, False),
        (SAME, "same-origin", "http", HOST, False),
        ("HTTP://127.0.0.1:8000", None, "http", HOST, False),
        ("http://localhost:8000", None, "http", "LOCALHOST:8000", False),
        ("https://stretch.example.org", None, "https", "stretch.example.org:443", False),
        ("https://stretch.example.org:443", None, "https", "stretch.example.org", False),
        ("http://[::1]:8000", None, "http", "[::1]:8000", False),
        ("http://127.0.0.1:9000", None, "http", HOST, True),
        ("http://localhost:8000", None, "http", HOST, True),
        ("https://127.0.0.1:8000", None, "http", HOST, True),
        ("http://stretch.example.org", None, "https", "stretch.example.org", True),
        ("http://evil.example", None, "http", HOST, True),
        ("null", None, "http", HOST, True),
        ("", None, "http", HOST, True),
        ("http://127.0.0.1:80000", None, "http", HOST, True),
        ("http://127.0.0.1:8000/journal", None, "http", HOST, True),
        ("file://", None, "http", HOST, True),
        (SAME, "same-site", "http", HOST, True),
        (SAME, "cross-site", "http", HOST, True),
        (None, None, "http", HOST, False),
        (None, "same-origin", "http", HOST, False),
        (None, "none", "http", HOST, False),
        (None, "Same-Origin", "http", HOST, False),
        (None, "same-site", "http", HOST, True),
        (None, "cross-site", "http", HOST, True),
        (None, "", "http", HOST, True),
        (None, "something-new", "http", HOST, True),
        (SAME, None, "http", "", True),
        (SAME, None, "http", "127.0.0.1:port", True),
    ],
    ids=[
        "same",
        "same-and-fetch-site-agrees",
        "scheme-in-capitals",
        "host-in-capitals",
        "default-port-left-out-of-host",
        "default-port-written-in-origin",
        "ipv6",
        "another-port",
        "another-name-for-this-machine",
        "https-page-posting-to-http",
        "http-page-behind-an-https-proxy",
        "another-site",
        "null-origin",
        "empty-origin",
        "port-out-of-range",
        "origin-with-a-path",
        "file-page",
        "origin-agrees-but-fetch-site-says-same-site",
        "origin-agrees-but-fetch-site-says-cross-site",
        "neither-header-is-not-a-browser",
        "fetch-site-same-origin",
        "fetch-site-none-typed-by-the-person",
        "fetch-site-in-capitals",
        "fetch-site-same-site-another-port",
        "fetch-site-cross-site",
        "fetch-site-empty",
        "fetch-site-unknown",
        "no-host-header",
        "host-header-unreadable",
    ],
)
def test_a_write_goes_on_only_from_this_servers_own_origin(
    origin: str | None, fetch_site: str | None, scheme: str, host: str, refused: bool
) -> None:
    reason = origin_refusal(origin=origin, fetch_site=fetch_site, scheme=scheme, host=host)

    assert (reason is not None) is refused, reason


def test_a_refusal_names_the_page_that_sent_it_and_where_the_app_is() -> None:
    reason = origin_refusal(
        origin="http://127.0.0.1:9000", fetch_site=None, scheme="http", host=HOST
    )

    assert reason == (
        "nothing was changed: this came from another page ('http://127.0.0.1:9000'), not from "
        "stretchcoach. Use stretchcoach at http://127.0.0.1:8000"
    )


def test_a_refusal_quotes_a_long_origin_shortened() -> None:
    reason = origin_refusal(origin="http://" + "a" * 500, fetch_site=None, scheme="http", host=HOST)

    assert reason is not None and "…" in reason and "a" * 81 not in reason


@pytest.mark.parametrize(
    ("headers", "refused"),
    [({}, True), ({"origin": SAME}, False), ({"origin": "http://127.0.0.1:9000"}, True)],
    ids=["no-origin", "same", "another-port"],
)
def test_a_websocket_needs_an_origin_of_its_own(headers: dict[str, str], refused: bool) -> None:
    reason = origin_refusal(
        origin=headers.get("origin"), fetch_site=None, scheme="ws", host=HOST, websocket=True
    )

    assert (reason is not None) is refused


@pytest.mark.parametrize(
    ("scheme", "host", "expected"),
    [
        ("ws", HOST, ("http", "127.0.0.1", 8000)),
        ("wss", "stretch.example.org", ("https", "stretch.example.org", 443)),
        ("http", "Stretch.Example.org.", ("http", "stretch.example.org", 80)),
        ("ftp", HOST, None),
        ("http", "   ", None),
    ],
    ids=["ws-is-http", "wss-is-https", "case-and-trailing-dot", "unknown-scheme", "blank-host"],
)
def test_own_origin_is_the_address_the_browser_asked_for(
    scheme: str, host: str, expected: tuple[str, str, int] | None
) -> None:
    assert own_origin(scheme, host) == expected


KEY = bytes(range(32))


def test_a_signed_token_depends_on_the_key_the_purpose_and_the_value() -> None:
    token = signed_token(KEY, "browser", "abc")

    assert token == signed_token(KEY, "browser", "abc")
    assert token != signed_token(bytes(32), "browser", "abc")
    assert token != signed_token(KEY, "session", "abc")
    assert token != signed_token(KEY, "browser", "abd")
    assert token != "abc" and len(token) == 43  # 32 bytes of HMAC-SHA256, base64url


@pytest.mark.parametrize(
    ("expected", "sent", "matches"),
    [
        ("abc", "abc", True),
        ("abc", "abd", False),
        ("abc", "", False),
        ("abc", None, False),
        (None, "abc", False),
        ("", "", False),
        ("abc", "ábc", False),
        ("abc", "\udcff", False),
    ],
    ids=[
        "same",
        "different",
        "empty",
        "missing",
        "nothing-expected",
        "both-empty",
        "accent",
        "lone",
    ],
)
def test_tokens_match_only_when_equal_and_present(
    expected: str | None, sent: str | None, matches: bool
) -> None:
    assert token_matches(expected, sent) is matches
