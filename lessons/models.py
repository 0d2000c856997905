from django.db import models
from django.urls import reverse

from common.markdown import RenderedMarkdownField


class Lesson(models.Model):
    """One of the ten lessons of the course, the last being the challenge project."""

    number = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    instructors = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="Markdown.")
    summary_html = RenderedMarkdownField(source="summary")
    estimated_hours = models.DecimalField(max_digits=5, decimal_places=1)
    is_final_project = models.BooleanField(default=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(number__gte=1, number__lte=10), name="lesson_number_is_1_to_10"),
            models.CheckConstraint(condition=models.Q(estimated_hours__gt=0), name="lesson_estimate_is_positive"),
        ]

    def __str__(self) -> str:
        return f"Lesson {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("lessons:detail", kwargs={"slug": self.slug})

    @property
    def estimated_minutes(self) -> int:
        return int(self.estimated_hours * 60)

    @property
    def estimated_hours_label(self) -> str:
        """12.5 or 3 (no ".0"): what `floatformat:"-1"` gives, without its cost on pages listing every lesson."""
        text = str(self.estimated_hours)
        return text.removesuffix(".0") if "." in text else text


class Unit(models.Model):
    """A part of a lesson, in the order the course presents it."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="units")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    estimated_minutes = models.PositiveIntegerField()

    class Meta:
        ordering = ["lesson__number", "order"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "order"], name="one_unit_per_lesson_position"),
            models.CheckConstraint(condition=models.Q(estimated_minutes__gt=0), name="unit_estimate_is_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.lesson.number}.{self.order} {self.title}"
