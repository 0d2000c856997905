import datetime as dt

from django import forms

from lessons.models import Lesson
from scholarship.timezones import time_zone_choices

from .durations import DurationError, duration_parse_minutes
from .models import NOTES_MAX_LENGTH


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


class StudyLogForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    lesson = forms.ModelChoiceField(queryset=Lesson.objects.order_by("number"), empty_label=None)
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


class ProfileForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=150)
    time_zone = forms.ChoiceField(label="Your time zone", choices=time_zone_choices)
    weekday_goal_hours = forms.DecimalField(
        label="Daily goal on weekdays (hours)", min_value=0, max_value=24, decimal_places=1, max_digits=4
    )
    weekend_goal_hours = forms.DecimalField(
        label="Daily goal at weekends (hours)", min_value=0, max_value=24, decimal_places=1, max_digits=4
    )
    wants_reminders = forms.BooleanField(label="Email me deadline reminders", required=False)
    wants_digests = forms.BooleanField(label="Email me a weekly digest", required=False)
