def navigation(request) -> dict:
    """Values the navigation shows on every page."""
    return {}
