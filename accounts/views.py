from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from progress import selectors as progress_selectors
from progress import services as progress_services

from . import throttling
from .forms import SignUpForm


@sensitive_post_parameters("password1", "password2")
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("progress:dashboard")
    cohort = progress_selectors.cohort_open_for_signup()
    form = SignUpForm(request.POST or None, initial={"time_zone": cohort.time_zone if cohort else "UTC"})
    if request.method == "POST" and cohort is not None and form.is_valid():
        if throttling.sign_up_over_limit(request=request):
            form.add_error(None, "Too many sign-ups from your network this hour. Please try again later.")
            return render(request, "accounts/signup.html", {"form": form, "cohort": cohort}, status=429)
        try:
            user = progress_services.student_sign_up(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.get_short_name()}! You are enrolled in {cohort}.")
            return redirect("progress:dashboard")
    return render(request, "accounts/signup.html", {"form": form, "cohort": cohort})


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, limited per address and per email; the answer never says whether the email exists."""

    def form_valid(self, form):
        refusal = throttling.password_reset_refusal(request=self.request, email=form.cleaned_data["email"])
        if refusal is not None:
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429 if refusal == throttling.TOO_MANY_RESETS else 503)
        return super().form_valid(form)
