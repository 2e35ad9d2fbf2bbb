from core.hooks import nav_for


def navigation(request):
    """The menu a user sees, and the large-font switch (per user, or per session before login)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"nav_groups": nav_for(user), "large_font": user.large_font}
    return {"nav_groups": [], "large_font": bool(request.session.get("large_font"))}
