"""Table rows rendered once per content: `{% rows "row.html" items flag=value … %}`.

A new approval re-renders the approvals page, but 49 of its 50 rows are what they were; each row
is cached under a hash of what it holds (licensing.content), so only the new one is rendered, and
the rows of a page are read in one round trip. A row's template may show only what is loaded on
its item (see licensing.content).
"""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from licensing.content import made_by_content

register = template.Library()


@register.simple_tag
def rows(template_name: str, items, **flags) -> SafeString:
    """Each item rendered with `template_name` (as `item`, beside the flags)."""
    row_template = get_template(template_name)
    html = made_by_content(
        template_name, items, lambda item: row_template.render({"item": item, **flags}), flags
    )
    return mark_safe("".join(html))  # noqa: S308 - rendered by templates
