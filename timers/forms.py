from django import forms

from lessons.models import Lesson
from progress.forms import DurationField
from progress.models import NOTES_MAX_LENGTH


class TimerStartForm(forms.Form):
    lesson = forms.ModelChoiceField(queryset=Lesson.objects.order_by("number"), empty_label=None)


class TimerStopForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=NOTES_MAX_LENGTH, help_text="Added to the day's notes for the lesson. Markdown."
    )


class TimerConfirmForm(forms.Form):
    """What a long or forgotten timer logs: all of it, or its first part (it is trimmed from the end)."""

    minutes = DurationField(label="Time to log", help_text="From when it started: 1.5, 1:30, 1h30 or 90m.")
    note = forms.CharField(
        required=False, max_length=NOTES_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Added to the day's notes for the lesson. Markdown.",
    )
