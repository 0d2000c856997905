"""The verdict's words never say what its numbers contradict (found by a review of the one-truth change)."""

import datetime as dt

from progress.standing import Rules, StoredNumbers, Verdict, status_on

OPENS = dt.date(2026, 11, 9)
RULES = Rules(opens_on=OPENS, idle_days=5, silent_weeks=2, cutoff_day=dt.date(2027, 1, 9))


def test_behind_a_plan_with_no_log_yet_does_not_claim_a_recent_pace():
    numbers = StoredNumbers(has_plan=True, plan_starts_on=OPENS, plan_ends_on=OPENS + dt.timedelta(days=40),
                            plan_reached_on=OPENS - dt.timedelta(days=1), remaining_minutes=6000)
    status = status_on(numbers=numbers, rules=RULES, today=OPENS + dt.timedelta(days=3))
    assert status.verdict == Verdict.BEHIND
    assert status.headline == "You are behind your plan by 3 days; your first study log starts your forecast."
    assert "recent pace" not in status.headline


def test_after_the_cutoff_an_unfinished_student_is_not_told_they_may_still_miss_it():
    last = dt.date(2027, 1, 5)
    numbers = StoredNumbers(last_study_day=last, total_minutes=600, days_studied=3, recent_minutes=(60,), remaining_minutes=600,
                            late_from=last)
    status = status_on(numbers=numbers, rules=RULES, today=dt.date(2027, 1, 12))
    assert status.verdict == Verdict.AT_RISK
    assert status.headline == "The course has closed and not every lesson was marked done."
