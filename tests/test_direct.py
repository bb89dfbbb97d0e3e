"""Which GETs ``DirectSparql`` answers itself, and which it leaves to the Flask view."""

from typing import Any

import pytest

from rcsgraph.web.direct import DirectSparql


def _plain(query_string: str, path: str = "/sparql") -> tuple[str, str | None] | None:
    direct = DirectSparql(lambda environ, start: [], lambda: None)  # type: ignore[arg-type, return-value]
    environ: dict[str, Any] = {"PATH_INFO": path, "QUERY_STRING": query_string}
    return direct._plain_query(environ)


@pytest.mark.parametrize(
    ("query_string", "expected"),
    [
        ("query=ASK+%7B%7D", ("ASK {}", None)),
        ("query=ASK%20%7B%7D&format=json", ("ASK {}", "json")),
        ("&query=ASK+%7B%7D&&", ("ASK {}", None)),  # empty fields are skipped, as parse_qsl does
        ("query=%C3%A9", ("é", None)),
        ("query", ("", None)),  # a field without "=": blank, the engine says what is wrong
        ("query=ASK+%7B%7D&format=", ("ASK {}", "")),
    ],
)
def test_plain_queries_are_answered_directly(
    query_string: str, expected: tuple[str, str | None]
) -> None:
    assert _plain(query_string) == expected


@pytest.mark.parametrize(
    "query_string",
    [
        "",
        "format=json",  # no query: the service description
        "query=ASK+%7B%7D&query=ASK+%7B%7D",  # repeated: the view's 400
        "qu%65ry=ASK+%7B%7D",  # an encoded name: the view decodes it
        "query=ASK+%7B%7D&default-graph-uri=urn%3Ag",  # a dataset
        "query=%FF",  # not UTF-8: the view says which byte
        "query=ASK+%7B%7D&format=html",  # the editor
        "query=ASK+{}+#é",  # not ASCII
    ],
)
def test_other_requests_go_to_the_view(query_string: str) -> None:
    assert _plain(query_string) is None


def test_other_paths_go_to_the_view() -> None:
    assert _plain("query=ASK+%7B%7D", path="/sparql/") is None
