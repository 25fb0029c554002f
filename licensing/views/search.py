"""Global search: the results page and the type-ahead's suggestions (licensing.search)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, JsonResponse
from django.views import View
from django.views.generic import TemplateView

from licensing.search import KINDS_BY_KEY, MAX_TEXT, kinds_for, search, suggestions

PER_KIND = 10


class SearchView(LoginRequiredMixin, TemplateView):
    """Anyone logged in may search; each kind of result needs its own view permission."""

    template_name = "licensing/search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        text = self.request.GET.get("q", "").strip()[:MAX_TEXT]
        groups = search(user=self.request.user, text=text, limit=PER_KIND, count=True)
        context.update(
            q=text,
            groups=[group for group in groups if group.hits],
            searched=[kind.title.lower() for kind in kinds_for(self.request.user)],
            per_kind=PER_KIND,
        )
        return context


class SuggestView(LoginRequiredMixin, View):
    """A JSON list of [{kind, id, label, detail, url, value}], the best first."""

    def get(self, request: HttpRequest) -> JsonResponse:
        kind = request.GET.get("kind", "")
        if kind and kind not in KINDS_BY_KEY:
            return JsonResponse({"error": f"No kind “{kind[:20]}”."}, status=400)
        hits = suggestions(user=request.user, text=request.GET.get("q", ""), kind=kind)
        return JsonResponse([hit.as_json() for hit in hits], safe=False)
