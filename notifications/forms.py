from django import forms

from review.forms import CohortForm

from .models import Notification


class EmailPreviewForm(CohortForm):
    """Which email the preview shows: its kind, the cohort and the student it is for."""

    kind = forms.ChoiceField(label="Email", choices=Notification.Kind.choices, required=False)
    student = forms.IntegerField(label="Student", min_value=1, max_value=2**63 - 1, required=False)
