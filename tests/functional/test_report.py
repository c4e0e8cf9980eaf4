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
    assert page.count("<script") == 1 and "<script>" in page  # one inline script, no src
    assert not re.search(r"""(src|href)=["']https?://""", page.split("<tbody>")[0])
    assert "@import" not in page and "<link" not in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert "Nordlicht Payments" in page and "written" in page
    assert "script-src 'sha256-" in page and "default-src 'none'" in page


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


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "FILE:///home/me/.ssh/id_rsa", "gs://bucket/x", "data:text/html,x"],
)
def test_only_http_links_of_postings_are_clickable(url: str) -> None:
    row = JobRow(
        job_id="x",
        title="Role",
        company="Co",
        url=url,
        status="matched",
        apply_url=url,
        email="/data/outbox/x.eml",
        email_status="written",
    )
    assert "href=" not in _jobs_table(row)
    ok = _jobs_table(JobRow("y", "Role", "Co", "https://jobs.example/1", "matched"))
    assert 'href="https://jobs.example/1"' in ok


def _jobs_table(row: JobRow) -> str:
    """The report's jobs table (from its body on) with ``row`` alone."""
    page = render(ReportData(Status(), [row]), datetime(2026, 11, 26, tzinfo=UTC))
    return page.split("<tbody>")[1]


def test_the_applications_documents_link_to_their_files() -> None:
    row = JobRow(
        job_id="x",
        title="Role",
        company="Co",
        url=None,
        status="documents_ready",
        documents={
            "resume_pdf": "file:///data/applications/app-1/resume.pdf",
            "letter_pdf": "gs://my-docs/applications/app-1/cover-letter.pdf",
            "letter_txt": "s3://elsewhere/x",
        },
    )
    body = _jobs_table(row)
    assert '<a href="file:///data/applications/app-1/resume.pdf"' in body
    assert (
        '<a href="https://storage.cloud.google.com/my-docs/applications/app-1/cover-letter.pdf"'
        in body
    )
    assert body.count("href=") == 2  # an address of no known store stays text


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


def _rows(n: int) -> list[JobRow]:
    states = ["matched", "review", "skipped", "filtered", "documents_ready"]
    out = []
    for i in range(n):
        status = states[i % len(states)]
        out.append(
            JobRow(
                job_id=f"job-{i:05d}",
                title=f"Engineer {i}" + (" <b>x</b>" if i % 97 == 0 else ""),
                company=f"Firma {i % 300}",
                url=f"https://jobs.example/{i}",
                status=status,
                score=None if status == "filtered" else (i * 37) % 101,
                decision={"matched": "apply", "documents_ready": "apply", "review": "review"}.get(
                    status, "skip"
                ),
                reasons=[f"reason {i} about Python and SQL", "local pre-score 61"],
                filtered_by="location" if status == "filtered" else None,
                location=["Berlin, Germany", "Paris, France", "Pune, India"][i % 3],
                source=["linkedin", "indeed", "glassdoor"][i % 3],
                posted=f"2026-11-{1 + i % 28:02d}",
                apply_url=f"https://jobs.example/{i}/apply",
                contact="the posting gives no application address: apply through its link",
            )
        )
    return out


#: drives the page like a person: search, filter, show hidden rows, sort; writes the result
HARNESS = """(function () {
  var out = {};
  function visible() {
    return Array.prototype.filter.call(document.querySelectorAll("#jobs tbody tr"),
      function (r) { return !r.hidden; });
  }
  out.initial = visible().length;
  out.count = document.getElementById("count").textContent;
  var q = document.getElementById("q");
  q.value = "firma 17";
  q.dispatchEvent(new Event("input"));
  out.search = visible().map(function (r) { return r.cells[1].textContent; });
  q.value = "";
  q.dispatchEvent(new Event("input"));
  var all = document.getElementById("all");
  all.checked = true;
  all.dispatchEvent(new Event("change"));
  out.all = visible().length;
  var d = document.getElementById("decision");
  d.value = "review";
  d.dispatchEvent(new Event("change"));
  out.review = visible().length;
  d.value = "";
  d.dispatchEvent(new Event("change"));
  document.querySelector("th[data-key=score]").click();
  out.sorted = visible().slice(0, 3).map(function (r) { return r.dataset.score; });
  var pre = document.createElement("pre");
  pre.id = "result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();"""


def test_report_at_2000_jobs_filters_in_the_browser(tmp_path: Path) -> None:
    import base64
    import hashlib
    import json

    from common.report.html import SCRIPT
    from tests.helpers.browser import dump_dom

    rows = _rows(2000)
    page = render(ReportData(Status(), rows), datetime(2026, 11, 26, tzinfo=UTC))
    size = len(page.encode())
    assert size < 2_500_000, f"the report at 2,000 jobs is {size} bytes"
    own = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    extra = base64.b64encode(hashlib.sha256(HARNESS.encode()).digest()).decode()
    harnessed = page.replace(f"'sha256-{own}'", f"'sha256-{own}' 'sha256-{extra}'").replace(
        "</body>", f"<script>{HARNESS}</script></body>"
    )
    (tmp_path / "report.html").write_text(harnessed, encoding="utf-8")
    dom = dump_dom(tmp_path / "report.html", budget_ms=10000)
    result = json.loads(re.search(r'<pre id="result">(.*?)</pre>', dom, re.S).group(1))

    shown = [r for r in rows if not r.hidden]
    assert result["initial"] == len(shown) == 1200  # skipped and filtered are hidden at first
    assert result["count"] == "1200 of 2000 jobs shown"
    expected = sorted(r.company for r in shown if "firma 17" in r.company.lower())
    assert sorted(result["search"]) == expected and expected
    assert result["all"] == 2000
    assert result["review"] == sum(1 for r in rows if r.decision == "review")
    top = sorted((r.score for r in rows if r.score is not None), reverse=True)[:3]
    assert [int(s) for s in result["sorted"]] == top
    assert "<b>x</b>" not in dom and "&lt;b&gt;x&lt;/b&gt;" in dom


def test_the_policy_blocks_any_other_script(tmp_path: Path) -> None:
    from tests.helpers.browser import dump_dom

    page = render(ReportData(Status(), _rows(3)), datetime(2026, 11, 26, tzinfo=UTC))
    planted = page.replace(
        "</body>", "<script>document.title = 'ran'</script></body>"
    )  # as if escaping had failed somewhere
    (tmp_path / "r.html").write_text(planted, encoding="utf-8")
    dom = dump_dom(tmp_path / "r.html")
    assert "<title>autoapply report</title>" in dom and "ran" not in dom.split("<body")[0]
    assert "1 of 3 jobs shown" in dom or "of 3 jobs shown" in dom  # the page's own script ran
