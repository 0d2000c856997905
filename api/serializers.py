"""What the API reads and answers, field by field (the schema is built from these)."""

import re

from django.core.validators import RegexValidator
from rest_framework import serializers

from lessons.models import Lesson
from progress.models import MINUTES_PER_DAY, NOTES_MAX_LENGTH
from progress.standing import RiskReason, Verdict

from .models import IDEMPOTENCY_KEY_MAX_LENGTH, AccessToken

# An idempotency key: what a header can carry, printable ASCII without spaces at either end (a UUID, say).
IDEMPOTENCY_KEY_PATTERN = re.compile(r"\A[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?\Z")
IDEMPOTENCY_KEY_WORDS = "An Idempotency-Key is 1 to 255 printable ASCII characters, such as a UUID."

# --- Study logs -------------------------------------------------------------------------------------------


class StudyLogSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    day = serializers.DateField(help_text="The student's local day.")
    lesson = serializers.IntegerField(source="lesson.number", help_text="The lesson's number (1 to 10).")
    lesson_title = serializers.CharField(source="lesson.title")
    minutes = serializers.IntegerField(help_text="Study time.")
    community_minutes = serializers.IntegerField(help_text="Chat, study groups, events.")
    notes = serializers.CharField(help_text="Markdown.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class StudyLogFieldsSerializer(serializers.Serializer):
    """A log's fields as a student sends them: the log form's, in minutes."""

    day = serializers.DateField(required=False, help_text="Your local day (YYYY-MM-DD); today where you are if left out.")
    lesson = serializers.IntegerField(min_value=1, max_value=32767, help_text="The lesson's number.")
    minutes = serializers.IntegerField(min_value=1, max_value=MINUTES_PER_DAY, help_text="Study time, in minutes.")
    community_minutes = serializers.IntegerField(min_value=0, max_value=MINUTES_PER_DAY, required=False,
                                                 help_text="Community time, in minutes (0 if left out on a new log).")
    notes = serializers.CharField(allow_blank=True, max_length=NOTES_MAX_LENGTH, required=False, trim_whitespace=False,
                                  help_text="Markdown.")

    def validate_lesson(self, number: int) -> Lesson:
        lesson = Lesson.objects.filter(number=number).first()
        if lesson is None:
            raise serializers.ValidationError(f"There is no lesson {number}.")
        return lesson


class StudyLogCreateSerializer(StudyLogFieldsSerializer):
    add = serializers.BooleanField(
        default=False,
        help_text="false (as the log form): the day's log of that lesson takes these numbers. true (as chat): they are "
                  "added to it, notes after its own.",
    )
    idempotency_key = serializers.CharField(
        required=False, max_length=IDEMPOTENCY_KEY_MAX_LENGTH, trim_whitespace=False,
        validators=[RegexValidator(IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_WORDS)],
        help_text="Instead of the Idempotency-Key header (one of the two is required).",
    )


# --- The student ------------------------------------------------------------------------------------------


class CohortSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    opens_on = serializers.DateField()
    cutoff_at = serializers.DateTimeField(help_text="The instant the course closes.")
    time_zone = serializers.CharField(help_text="The programme's zone.")


class EnrollmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cohort = CohortSerializer()
    time_zone = serializers.CharField(help_text="The student's zone: their days are counted in it.")
    today = serializers.DateField(help_text="The student's local today.")
    weekday_goal_hours = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)
    weekend_goal_hours = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)


class TokenInfoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    scope = serializers.ChoiceField(choices=AccessToken.Scope.choices)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    is_staff = serializers.BooleanField()
    enrollment = EnrollmentSerializer(allow_null=True, help_text="None for staff who only run the cohort.")
    token = TokenInfoSerializer(allow_null=True, help_text="The token of this request; None on a session.")


class LessonSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    estimated_minutes = serializers.IntegerField()
    is_final_project = serializers.BooleanField()
    logged_minutes = serializers.IntegerField(help_text="The student's study minutes on it.")
    done = serializers.BooleanField(help_text="Marked done by the student.")
    completed_on = serializers.DateField(allow_null=True)


class ScheduleItemSerializer(serializers.Serializer):
    lesson = serializers.IntegerField(source="lesson.number")
    lesson_title = serializers.CharField(source="lesson.title")
    planned_minutes = serializers.IntegerField()
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)


class PlanSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    target_on = serializers.DateField(help_text="The day the student means to finish.")
    weekday_hours = serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False)
    weekend_hours = serializers.DecimalField(max_digits=4, decimal_places=2, coerce_to_string=False)
    days_off = serializers.ListField(child=serializers.DateField(), help_text="Days the student will not study.")
    items = ScheduleItemSerializer(many=True, help_text="Each lesson's place in the plan, in course order.")


