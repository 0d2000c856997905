import datetime as dt
import re

from django import forms

from common.forms import TimeZoneField
from common.timezones import is_time_zone
from lessons.models import Lesson

from .durations import DurationError, duration_parse_minutes
from .models import DEFAULT_CUTOFF_TIME, NOTES_MAX_LENGTH, PROJECT_DESCRIPTION_MAX_LENGTH, SUMMARY_MAX_LENGTH, Accomplishment, Cohort


class DurationField(forms.CharField):
    """A time typed as 1.5, 1:30, 1h30 or 90m, cleaned to whole minutes."""

    MAX_TEXT = 20

    def __init__(self, *, blank_means_zero: bool = False, **kwargs):
        self.blank_means_zero = blank_means_zero
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "data-duration": "1", "maxlength": self.MAX_TEXT})
        return attrs

    def prepare_value(self, value):
        # An edit form starts from the stored minutes; show them the way people type them.
        if isinstance(value, int):
            hours, minutes = divmod(value, 60)
            return f"{hours}:{minutes:02d}" if value else ""
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return 0 if self.blank_means_zero else None
        if len(text) > self.MAX_TEXT:
            raise forms.ValidationError("That is too long for a time: try 1.5, 1:30, 1h30 or 90m.", code="too_long")
        try:
            return duration_parse_minutes(text)
        except DurationError as exc:
            raise forms.ValidationError(str(exc), code="unreadable") from exc


class LessonSelect(forms.Select):
    """The lesson menu: its first option is a lesson, so HTML forbids `required` on it.

    Django would read the lessons a second time to find that out.
    """

    def use_required_attribute(self, initial) -> bool:
        return False


class StudyLogForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    lesson = forms.ModelChoiceField(queryset=Lesson.objects.order_by("number"), empty_label=None, widget=LessonSelect)
    minutes = DurationField(label="Time studied", help_text="1.5, 1:30, 1h30 or 90m; a bare number is hours.")
    community_minutes = DurationField(
        label="Community time",
        required=False,
        blank_means_zero=True,
        help_text="Chat, study groups, AMAs. Same formats; leave empty for none.",
    )
    notes = forms.CharField(
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown. What you learnt, what was hard, links you want to keep.",
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].widget.attrs["max"] = today.isoformat()


class LogSuggestionForm(forms.Form):
    """What a link to the new-log page may suggest (`?day=2026-12-01&lesson=3`); the student still chooses."""

    day = forms.DateField(label="Day", required=False)
    lesson = forms.IntegerField(label="Lesson", min_value=1, max_value=2**31 - 1, required=False)


class CalendarFeedForm(forms.Form):
    token = forms.CharField(label="Calendar token", max_length=64)


class ProfileForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=150)
    time_zone = TimeZoneField(label="Your time zone")
    weekday_goal_hours = forms.DecimalField(
        label="Daily goal on weekdays (hours)", min_value=0, max_value=24, decimal_places=1, max_digits=4
    )
    weekend_goal_hours = forms.DecimalField(
        label="Daily goal at weekends (hours)", min_value=0, max_value=24, decimal_places=1, max_digits=4
    )
    wants_reminders = forms.BooleanField(label="Email me deadline reminders", required=False)
    wants_digests = forms.BooleanField(label="Email me a weekly digest", required=False)
    wants_nudges = forms.BooleanField(label="Let my study group's mentors email me a nudge", required=False)
    wants_event_reminders = forms.BooleanField(label="Email me about the events I will come to: a reminder an hour before, and word if one is cancelled", required=False)
    calendar_all_events = forms.BooleanField(
        label="Put every event in my calendar feed", required=False, help_text="Otherwise only the events you said you will come to."
    )


class DaysOffField(forms.CharField):
    """Dates typed as 2026-12-24, one per line or comma-separated; a range as 2026-12-24..2026-12-26.

    With `window` set (the course's first and last day) every day must lie inside it, so a range
    typed a century long is refused before a single day of it is counted.
    """

    widget = forms.Textarea
    MAX_ENTRIES = 100

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2_000)
        self.window: tuple[dt.date, dt.date] | None = None
        super().__init__(**kwargs)

    def to_python(self, value) -> list[dt.date]:
        text = super().to_python(value) or ""
        tokens = [token for token in re.split(r"[\s,;]+", text.strip()) if token]
        if len(tokens) > self.MAX_ENTRIES:
            raise forms.ValidationError(
                "At most %(limit)s days or ranges; join neighbouring days into ranges such as 2026-12-24..2026-12-26.",
                params={"limit": self.MAX_ENTRIES},
            )
        days: set[dt.date] = set()
        bad: list[str] = []
        outside: list[str] = []
        for token in tokens:
            first, _, last = token.partition("..")
            try:
                start = dt.date.fromisoformat(first)
                end = dt.date.fromisoformat(last) if last else start
            except ValueError:
                bad.append(token)
                continue
            if end < start:
                bad.append(token)
                continue
            if self.window is not None and not (self.window[0] <= start and end <= self.window[1]):
                outside.append(token)
                continue
            if (end - start).days > 366:
                bad.append(token)
                continue
            days.update(start + dt.timedelta(days=offset) for offset in range((end - start).days + 1))
        if bad:
            raise forms.ValidationError(
                "Can not read %(bad)s: write days as YYYY-MM-DD, and ranges as YYYY-MM-DD..YYYY-MM-DD.",
                params={"bad": ", ".join(bad[:5])},
            )
        if outside:
            raise forms.ValidationError(
                "Days off lie inside the course, %(first)s to %(last)s: %(outside)s is not.",
                params={"first": f"{self.window[0]:%-d %b %Y}", "last": f"{self.window[1]:%-d %b %Y}", "outside": ", ".join(outside[:5])},
            )
        return sorted(days)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(day.isoformat() if isinstance(day, dt.date) else str(day) for day in value)
        return value


