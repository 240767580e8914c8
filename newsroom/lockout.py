"""The page a locked-out admin login gets (django-axes calls `lockout_response`)."""

from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """Tell the person plainly that signing in is locked, for how long, and what to do."""
    # A cool-off of 0 keeps the lock until an administrator lifts it.
    minutes = (
        round(settings.AXES_COOLOFF_TIME.total_seconds() / 60) if settings.AXES_COOLOFF_TIME else 0
    )
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    # 429 tells scripts to back off; the page says the same to a person.
    return render(request, "registration/locked_out.html", context, status=429)
