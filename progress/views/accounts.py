"""Signing up: an account (accounts) and a place in the cohort open for sign-up (progress), both or neither."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from accounts import throttling
from accounts.forms import SignUpForm

from ..selectors.enrollments import cohort_open_for_signup
from ..services.enrollments import student_sign_up


@sensitive_post_parameters("password1", "password2")
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("progress:dashboard")
    cohort = cohort_open_for_signup()
    form = SignUpForm(request.POST or None, initial={"time_zone": cohort.time_zone if cohort else "UTC"})
    if request.method == "POST" and cohort is not None and form.is_valid():
        if throttling.sign_up_over_limit(request=request):
            form.add_error(None, "Too many sign-ups from your network this hour. Please try again later.")
            return render(request, "accounts/signup.html", {"form": form, "cohort": cohort}, status=429)
        try:
            user = student_sign_up(
                email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"], time_zone=form.cleaned_data["time_zone"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.get_short_name()}! You are enrolled in {cohort}.")
            return redirect("progress:dashboard")
    return render(request, "accounts/signup.html", {"form": form, "cohort": cohort})
