"""health: GET /api/health/integrations, /api/health/{external,internal}/{service};
POST /pubsub/dead-letters (push subscription of the dead-letter topic)."""

import functions_framework

from common.entry import handle_http
from common.http_routes import health_routes


@functions_framework.http
def health_check(request):
    """Entry point ``health_check``."""
    return handle_http(request, "health", health_routes)
