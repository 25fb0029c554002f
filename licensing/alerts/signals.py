"""What the alerts ask of other apps."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by alerts_raise with `on` (a date): each receiver returns the alerts.services.Candidate
# list of the conditions it knows on that day (the dashboards: customs releases overdue), so
# that the licensing app need not read what other apps derive.
alert_candidates_wanted = Signal()
