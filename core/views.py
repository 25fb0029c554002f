"""What every app's pages share: a permission, a place in the navigation, a service's errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Page, PageNotAnInteger, Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property

from core.forms import label_empty_choices


@dataclass
class Pager:
    """One page of a list, with links to its neighbours ("" where there is none)."""

    page: Page
    previous_url: str
    next_url: str


def pager(request: HttpRequest, page: Page, *, param: str = "page", anchor: str = "") -> Pager:
    """Links to the pages beside `page` that keep the rest of the query (filters, sort, the page
    of another list on the same page)."""

    def url(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}" + (f"#{anchor}" if anchor else "")

    return Pager(
        page=page,
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
    )


class FetchingPaginator(Paginator):
    """A paginator over a list whose page and length come from one query, when counting apart
    would repeat an expensive one: `fetch(offset, limit)` gives the page's objects and how many
    there are in all."""

    def __init__(self, fetch: Callable[[int, int], tuple[list, int]], per_page: int) -> None:
        super().__init__([], per_page)
        self.fetch = fetch

    @cached_property
    def count(self) -> int:
        """Asked before a page (the "last" page): the length alone."""
        return self.fetch(0, 0)[1]

    def page(self, number: int | str) -> Page:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        objects, self.count = self.fetch(max(wanted - 1, 0) * self.per_page, self.per_page)
        return Page(objects, self.validate_number(wanted), self)


class PageMixin(PermissionRequiredMixin):
    """A page that needs a permission (403 without it) and marks its navigation section; a
    paginated list gets its `pager` (core/pagination.html)."""

    section = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        if context.get("page_obj") is not None:
            context["pager"] = pager(self.request, context["page_obj"])
        return context


class FilterPageMixin(PageMixin):
    """A FilterView page whose selects offer "Any …", and which says whether its query asks for
    any filter (its "Clear" link)."""

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        label_empty_choices(filterset.form)
        return filterset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filtered"] = any(self.request.GET.get(name) for name in self.filterset.filters)
        return context


class ServiceFormMixin(PageMixin):
    """A form page whose data a service stores; the service's errors go back on the form.

    The form has core.forms.ServiceErrorsMixin; a stored object is announced and its detail
    page (`detail_url`, a URL name taking its pk) shown.
    """

    detail_url = ""

    def store(self, form: Any) -> Model:
        raise NotImplementedError

    def success_message(self, stored: Any) -> str:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            stored = self.store(form)
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(stored))
        return redirect(self.detail_url, pk=stored.pk)
