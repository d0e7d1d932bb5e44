"""The page language and the locale's numbers and dates (api/render/i18n.py), checked against CLDR's rules."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from yhdyspinta.api.render.i18n import (
    LANGS,
    MESSAGES,
    choose_lang,
    format_date,
    format_number,
    format_percent,
    message,
    missing_translations,
    with_lang,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(("query", "header", "expected"), [
    (None, None, "fi"),                                   # Finnish by default
    (None, "", "fi"),
    ("sv", None, "sv"),
    ("EN", "fi", "en"),                                   # ?lang= wins over the header, any case
    ("de", "sv-FI,sv;q=0.9", "sv"),                       # an unknown ?lang= falls back to the header
    (None, "en-US,en;q=0.9,fi;q=0.8", "en"),
    (None, "de-DE, fr;q=0.9, sv;q=0.2, en;q=0.1", "sv"),  # the best we have, by q
    (None, "fi;q=0.5, en;q=0.5", "fi"),                   # ties keep the header's order
    (None, "en;q=0, sv;q=0.3", "sv"),                     # q=0 means "not this one"
    (None, "*", "fi"),
    (None, "sv;q=abc, en", "en"),                         # a malformed item is skipped, not fatal
    (None, "x" * 5000, "fi"),
    ("sv_FI", None, "sv"),
])
def test_choose_lang(query: str | None, header: str | None, expected: str) -> None:
    assert choose_lang(query, header) == expected


@pytest.mark.parametrize(("n", "lang", "expected"), [
    (120175, "fi", f"120{NBSP}175"),
    (120175, "sv", f"120{NBSP}175"),
    (120175, "en", "120,175"),
    (999, "fi", "999"),
    (1234567, "fi", f"1{NBSP}234{NBSP}567"),
    (-1234, "en", "-1,234"),
    (12.5, "fi", "12,5"),
    (12.5, "en", "12.5"),
])
def test_format_number(n: float, lang: str, expected: str) -> None:
    assert format_number(n, lang) == expected  # type: ignore[arg-type]


def test_format_number_fixed_digits_and_percent() -> None:
    assert format_number(3.14159, "fi", digits=2) == "3,14"
    assert format_number(1234.5, "en", digits=1) == "1,234.5"
    assert format_number(1234.5, "sv", digits=0) == f"1{NBSP}234"  # half to even, as CLDR rounds
    assert format_percent(0.453, "fi") == f"45{NBSP}%" and format_percent(0.453, "en") == "45%"


@pytest.mark.parametrize(("lang", "expected"), [("fi", "24.11.2026"), ("sv", "2026-11-24"), ("en", "24 Nov 2026")])
def test_format_date(lang: str, expected: str) -> None:
    assert format_date(date(2026, 11, 24), lang) == expected  # type: ignore[arg-type]
    assert format_date(datetime(2026, 11, 24, 23, 59), lang) == expected  # type: ignore[arg-type]


def test_catalogue_complete_and_messages_fill() -> None:
    assert missing_translations(MESSAGES) == []
    assert missing_translations({"x": {"fi": "a", "sv": ""}}) == ["x/sv", "x/en"]
    assert {message("nav.home", lang) for lang in LANGS} == {"Etusivu", "Startsida", "Home"}
    assert message("n", "en", {"n": {"fi": "{k} kpl", "sv": "{k} st", "en": "{k} items"}}, k=3) == "3 items"
    with pytest.raises(KeyError):
        message("no such key", "fi")


def test_with_lang() -> None:
    assert with_lang("/report/x", "sv") == "/report/x?lang=sv"
    assert with_lang("/viz?region=a&lang=fi", "en") == "/viz?region=a&lang=en"


def test_every_page_catalogue_is_complete() -> None:
    from yhdyspinta.api.render.report import QUORUM_COLUMNS, TEXT, VALUES

    for catalogue in (MESSAGES, TEXT, VALUES, QUORUM_COLUMNS):
        assert missing_translations(catalogue) == []


def test_report_values_in_the_locale() -> None:
    from yhdyspinta.api.render.report import value_text

    assert value_text(120175, "fi") == f"120{NBSP}175" and value_text(120175, "en") == "120,175"
    assert value_text(3.25, "fi") == "3,2" and value_text(3.25, "en") == "3.2"  # one decimal, half to even
    assert value_text("not on record", "sv") == "inga uppgifter"
    assert value_text("a label from the data", "sv") == "a label from the data"  # data is never translated
