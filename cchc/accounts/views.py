from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cchc.core.middleware import client_ip

from . import services


def locked_out(request, original_response=None, credentials=None):
    """The page answered to a login that is locked (AXES_LOCKOUT_CALLABLE): it says whether the
    account or this computer's address is locked, for how long, and who can unlock it."""
    username = get_client_username(request, credentials) or ""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_timedelta": get_cool_off(request),
        "account_locked": services.is_account_locked(username),
        "address_locked": services.is_address_locked(client_ip(request)),
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


@login_required
def lockouts(request):
    """Tài khoản bị khóa: the system administrator sees the accounts and addresses locked by failed
    logins and unlocks them."""
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        address = request.POST.get("ip_address", "").strip()
        if bool(username) == bool(address):
            messages.error(request, _("Choose one account or one address to unlock."))
        else:
            services.unlock(actor=request.user, username=username, ip_address=address)
            messages.success(
                request,
                _("Account %(name)s is unlocked.") % {"name": username} if username
                else _("Address %(address)s is unlocked.") % {"address": address},
            )
        return redirect("accounts:lockouts")
    return render(request, "accounts/lockouts.html", {
        "accounts": services.locked_accounts(),
        "addresses": services.locked_addresses(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    })
