from django import forms

from review.forms import CohortForm

from .models import Notification
from .services.nudges import NUDGE_MAX_LENGTH


class EmailPreviewForm(CohortForm):
    """Which email the preview shows: its kind, the cohort and the student it is for."""

    kind = forms.ChoiceField(label="Email", choices=Notification.Kind.choices, required=False)
    student = forms.IntegerField(label="Student", min_value=1, max_value=2**63 - 1, required=False)


class NudgeForm(forms.Form):
    message = forms.CharField(label="Your words", max_length=NUDGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
