"""Numbers and dates are read exactly as the codebooks write them, or refused with the row."""
from __future__ import annotations

import pytest

from conflictgraph.importers.acled import _timestamp, parse_event_date
from conflictgraph.importers.common import RowRejected, parse_float, parse_int, parse_iso_day


@pytest.mark.parametrize("text", ["1_000", "١٢", "１２", "12.5", "²", "1e3", "nan", "12a"])
def test_whole_numbers_in_other_forms_are_refused(text):
    with pytest.raises(RowRejected, match="best: not a whole number"):
        parse_int(text, "best")


def test_whole_numbers_are_exact():
    assert parse_int("12", "best") == 12
    assert parse_int(" 12.0 ", "best") == 12
    assert parse_int("99999999999999999999999999.0", "best") == 99999999999999999999999999
    with pytest.raises(RowRejected, match="negative"):
        parse_int("-3", "best")


@pytest.mark.parametrize("text", ["19.6_7", "١٩.٦", "nan", "inf", "1,5", "0x10"])
def test_decimals_in_other_forms_are_refused(text):
    with pytest.raises(RowRejected, match="latitude: not a number"):
        parse_float(text, "latitude", -90, 90)


@pytest.mark.parametrize("text", ["2023-11-07T25:99:00", "2023-11-07 24:00", "٢٠٢٣-١١-٠٧", "2023-11-07x"])
def test_impossible_or_foreign_days_are_refused(text):
    with pytest.raises(RowRejected):
        parse_iso_day(text, "date_start")
    with pytest.raises(RowRejected):
        parse_event_date(text)


def test_valid_days_and_times_are_read():
    assert parse_iso_day("2023-11-07 23:59:60.000", "date_start").isoformat() == "2023-11-07"
    assert parse_event_date("7-Nov-2023").isoformat() == "2023-11-07"


@pytest.mark.parametrize("text", ["1" * 30, "253402300800", "١٧٠٠٠٠٠٠٠٠", "-1"])
def test_timestamps_out_of_range_or_form_are_refused(text):
    with pytest.raises(RowRejected, match="timestamp"):
        _timestamp(text)


def test_a_timestamp_is_read_as_utc():
    assert _timestamp("1700000100")[1].endswith('"2023-11-14T22:15:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>')
