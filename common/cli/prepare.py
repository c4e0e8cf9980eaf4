"""The runtime of a command, built only after its preflight passed (nothing half-written)."""

from __future__ import annotations

import argparse

from common.preflight import Needs, preflight
from common.runtime import Runtime, build_runtime
from common.settings import load_settings


def checked_runtime(args: argparse.Namespace, needs: Needs) -> Runtime:
    """Load the settings, check what the command ``needs`` (one-line errors, nothing written),
    then build the runtime (which creates the embedded store)."""
    settings = load_settings(args.config)
    profile = preflight(settings, needs)
    rt = build_runtime(settings)
    if profile is not None and settings.profile:
        rt._profile = profile  # read once
    return rt
