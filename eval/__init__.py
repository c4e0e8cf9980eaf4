"""Quality evaluation of the local pre-score (``make eval``)."""
