from django.conf import settings

from core.hooks import nav_for


def navigation(request):
    """The menu a user sees, and the large-font switch (per user, or per session before login)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"nav_groups": nav_for(user), "large_font": user.large_font}
    return {"nav_groups": [], "large_font": bool(request.session.get("large_font"))}


def session_timeout(request):
    """The idle limit for the warning of static/js/session_timeout.js (logged-in pages only)."""
    return {
        "session_idle_seconds": settings.SESSION_IDLE_TIMEOUT,
        "session_warn_seconds": settings.SESSION_IDLE_WARNING,
    }
