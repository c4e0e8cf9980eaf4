"""Rendering the report as one self-contained HTML file: inline CSS and SVG, no scripts."""

from __future__ import annotations

from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from common.report.data import JobRow, ReportData

BAR = "#2f6fdf"
_SAFE_SCHEMES = {"http", "https", "file", "gs"}

CSS = """
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;
max-width:1200px;padding:0 1rem;color:#1d2330}
h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.15rem;margin:2rem 0 .6rem}
.muted{color:#667}.charts{display:flex;gap:2rem;flex-wrap:wrap}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #e3e6ee;padding:.45rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f6fb}td.num{text-align:right;font-variant-numeric:tabular-nums}
.apply{color:#17803d;font-weight:600}.review{color:#a86b00}.skip{color:#888}
ul{margin:0;padding-left:1.1rem}a{color:#2456b8}
"""


def _link(url: str | None, text: str) -> str:
    """An anchor only for safe schemes; anything else is shown as text."""
    if url and urlsplit(url).scheme in _SAFE_SCHEMES:
        return f'<a href="{escape(url, quote=True)}">{escape(text)}</a>'
    return escape(text)


def funnel_svg(stages: list[tuple[str, int]], width: int = 520) -> str:
    """Horizontal bars, one per stage, labelled with the stage and its count."""
    top = max([n for _, n in stages] + [1])
    row, label_w = 34, 110
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="pipeline funnel" '
        f'width="{width}" height="{row * len(stages) + 10}" id="funnel">'
    ]
    for i, (stage, n) in enumerate(stages):
        y = 5 + i * row
        bar = max(2, round((width - label_w - 60) * n / top)) if n else 0
        parts.append(f'<text x="0" y="{y + 20}" font-size="14">{escape(stage)}</text>')
        parts.append(
            f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{bar}" height="22" '
            f'rx="3" fill="{BAR}"/>'
        )
        parts.append(f'<text x="{label_w + bar + 8}" y="{y + 20}" font-size="14">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram_svg(scores: list[int], width: int = 520, height: int = 200) -> str:
    """Score distribution in ten bins of ten points."""
    bins = [0] * 10
    for s in scores:
        bins[min(9, max(0, s) // 10)] += 1
    top = max([*bins, 1])
    base, plot_h, bar_w = height - 30, height - 55, (width - 20) / 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="score distribution" '
        f'width="{width}" height="{height}" id="scores">'
    ]
    for i, n in enumerate(bins):
        h = round(plot_h * n / top)
        x = 10 + i * bar_w
        parts.append(
            f'<rect class="bar" x="{x + 2:.1f}" y="{base - h}" width="{bar_w - 4:.1f}" '
            f'height="{h}" fill="{BAR}"/>'
        )
        if n:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{base - h - 5}" font-size="12" '
                f'text-anchor="middle">{n}</text>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - 10}" font-size="11" '
            f'text-anchor="middle">{i * 10}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _row(r: JobRow) -> str:
    decision = escape(r.decision or "")
    reasons = "".join(f"<li>{escape(x)}</li>" for x in r.reasons)
    if r.filtered_by:
        reasons = f"<li>filtered by {escape(r.filtered_by)}</li>" + reasons
    docs = " ".join(_link(uri, kind.replace("_", " ")) for kind, uri in sorted(r.documents.items()))
    email = _link(r.email, r.email_status or "email") if r.email else escape(r.email_status or "")
    score = "" if r.score is None else str(r.score)
    return (
        f"<tr><td>{escape(r.company)}</td><td>{_link(r.url, r.title)}</td>"
        f'<td class="num">{score}</td><td class="{decision}">{decision}</td>'
        f"<td><ul>{reasons}</ul></td><td>{escape(r.status)}</td><td>{docs}</td>"
        f"<td>{email}</td></tr>"
    )


def render(data: ReportData, generated_at: datetime) -> str:
    """The whole page."""
    rows = "".join(_row(r) for r in data.rows) or '<tr><td colspan="8">no jobs yet</td></tr>'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>autoapply report</title><style>{CSS}</style></head>
<body>
<h1>autoapply report</h1>
<p class="muted">generated {escape(generated_at.strftime("%Y-%m-%d %H:%M UTC"))} ·
{len(data.rows)} jobs</p>
<div class="charts">
<section><h2>Pipeline</h2>{funnel_svg(data.status.funnel())}</section>
<section><h2>Score distribution</h2>{histogram_svg(data.scores())}</section>
</div>
<h2>Jobs</h2>
<table><thead><tr><th>company</th><th>role</th><th>score</th><th>decision</th><th>reasons</th>
<th>state</th><th>documents</th><th>email</th></tr></thead>
<tbody>{rows}</tbody></table>
</body></html>
"""
