"""Forms behind the staff pages: the query parameters each page reads, and the enrollment upload."""

from django import forms

from common.timezones import canonical_time_zone
from lessons.selectors import lesson_count

from .columns import SORTS
from .selectors.cohorts import FILTERS, NO_GROUP, TableQuery
from .selectors.groups import GROUP_SORTS

SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]


class CohortForm(forms.Form):
    """Which cohort a staff page is about; empty means the running one."""

    cohort = forms.SlugField(label="Cohort", max_length=80, required=False)


class CohortTableForm(CohortForm):
    """The student table's filters, search and sort, as they appear in its address."""

    show = forms.ChoiceField(label="Show", choices=[("", "everyone"), *FILTERS.items()], required=False)
    q = forms.CharField(label="Search", max_length=100, required=False)
    tz = forms.CharField(label="Time zone", max_length=64, required=False)
    lesson = forms.IntegerField(label="Lesson reached", min_value=1, required=False)
    group = forms.IntegerField(label="Group", min_value=NO_GROUP, max_value=2**31 - 1, required=False,
                               help_text="A group's number, or -1 for the students in none.")
    sort = forms.ChoiceField(label="Sort", choices=SORT_CHOICES, required=False)

    def clean_tz(self) -> str:
        # An old link name (Asia/Calcutta) in a bookmarked address still finds its students.
        return canonical_time_zone(self.cleaned_data["tz"]) if self.cleaned_data["tz"] else ""

    def clean_lesson(self) -> int | None:
        lesson = self.cleaned_data["lesson"]
        if lesson is not None and lesson > lesson_count():
            raise forms.ValidationError("There is no lesson %(number)s.", params={"number": lesson})
        return lesson

    def table_query(self) -> TableQuery:
        data = self.cleaned_data
        return TableQuery(
            show=data["show"], q=data["q"].strip(), time_zone=data["tz"], lesson=data["lesson"], group=data["group"] or None,
            sort=data["sort"] or "name", cohort=data["cohort"],
        )


class ShortlistQueryForm(CohortForm):
    format = forms.ChoiceField(label="Format", choices=[("", "page"), ("csv", "CSV")], required=False)


class EnrollmentUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="First line: email, full name, time zone (optionally weekday goal, weekend goal, group, mentor of). UTF-8.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is over 5 MB; split it into smaller files.")
        try:
            return upload.name, upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file is not UTF-8 text: save it from your spreadsheet as “CSV UTF-8”.") from exc


class GroupsTableForm(CohortForm):
    sort = forms.ChoiceField(
        label="Sort", required=False, choices=[(key, key) for key in GROUP_SORTS] + [(f"-{key}", f"-{key}") for key in GROUP_SORTS]
    )
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)
