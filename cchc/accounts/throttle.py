"""The login throttle's store (django-axes' database handler, AXES_HANDLER).

Axes locks an account after AXES_FAILURE_LIMIT failures from any addresses and an address after
as many failures for any accounts (AXES_LOCKOUT_PARAMETERS). On a successful login axes would forget
every failure that matches either the account or the address; then whoever guesses passwords from
one address while holding one valid account could log in with it every few guesses and start the
address's count again. Here a successful login forgets that account's failures only.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt


class AccountsHandler(AxesDatabaseHandler):
    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
