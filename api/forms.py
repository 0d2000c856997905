from django import forms

from .models import TOKEN_NAME_MAX_LENGTH, AccessToken


class AccessTokenForm(forms.Form):
    name = forms.CharField(label="Token name", max_length=TOKEN_NAME_MAX_LENGTH,
                           help_text="What will use it: \u201cmy phone\u201d, \u201cbackup script\u201d.")
    scope = forms.ChoiceField(label="It may", choices=[
        (AccessToken.Scope.READ, "Read only"), (AccessToken.Scope.WRITE, "Read and write (log time, timers, RSVP)"),
    ], initial=AccessToken.Scope.READ, widget=forms.RadioSelect)
