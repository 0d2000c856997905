"""The fields of Slack's slash-command request this app reads (as Slack documents them), checked like any input."""

from django import forms


class SlashCommandForm(forms.Form):
    team_id = forms.CharField(max_length=32)
    user_id = forms.CharField(max_length=32)
    command = forms.CharField(max_length=64)
    text = forms.CharField(max_length=4000, required=False, strip=True)
