"""The licensing pages, one module per subject; licensing/urls.py maps them."""
