"""scrape: POST /webhooks/apify (Apify) and POST /runs (Cloud Scheduler)."""

import functions_framework

from common.entry import handle_http
from common.http_routes import scrape_routes


@functions_framework.http
def scrape_http(request):
    """Entry point ``scrape_http``."""
    return handle_http(request, "scrape", scrape_routes)