class SummarySerializer(serializers.Serializer):
    week_number = serializers.IntegerField()
    body = serializers.CharField(help_text="Markdown.")
    is_shared = serializers.BooleanField(help_text="Shared with the cohort.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ReasonSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=RiskReason.choices)
    words = serializers.CharField()


class StatusSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices, help_text="The one verdict, as on the dashboard.")
    label = serializers.CharField()
    headline = serializers.CharField(help_text="The verdict as the student reads it on the dashboard.")
    reasons = ReasonSerializer(many=True, help_text="Why the student is at risk (empty otherwise).")
    today = serializers.DateField(help_text="The student's local today, which the verdict is read on.")
    forecast = serializers.DateField(allow_null=True, help_text="The finish at the pace of the last 7 days; None without study in them.")
    days_ahead = serializers.IntegerField(allow_null=True, help_text="Days ahead of the plan (negative: behind); None without a plan.")
    minutes_last_7_days = serializers.IntegerField()
    cutoff_day = serializers.DateField(help_text="The student's local day of the cut-off.")


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    host = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    join_url = serializers.URLField()
    description = serializers.CharField(help_text="Markdown.")
    recording_url = serializers.CharField(help_text="Empty until there is one.")
    cancelled = serializers.BooleanField(source="is_cancelled")
    going = serializers.BooleanField(help_text="The student said they will come.")
    attended = serializers.BooleanField(required=False, help_text="The student said they attended.")


class EventsSerializer(serializers.Serializer):
    upcoming = EventSerializer(many=True, help_text="Soonest first.")
    past = EventSerializer(many=True, help_text="Latest first (the last 20).")


class RsvpSerializer(serializers.Serializer):
    going = serializers.BooleanField(help_text="true: you will come; false: you will not after all.")


class RsvpAnswerSerializer(serializers.Serializer):
    event = serializers.IntegerField()
    going = serializers.BooleanField()


class MemberSerializer(serializers.Serializer):
    name = serializers.CharField()
    is_you = serializers.BooleanField()
    hidden = serializers.BooleanField(help_text="The member hides their numbers from the group: they are null.")
    week_minutes = serializers.IntegerField(allow_null=True, help_text="This course week.")
    lessons_done = serializers.IntegerField(allow_null=True)
    streak_days = serializers.IntegerField(allow_null=True)
    plan_status = serializers.CharField(allow_null=True)
    last_active = serializers.DateField(allow_null=True)


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    utc_offset = serializers.IntegerField(help_text="The group's time-zone band, hours from UTC.")
    weekly_goal_hours = serializers.IntegerField()
    is_open = serializers.BooleanField()
    note = serializers.CharField(help_text="One line of markdown.")
    mentors = serializers.ListField(child=serializers.CharField())
    week_minutes = serializers.IntegerField(help_text="This course week, of the members who show their numbers.")
    goal_minutes = serializers.IntegerField(help_text="Their goal for the week.")
    not_counted = serializers.IntegerField(help_text="Members who hide their numbers, in no total.")
    members = MemberSerializer(many=True)


# --- Staff ------------------------------------------------------------------------------------------------


class CohortStudentSerializer(serializers.Serializer):
    enrollment_id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()
    time_zone = serializers.CharField()
    group = serializers.CharField(allow_null=True)
    total_minutes = serializers.IntegerField()
    minutes_last_7_days = serializers.IntegerField()
    last_study_day = serializers.DateField(allow_null=True)
    lessons_done = serializers.IntegerField()
    plan = serializers.CharField(help_text="Against the student's plan, in short words.")
    forecast = serializers.DateField(allow_null=True, help_text="The finish day (the day finished, once finished).")
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    label = serializers.CharField()
    reasons = ReasonSerializer(many=True)
    project_submitted = serializers.BooleanField()


# --- The study timer --------------------------------------------------------------------------------------


class TimerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    lesson = serializers.IntegerField(help_text="The lesson's number.")
    lesson_title = serializers.CharField()
    started_at = serializers.DateTimeField()
    stops_at = serializers.DateTimeField(help_text="When it stops itself if forgotten: the student's local 04:00 after it started.")
    elapsed_minutes = serializers.IntegerField()
    needs_confirmation = serializers.BooleanField(
        help_text="It ran over 4 hours or stopped itself: stopping it is refused (409) until it is confirmed or trimmed on "
                  "the timer page.")


class TimerCurrentSerializer(serializers.Serializer):
    timer = TimerSerializer(allow_null=True, help_text="None when no timer is running.")


class TimerStartSerializer(serializers.Serializer):
    lesson = serializers.IntegerField(min_value=1, max_value=32767, help_text="The lesson's number.")

    validate_lesson = StudyLogFieldsSerializer.validate_lesson


class DayAddedSerializer(serializers.Serializer):
    day = serializers.DateField()
    minutes = serializers.IntegerField(help_text="What the timer added that day.")
    log_minutes = serializers.IntegerField(help_text="What the day's log of that lesson now holds.")


class TimerLoggedSerializer(serializers.Serializer):
    lesson = serializers.IntegerField()
    lesson_title = serializers.CharField()
    minutes = serializers.IntegerField(help_text="Added to the study log in all (0 for a timer stopped within half a minute).")
    days = DayAddedSerializer(many=True, help_text="Split at the student's local midnight.")
    words = serializers.CharField(help_text="What the pages and chat say of it.")


class TimerStartedSerializer(serializers.Serializer):
    timer = TimerSerializer()
    created = serializers.BooleanField(help_text="false: that lesson's timer was already running.")
    stopped = TimerLoggedSerializer(allow_null=True, help_text="The timer on another lesson it took over from, and what it logged.")


class TimerStopSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, max_length=NOTES_MAX_LENGTH, required=False, trim_whitespace=False,
                                 help_text="Added to the day's log notes.")
    timer = serializers.IntegerField(required=False, min_value=1,
                                     help_text="The id of the timer you saw: refused if another has started since.")
