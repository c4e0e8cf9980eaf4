"""Apify: the token is accepted, one run's metadata is read and a page of its dataset."""

from __future__ import annotations

import os

from common.adapters.apify_api import ApifyRuns
from tests.live.conftest import need


def _latest_run(token: str, api_url: str | None) -> str:
    """``AUTOAPPLY_LIVE_APIFY_RUN`` or the account's latest run (skips when it has none)."""
    import pytest
    from apify_client import ApifyClient

    if os.environ.get("AUTOAPPLY_LIVE_APIFY_RUN"):
        return os.environ["AUTOAPPLY_LIVE_APIFY_RUN"]
    client = ApifyClient(token, **({"api_url": api_url} if api_url else {}))
    runs = client.runs().list(limit=1, desc=True).items
    if not runs:
        pytest.skip("set AUTOAPPLY_LIVE_APIFY_RUN (a run id): this Apify account has no run")
    return str(runs[0].id)


def test_run_metadata_and_a_dataset_page() -> None:
    (token,) = need("AUTOAPPLY_LIVE_APIFY_TOKEN")
    api_url = os.environ.get("AUTOAPPLY_APIFY_API_URL")
    api = ApifyRuns(token, api_url=api_url)
    run_id = _latest_run(token, api_url)
    run = api.get_run(run_id)
    assert run is not None and run["id"] == run_id
    assert run["status"] and run["defaultDatasetId"] and run["actId"]
    page = api.read_page(run["defaultDatasetId"], 0, 5)
    assert page.offset == 0 and len(page.items) <= 5 and page.total >= len(page.items)
    assert all(isinstance(item, dict) for item in page.items)
