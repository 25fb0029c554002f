from dashboards.views.charts import ChartsView
from dashboards.views.overview import OverviewView, home

__all__ = ["ChartsView", "OverviewView", "home"]
