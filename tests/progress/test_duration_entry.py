import pytest

from progress.durations import DurationError, duration_parse_minutes


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("1.5", 90),
        ("1,5", 90),
        ("1:30", 90),
        ("1h30", 90),
        ("1h 30m", 90),
        ("1 h 30 min", 90),
        ("90m", 90),
        ("90 min", 90),
        ("2", 120),
        ("2h", 120),
        (".25", 15),
        ("0:45", 45),
        (" 3 ", 180),
    ],
)
def test_typed_times_read_as_minutes_with_a_bare_number_meaning_hours(typed, minutes):
    assert duration_parse_minutes(typed) == minutes


@pytest.mark.parametrize("typed", ["", "abc", "1:75", "h", "-1", "1.5.2", "30s", "1h30h", "ninety"])
def test_unreadable_times_raise_a_message_with_examples(typed):
    with pytest.raises(DurationError) as excinfo:
        duration_parse_minutes(typed)
    assert "1:30" in str(excinfo.value)
