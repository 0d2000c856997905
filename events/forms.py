"""Staff's event form (the start typed as a wall-clock time in a chosen zone) and the pages' query parameters."""

from zoneinfo import ZoneInfo

from django import forms

from common.forms import TimeZoneField, single_line
from common.timezones import local_instant

from .models import DESCRIPTION_MAX_LENGTH, MAX_DURATION_MINUTES, Event

LATEST_YEAR = 2100


class EventForm(forms.ModelForm):
    starts_on = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    starts_time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}))
    time_zone = TimeZoneField(label="In the time zone of", help_text="Students see it in their own zone.")
    join_url = forms.URLField(label="Join link", max_length=500, assume_scheme="https")
    recording_url = forms.URLField(label="Recording link", max_length=500, required=False, assume_scheme="https",
                                   help_text="Added after the event.")

    class Meta:
        model = Event
        fields = ["title", "host", "duration_minutes", "join_url", "description", "recording_url"]
        labels = {"duration_minutes": "Length (minutes)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 4, "maxlength": DESCRIPTION_MAX_LENGTH})}

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].widget.attrs.update(min=5, max=MAX_DURATION_MINUTES)
        zone = cohort.time_zone
        self.fields["time_zone"].initial = zone
        if self.instance.pk:
            local = self.instance.starts_at.astimezone(ZoneInfo(zone))
            self.initial.setdefault("starts_on", local.date())
            self.initial.setdefault("starts_time", local.time().replace(second=0, microsecond=0))

    def clean_title(self) -> str:
        return single_line(self.cleaned_data["title"])

    def clean_host(self) -> str:
        return single_line(self.cleaned_data["host"])

    def clean_starts_on(self):
        day = self.cleaned_data["starts_on"]
        if not 2000 <= day.year <= LATEST_YEAR:
            raise forms.ValidationError("Pick a day between the years 2000 and 2100.")
        return day

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("starts_time") and data.get("time_zone"):
            data["starts_at"] = local_instant(day=data["starts_on"], at=data["starts_time"], time_zone=data["time_zone"])
        return data

    def _post_clean(self):
        pass  # the service validates the event as a whole


class CohortQuery(forms.Form):
    cohort = forms.SlugField(max_length=80, required=False)


class StaffEventsQuery(CohortQuery):
    format = forms.ChoiceField(choices=[("", "page"), ("csv", "CSV")], required=False)


class RsvpForm(forms.Form):
    going = forms.ChoiceField(choices=[("1", "going"), ("0", "not going")])
