"""Links from any input: only http and https, whatever wrote them (one rule for forms, the API,
imports and the templates that render a stored link)."""

from __future__ import annotations

from django.core.validators import URLValidator

WEB_SCHEMES = ["http", "https"]
web_url = URLValidator(schemes=WEB_SCHEMES, message="Give an http or https link.")


def is_web_link(url: str) -> bool:
    """Whether a stored URL may be rendered as a link: http(s) only (never javascript: or data:)."""
    return url.strip().lower().startswith(tuple(f"{scheme}://" for scheme in WEB_SCHEMES))
