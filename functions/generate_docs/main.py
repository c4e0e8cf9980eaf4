"""generate_docs: Pub/Sub CloudEvent on ``jobs-matched`` -> resume and cover letter."""

import functions_framework

from common.entry import handle_cloud_event
from common.handlers import on_jobs_matched


@functions_framework.cloud_event
def generate_documents(event):
    """Entry point ``generate_documents``."""
    handle_cloud_event(event, "generate_docs", on_jobs_matched)
