"""`autoapply report --html`: one self-contained page, checked in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from common.cli.main import main
from common.report.data import JobRow, ReportData
from common.report.html import BAR, render
from common.services.status import Status
from tests.helpers.browser import screenshot

DEMO = Path(__file__).resolve().parents[2] / "common" / "resources" / "demo"
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> Path:
    """The report of a demo run."""
    assert main(["demo", "--dir", str(tmp_path / "demo")]) == 0
    monkeypatch.chdir(tmp_path / "demo")
    out = tmp_path / "report.html"
    assert main(["report", "--html", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    return out


def test_report_is_self_contained(report: Path) -> None:
    page = report.read_text()
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["']https?://""", page.split("<tbody>")[0])
    assert "@import" not in page and "<link" not in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert "Nordlicht Payments" in page and "written" in page


def test_untrusted_text_is_escaped_and_unsafe_links_dropped() -> None:
    row = JobRow(
        job_id="x",
        title="<script>alert(1)</script>",
        company="Evil & Co",
        url="javascript:alert(1)",
        status="skipped",
        score=12,
        decision="skip",
        reasons=['<img src=x onerror="alert(1)">'],
    )
    page = render(ReportData(Status(), [row]), datetime(2026, 11, 26, tzinfo=UTC))
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "javascript:" not in page
    assert "<img" not in page and "Evil &amp; Co" in page


def test_report_renders_with_visible_charts(report: Path, tmp_path: Path) -> None:
    from PIL import Image

    png = screenshot(report, tmp_path / "report.png")
    image = Image.open(png).convert("RGB")
    bar = tuple(int(BAR[i : i + 2], 16) for i in (1, 3, 5))
    width, height = image.size
    upper = image.crop((0, 0, width, height // 2))  # the charts sit above the table
    colors = upper.getcolors(maxcolors=1 << 24) or []
    bar_pixels = sum(count for count, color in colors if color == bar)
    assert bar_pixels > 5000, "the funnel and histogram bars are not visible"
    if os.environ.get("AUTOAPPLY_UPDATE_DOCS"):
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, DOCS_IMG / "report.png")
