"""The groups pages' forms: browse filters, joining, making a group, its note, a member's privacy, staff's tools."""

from django import forms

from .models import HOURS_IN_A_WEEK, MAX_CAPACITY, NOTE_MAX_LENGTH, Membership, StudyGroup


class CohortForm(forms.Form):
    cohort = forms.SlugField(label="Cohort", max_length=80, required=False)


class BrowseForm(forms.Form):
    q = forms.CharField(label="Name", max_length=100, required=False)
    band = forms.IntegerField(label="Time zone (hours from UTC)", min_value=-12, max_value=14, required=False,
                              help_text="Groups within ±3 h of it.")
    pace = forms.IntegerField(label="Hours a week", min_value=1, max_value=HOURS_IN_A_WEEK, required=False)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)


class JoinCodeForm(forms.Form):
    join_code = forms.CharField(label="Join code", max_length=40, strip=True, help_text="Upper or lower case, with or without the dashes.")


class GroupCreateForm(forms.ModelForm):
    class Meta:
        model = StudyGroup
        fields = ["name", "utc_offset", "weekly_goal_hours", "is_open", "capacity"]
        help_texts = {"utc_offset": "Hours from UTC where most of you live, e.g. 1 for Lagos, -5 for New York."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].widget.attrs.update(min=2, max=MAX_CAPACITY)
        self.fields["weekly_goal_hours"].widget.attrs.update(min=1, max=HOURS_IN_A_WEEK)

    def _post_clean(self):
        pass  # the service validates the whole group (and the cohort's setting), with the cohort it belongs to


class GroupNoteForm(forms.Form):
    note = forms.CharField(label="Group note", max_length=NOTE_MAX_LENGTH, required=False,
                           help_text="One line, markdown: the next call, a link to your channel.")


class GroupRenameForm(forms.Form):
    name = forms.CharField(label="Group name", max_length=StudyGroup._meta.get_field("name").max_length,
                           help_text="What members call it, e.g. “Lagos evening learners”. One line, not used by another group of the cohort.")


class PrivacyForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["hides_numbers", "shows_place"]
        help_texts = {"hides_numbers": "Members see “hidden” instead of your hours and lessons. Your mentors are still told if you fall behind."}


class MoveForm(forms.Form):
    email = forms.EmailField(label="Student's email", max_length=254)


class MentorForm(forms.Form):
    email = forms.EmailField(label="Mentor's email", max_length=254, help_text="A staff member or a student of this cohort.")


class MentorRemoveForm(forms.Form):
    mentor = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class MemberRemoveForm(forms.Form):
    enrollment = forms.IntegerField(min_value=1, max_value=2**31 - 1)
