"""send_email: Pub/Sub CloudEvent on ``applications-ready`` -> deliver the email once."""

import functions_framework

from common.entry import handle_cloud_event
from common.handlers import on_applications_ready


@functions_framework.cloud_event
def send_application(event):
    """Entry point ``send_application``."""
    handle_cloud_event(event, "send_email", on_applications_ready)
