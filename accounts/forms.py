import unicodedata

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from common.forms import TimeZoneField, single_line

from .models import User


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, with the username called what it is and case ignored."""

    # No longer than an account's email can be, so nothing longer reaches the login throttle's records.
    username = forms.EmailField(
        label="Email", max_length=User._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class SignUpForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label="Email", max_length=User._meta.get_field("email").max_length, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    time_zone = TimeZoneField(
        label="Your time zone",
        help_text="Your study days are counted in this zone. We preselect your browser's zone.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # Only a fresh form takes the browser's zone: a re-shown one keeps the student's pick.
            self.fields["time_zone"].prefer_browser_zone()

    def clean_full_name(self) -> str:
        name = single_line(self.cleaned_data["full_name"])  # a name is one line: in pages, and in emails' subjects
        if not name:
            raise forms.ValidationError("Tell us your name.")
        return name

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords do not match.")
        elif password1:
            probe = User(email=cleaned.get("email") or "", full_name=cleaned.get("full_name") or "")
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class AnyAccountPasswordResetForm(PasswordResetForm):
    """Django's reset form, reaching accounts that have no password yet.

    Django skips them, thinking of accounts that sign in some other way; here every account signs in by
    password, and one without is a student enrolled from a CSV file whose set-password link (valid for
    three days) ran out. Skipped, they could never get in.
    """

    def get_users(self, email):
        wanted = unicodedata.normalize("NFKC", email).casefold()
        for user in User._default_manager.filter(email__iexact=email, is_active=True):
            if unicodedata.normalize("NFKC", user.email).casefold() == wanted:
                yield user
