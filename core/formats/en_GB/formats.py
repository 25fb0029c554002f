"""The dates of every page and form (settings.FORMAT_MODULE_PATH): shown "1 Dec 2026", typed
"1 Dec 2026", "1 December 2026" or "2026-12-01" (core.forms.DateInput shows the first). The API
(DRF) has its own formats: ISO 8601 only."""

DATE_FORMAT = "j M Y"  # 1 Dec 2026
DATETIME_FORMAT = "j M Y, H:i"  # 1 Dec 2026, 14:05
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "M Y"  # Nov 2025
MONTH_DAY_FORMAT = "j M"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d %b %Y",  # 1 Dec 2026 (strptime takes "1" and "01", any case)
    "%d %B %Y",  # 1 December 2026
    "%Y-%m-%d",  # 2026-12-01
    "%d/%m/%Y",  # 01/12/2026, as in the UK
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
