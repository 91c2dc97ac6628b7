"""Login signal handlers.

Hook for the audit log: Django sends `user_logged_in`, `user_logged_out` and
`user_login_failed` (django.contrib.auth.signals), django-axes sends `user_locked_out`
(axes.signals) and django-two-factor-auth `user_verified` (two_factor.signals); an audit
handler can connect to those without changing the login code.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import DemoAccount

DEMO_SESSION_KEY = "trede_demo_login"


@receiver(user_logged_in)
def _mark_demo_session(sender, request, user, **kwargs):
    # The backend flags the request; a demo account that logs in with a second step does so
    # in a later request, hence the look-up as well.
    if request is None:
        return
    if getattr(request, "trede_demo_login", False) or DemoAccount.objects.filter(user_id=user.pk).exists():
        request.session[DEMO_SESSION_KEY] = True
