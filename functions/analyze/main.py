"""analyze: Pub/Sub CloudEvent on ``jobs-ingested`` -> score each job once."""

import functions_framework

from common.entry import handle_cloud_event
from common.handlers import on_jobs_ingested


@functions_framework.cloud_event
def analyze_jobs(event):
    """Entry point ``analyze_jobs``."""
    handle_cloud_event(event, "analyze", on_jobs_ingested)
