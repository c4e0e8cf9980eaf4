"""Every deploy bundle imports in isolation, and pays only for the SDKs it needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.build_bundles import FUNCTIONS, build

PROBE = Path(__file__).with_name("bundle_probe.py")
ENTRY_POINTS = {
    "scrape": "scrape_http",
    "analyze": "analyze_jobs",
    "generate_docs": "generate_documents",
    "send_email": "send_application",
    "health": "health_check",
}
HEAVY = ("google.genai", "apify_client", "googleapiclient")
#: SDKs nobody should pay for at import time: adapters import them on first use
LAZY = (
    *HEAVY,
    "google.cloud.firestore",
    "google.cloud.pubsub",
    "google.cloud.storage",
    "google.cloud.secretmanager",
    "docx",
    "typst",
)


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("build")
    return {p.name: p for p in build(out)}


def probe(bundle: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-I", str(PROBE), str(bundle)],
        cwd=bundle,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_bundle_layout(bundles: dict[str, Path]) -> None:
    assert sorted(bundles) == sorted(FUNCTIONS)
    for folder in bundles.values():
        assert (folder / "main.py").is_file()
        assert (folder / "common" / "__init__.py").is_file()
        assert (folder / "requirements.txt").read_text().startswith("#")
        assert not list(folder.rglob("__pycache__"))


@pytest.mark.parametrize("function", FUNCTIONS)
def test_bundle_imports_in_isolation(bundles: dict[str, Path], function: str) -> None:
    result = probe(bundles[function])
    assert Path(result["main"]).parent == bundles[function]
    assert Path(result["common"]).is_relative_to(bundles[function])
    source = (bundles[function] / "main.py").read_text()
    assert f"def {ENTRY_POINTS[function]}(" in source
    imported = [m for m in result["modules"] if m.startswith(LAZY)]
    assert imported == [], f"{function} imports {imported} at import time"


def test_entry_point_names_are_unique() -> None:
    assert len(set(ENTRY_POINTS.values())) == len(ENTRY_POINTS)


def test_health_pulls_in_no_heavy_sdk(bundles: dict[str, Path]) -> None:
    modules = probe(bundles["health"])["modules"]
    assert not [m for m in modules if m.startswith(HEAVY)]
    assert "functions_framework" in modules  # the probe really imported the entry point
