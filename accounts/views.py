from django.contrib.auth import views as auth_views

from . import throttling


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, limited per address and per email; the answer never says whether the email exists."""

    def form_valid(self, form):
        refusal = throttling.password_reset_refusal(request=self.request, email=form.cleaned_data["email"])
        if refusal is not None:
            form.add_error(None, refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429 if refusal == throttling.TOO_MANY_RESETS else 503)
        return super().form_valid(form)
