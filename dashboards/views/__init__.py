from dashboards.views.brief import BriefView
from dashboards.views.charts import ChartsView
from dashboards.views.lookup import ControlLookupView
from dashboards.views.overview import OverviewView, home

__all__ = ["BriefView", "ChartsView", "ControlLookupView", "OverviewView", "home"]
