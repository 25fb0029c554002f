from dashboards.views.brief import BriefView
from dashboards.views.charts import ChartsView
from dashboards.views.lookup import ControlLookupView
from dashboards.views.overview import OverviewView, home
from dashboards.views.things import CodeDetailView, ElementDetailView

__all__ = [
    "BriefView",
    "ChartsView",
    "CodeDetailView",
    "ControlLookupView",
    "ElementDetailView",
    "OverviewView",
    "home",
]