class ScheduleForm(forms.Form):
    starts_on = forms.DateField(label="Start on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    target_on = forms.DateField(
        label="Finish by",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="A week before the cut-off is the habit that works.",
    )
    weekday_hours = forms.DecimalField(
        label="Hours a day on weekdays", min_value=0, max_value=24, decimal_places=2, max_digits=4,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )
    weekend_hours = forms.DecimalField(
        label="Hours a day at weekends", min_value=0, max_value=24, decimal_places=2, max_digits=4,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )
    days_off = DaysOffField(
        label="Days off",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-12-24..2026-12-26\n2027-01-01"}),
        help_text="One per line; a range as 2026-12-24..2026-12-26.",
    )
    accept_after_cutoff = forms.BooleanField(
        label="I have read the warning: save this plan although it ends after the cut-off", required=False
    )

    def __init__(self, *args, window: tuple[dt.date, dt.date] | None = None, **kwargs):
        """`window`: the course's first and last day for this student; days off must lie inside it."""
        super().__init__(*args, **kwargs)
        self.fields["days_off"].window = window

    @classmethod
    def submitted(cls, choices: dict, *, window: tuple[dt.date, dt.date]) -> "ScheduleForm":
        """A bound form carrying `choices` (dates, hours, days off) as if the student had typed them in."""
        data = {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in choices.items()}
        data["days_off"] = "\n".join(day.isoformat() for day in choices.get("days_off", []))
        return cls(data, window=window)


class ScheduleItemMoveForm(forms.Form):
    ends_on = forms.DateField(label="New last day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class WeeklySummaryForm(forms.Form):
    body = forms.CharField(
        label="Your summary",
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Markdown. Started for you from this week's logs: edit it into your own words.",
    )
    is_shared = forms.BooleanField(
        label="Share with the cohort (others see it on the community page; private otherwise)", required=False
    )


class AccomplishmentForm(forms.ModelForm):
    link = forms.URLField(label="Link (optional)", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Accomplishment
        fields = ["title", "achieved_on", "kind", "link"]
        widgets = {"achieved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"achieved_on": "Date"}


class ProjectForm(forms.Form):
    url = forms.URLField(
        label="Link to your project", max_length=500, assume_scheme="https",
        help_text="The repository or notebook, starting with https://",
    )
    description = forms.CharField(
        label="Short description", required=False, max_length=PROJECT_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}), help_text="Markdown. What you built and how well it does.",
    )
    score = forms.DecimalField(
        label="Score (when the programme publishes one)", required=False, min_value=0, max_digits=6, decimal_places=2
    )


class CohortForm(forms.ModelForm):
    """Staff enter the cut-off as the programme announces it: a date and a time in its own zone."""

    time_zone = TimeZoneField(initial="America/Los_Angeles")
    cutoff_date = forms.DateField(label="Cut-off date", help_text="In the programme's time zone.")
    cutoff_time = forms.TimeField(label="Cut-off time", initial=DEFAULT_CUTOFF_TIME, help_text="Default 23:59.")

    class Meta:
        model = Cohort
        fields = [
            "name", "slug", "opens_on", "time_zone", "phase_two_seats", "accepts_signups", "students_create_groups",
            "at_risk_idle_days",
            "at_risk_silent_weeks", *Cohort.SCORE_WEIGHTS,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            local = self.instance.cutoff_local
            self.initial.setdefault("cutoff_date", local.date())
            self.initial.setdefault("cutoff_time", local.time().replace(second=0, microsecond=0))

    def clean(self):
        cleaned = super().clean()
        day, at, zone = cleaned.get("cutoff_date"), cleaned.get("cutoff_time"), cleaned.get("time_zone")
        if day and at and zone and is_time_zone(zone):
            self.instance.cutoff_at = Cohort.cutoff_from_local(day=day, at=at, time_zone=zone)
            if cleaned.get("opens_on") and day < cleaned["opens_on"]:
                self.add_error("cutoff_date", "The cut-off must come after the opening day.")
        return cleaned
