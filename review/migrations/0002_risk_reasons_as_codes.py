"""At-risk reasons are stored as codes (progress.standing.RiskReason) instead of English, so no page, CSV or
email parses them back. Rows written before are read from their words once, here."""

import re

from django.db import migrations, models

WORDS = (
    (re.compile(r"no study log at all( after week \d+)?"), "never-logged"),
    (re.compile(r"no study log in the last \d+ days"), "idle"),
    (re.compile(r"forecast finish after the cut-off"), "late"),
)
BACK = {"never-logged": "no study log at all", "idle": "no recent study log", "late": "forecast finish after the cut-off"}


def codes_from_words(apps, schema_editor):
    StudentRollup = apps.get_model("review", "StudentRollup")
    for text in StudentRollup.objects.exclude(at_risk_reasons="").order_by().values_list("at_risk_reasons", flat=True).distinct():
        codes = [code for pattern, code in WORDS for reason in text.split("; ") if pattern.fullmatch(reason)]
        StudentRollup.objects.filter(at_risk_reasons=text).update(risk_reasons=codes)


def words_from_codes(apps, schema_editor):
    StudentRollup = apps.get_model("review", "StudentRollup")
    for rollup in StudentRollup.objects.exclude(risk_reasons=[]).only("pk", "risk_reasons"):
        StudentRollup.objects.filter(pk=rollup.pk).update(at_risk_reasons="; ".join(BACK[code] for code in rollup.risk_reasons))


class Migration(migrations.Migration):

    dependencies = [
        ("review", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="studentrollup",
            name="risk_reasons",
            field=models.JSONField(blank=True, default=list, help_text="Why at risk: progress.standing.RiskReason codes."),
        ),
        migrations.RunPython(codes_from_words, words_from_codes),
        migrations.RemoveField(model_name="studentrollup", name="at_risk_reasons"),
    ]
