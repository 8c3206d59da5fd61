def access(request):
    """Expose the caller's access (roles, scope) to templates as `access`."""
    from .access import access_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"access": access_for(user)}
