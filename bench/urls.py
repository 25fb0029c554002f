from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


@login_not_required
def baseline(request):
    """The cheapest Django answer: what every page's throughput is compared with."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/baseline/", baseline), *app_urlpatterns]
