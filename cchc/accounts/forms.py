from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The login form (đăng nhập), with messages that say what to do next."""

    error_messages = {
        "invalid_login": _(
            "The user name or the password is wrong. Check both (capital letters count) and try again. "
            "After %(limit)s failed attempts the account is locked for a while."
        ),
        "inactive": _("This account is disabled. Ask your system administrator to enable it."),
    }

    def get_invalid_login_error(self):
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )
