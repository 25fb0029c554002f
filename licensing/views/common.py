"""What licensing pages share: a permission, a place in the navigation, a cached content block,
friendly filters."""

from __future__ import annotations

import functools
from functools import partial
from typing import Any

from django import forms
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import models
from django.forms.utils import flatatt
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join

from licensing.cache import read_key, read_keys


class PageMixin(PermissionRequiredMixin):
    """A page that needs a permission (403 without it) and marks its navigation section."""

    section = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        return context


class CachedContentMixin:
    """A page whose content is rendered once per version of the tables it shows, per day, role
    and query: its template wraps the content in `{% cache … content_key user_role %}`, and
    its filter form in `{% cache … filter_key %}`, which the versions of `filter_tables` key
    (the automakers and exporters a select offers), so that a new approval does not render
    every automaker's option again.

    Nothing in such a block may depend on the user beyond their role (no CSRF token, no
    messages); what the view computes for the block should be lazy, since a hit skips it.
    """

    content_tables: tuple[type[models.Model], ...] = ()
    filter_tables: tuple[type[models.Model], ...] = ()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        url = self.request.get_full_path()
        if self.filter_tables:
            context["content_key"], context["filter_key"] = read_keys(
                url, self.content_tables, self.filter_tables
            )
        else:
            context["content_key"] = read_key(self.content_tables, url)
        return context


class CachedFilterListMixin(CachedContentMixin):
    """A FilterView whose cached block holds the filter form and the page of rows: the filter
    (its form, its validation), the count and the rows are built only if the block is rendered.
    """

    def get(self, request, *args, **kwargs):
        self.filterset = SimpleLazyObject(lambda: self.get_filterset(self.get_filterset_class()))
        self.object_list = SimpleLazyObject(self._filtered)
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def _filtered(self):
        # As FilterView: the filtered rows, or none when strict and the filter is invalid.
        filterset = self.filterset
        if not filterset.is_bound or filterset.is_valid() or not self.get_strict():
            return filterset.qs
        return filterset.queryset.none()

    def filtered(self) -> bool:
        """Whether the query asks for any filter (known without building the filter)."""
        return any(self.request.GET.get(name) for name in self.get_filterset_class().base_filters)

    def paginate_queryset(self, queryset, page_size):
        """A list view's page, counted and fetched only if the block is rendered (a hit would
        otherwise count every row on each request)."""
        paginated = functools.cache(partial(super().paginate_queryset, queryset, page_size))
        return tuple(SimpleLazyObject(lambda i=i: paginated()[i]) for i in range(4))

    def get_context_object_name(self, object_list):
        # ListView names the list after its model, which would evaluate the lazy page.
        return self.context_object_name

    def get_template_names(self) -> list[str]:
        # Likewise: ListView adds a template named after the rows' model.
        return [self.template_name]


class QuickSelect(forms.Select):
    """A single <select> written in Python, with the markup of Django's own.

    Django renders each <option> through a template, about 0.1 ms apiece: the approvals filter,
    with every automaker and exporter, spent more time on its options than on its query.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _, _ in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


def label_empty_choices(form: forms.Form) -> None:
    """Name the empty choice of each select "Any …" instead of a row of dashes (and write the
    selects with QuickSelect)."""
    for bound in form:
        field = bound.field
        if type(field.widget) is forms.Select:
            field.widget = QuickSelect(attrs=field.widget.attrs, choices=field.widget.choices)
        label = f"Any {str(bound.label).lower()}"
        if getattr(field, "empty_label", None) is not None:
            field.empty_label = label
            # The widget holds its own copy of the choices, made before the label changed.
            field.widget.choices = field.choices
        elif isinstance(field, forms.ChoiceField):
            field.choices = [
                (value, label if value == "" else text) for value, text in field.choices
            ]
