"""Rendering the report as one self-contained HTML file: inline CSS, SVG and one inline script.

Everything from postings is escaped; their links are kept only for ``http(s)`` (no
``file:``, ``javascript:`` or ``data:``). The application's own documents, whose addresses
the object store made, link to their files (``file:`` on the laptop; ``gs:`` as the Cloud
Console's authenticated download address). A Content-Security-Policy allows only the page's
own script (by its hash) and inline styles: nothing is loaded from anywhere, and injected
markup could not run. Skipped and filtered jobs are hidden until asked for; the table
filters, searches and sorts in the page, which stays usable at thousands of jobs.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from common.report.data import JobRow, ReportData

BAR = "#2f6fdf"
_SAFE_SCHEMES = {"http", "https"}

CSS = """
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;
max-width:1600px;padding:0 1rem;color:#1d2330}
h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.15rem;margin:2rem 0 .6rem}
.muted{color:#667}.charts{display:flex;gap:2rem;flex-wrap:wrap}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #e3e6ee;padding:.45rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f6fb}td.num{text-align:right;font-variant-numeric:tabular-nums}
.apply{color:#17803d;font-weight:600}.review{color:#a86b00}.skip{color:#888}
ul{margin:0;padding-left:1.1rem}a{color:#2456b8}
.controls{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;margin:.6rem 0}
.controls input[type=search]{min-width:18rem;padding:.3rem .4rem}
th[data-key]{cursor:pointer;white-space:nowrap}th[data-dir=asc]::after{content:" \\25B2"}
th[data-dir=desc]::after{content:" \\25BC"}td.id,td.small{font-size:.8rem;color:#556}
td.reasons{min-width:16rem;max-width:24rem}.wide{overflow-x:auto}
"""


def _link(url: str | None, text: str) -> str:
    """An anchor only for safe schemes; anything else is shown as text."""
    if url and urlsplit(url).scheme in _SAFE_SCHEMES:
        return f'<a href="{escape(url, quote=True)}">{escape(text)}</a>'
    return escape(text)


def _document_link(uri: str, text: str) -> str:
    """A link to one of the application's documents (an address of the object store)."""
    scheme, bucket, path, _, _ = urlsplit(uri)
    if scheme == "gs" and bucket and path:
        uri = f"https://storage.cloud.google.com/{bucket}{path}"
    elif scheme != "file":
        return f'<span title="{escape(uri, quote=True)}">{escape(text)}</span>'
    href = escape(uri, quote=True)
    return f'<a href="{href}" title="{href}">{escape(text)}</a>'


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
    reasons = [f"filtered by {r.filtered_by}"] if r.filtered_by else []
    reasons += r.reasons[:4]
    if r.contact:
        reasons.append(r.contact)
    docs = " ".join(
        _document_link(uri, kind.replace("_", " ")) for kind, uri in sorted(r.documents.items())
    )
    email = escape(r.email_status or "")
    if r.email:
        email = f'<span title="{escape(r.email, quote=True)}">{email}</span>'
    if r.outcome:
        email += f"<br>{escape(r.outcome)}"
    score = "" if r.score is None else str(r.score)
    data = {
        "score": score,
        "decision": r.decision or "",
        "status": r.status,
        "company": r.company.lower(),
        "title": r.title.lower(),
        "location": r.location.lower(),
        "source": r.source,
        "posted": r.posted or "",
    }
    attrs = " ".join(f'data-{k}="{escape(v, quote=True)}"' for k, v in data.items())
    hidden = ' data-hidden="1" hidden' if r.hidden else ""
    return (
        f"<tr {attrs}{hidden}><td class=id>{escape(r.job_id)}</td>"
        f"<td>{escape(r.company)}</td><td>{_link(r.url, r.title)}</td>"
        f"<td>{escape(r.location)}</td><td class=small>{escape(r.source)}</td>"
        f"<td class=small>{escape(r.posted or '')}</td>"
        f'<td class="num">{score}</td><td class="{decision}">{decision}</td>'
        f"<td class=reasons>{escape('; '.join(reasons))}</td><td>{escape(r.status)}</td>"
        f"<td>{_link(r.apply_url, 'apply') if r.apply_url else ''}</td>"
        f"<td class=small>{docs}</td><td class=small>{email}</td></tr>"
    )


#: the page's only script: filter, search and sort the jobs table in place
SCRIPT = """(function () {
  var table = document.getElementById("jobs"), body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = rows.map(function (r) { return r.textContent.toLowerCase(); });
  var q = document.getElementById("q"), decision = document.getElementById("decision");
  var all = document.getElementById("all"), count = document.getElementById("count");
  function apply() {
    var s = q.value.trim().toLowerCase(), d = decision.value, shown = 0;
    rows.forEach(function (r, i) {
      var ok = (all.checked || r.dataset.hidden !== "1") &&
        (!d || r.dataset.decision === d) && (!s || text[i].indexOf(s) >= 0);
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " jobs shown";
  }
  table.tHead.addEventListener("click", function (e) {
    var th = e.target.closest("th[data-key]");
    if (!th) { return; }
    var key = th.dataset.key, num = th.dataset.num === "1";
    var dir = th.dataset.dir === "desc" ? "asc" : "desc";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) {
      delete c.dataset.dir;
    });
    th.dataset.dir = dir;
    var sorted = rows.slice().sort(function (x, y) {
      var a = x.dataset[key] || "", b = y.dataset[key] || "";
      if (num) { a = a === "" ? -1 : +a; b = b === "" ? -1 : +b; }
      var c = a < b ? -1 : a > b ? 1 : 0;
      return dir === "asc" ? c : -c;
    });
    var frag = document.createDocumentFragment();
    sorted.forEach(function (r) { frag.appendChild(r); });
    body.appendChild(frag);
  });
  q.addEventListener("input", apply);
  decision.addEventListener("change", apply);
  all.addEventListener("change", apply);
  apply();
})();"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'"
)
_COLUMNS = [
    ("job id", "", ""),
    ("company", "company", ""),
    ("role", "title", ""),
    ("location", "location", ""),
    ("source", "source", ""),
    ("posted", "posted", ""),
    ("score", "score", "1"),
    ("decision", "decision", ""),
    ("reasons", "", ""),
    ("state", "status", ""),
    ("apply", "", ""),
    ("documents", "", ""),
    ("email", "", ""),
]


def _header() -> str:
    cells = []
    for label, key, num in _COLUMNS:
        sort = f' data-key="{key}"' + (f' data-num="{num}"' if num else "") if key else ""
        cells.append(f"<th{sort}>{label}</th>")
    return "<tr>" + "".join(cells) + "</tr>"


def _filters(data: ReportData) -> str:
    if not data.filter_reasons:
        return '<p class="muted">no job was stopped by a hard filter</p>'
    items = "".join(
        f"<tr><td>{escape(rule)}</td><td class=num>{n}</td></tr>"
        for rule, n in data.filter_reasons.most_common()
    )
    return f'<table style="width:auto"><tr><th>filter</th><th>jobs</th></tr>{items}</table>'


def _responses(data: ReportData) -> str:
    parts = []
    for axis, title in (("source", "by source"), ("score", "by score band")):
        rows = data.responses.get(axis) or {}
        if not rows:
            continue
        body = "".join(
            f"<tr><td>{escape(key)}</td><td class=num>{v['sent']}</td>"
            f"<td class=num>{v['answered']}</td><td class=num>{round(v['rate'] * 100)}%</td></tr>"
            for key, v in rows.items()
        )
        parts.append(
            f'<table style="width:auto"><tr><th>{title}</th><th>sent</th><th>answered</th>'
            f"<th>rate</th></tr>{body}</table>"
        )
    return "".join(parts) or '<p class="muted">no application sent yet</p>'


def render(data: ReportData, generated_at: datetime) -> str:
    """The whole page."""
    rows = "".join(_row(r) for r in data.rows) or '<tr><td colspan="13">no jobs yet</td></tr>'
    hidden = sum(1 for r in data.rows if r.hidden)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>autoapply report</title><style>{CSS}</style></head>
<body>
<h1>autoapply report</h1>
<p class="muted">generated {escape(generated_at.strftime("%Y-%m-%d %H:%M UTC"))} ·
{len(data.rows)} jobs ({hidden} skipped or filtered, hidden until you ask)</p>
<div class="charts">
<section><h2>Pipeline</h2>{funnel_svg(data.status.funnel())}</section>
<section><h2>Score distribution</h2>{histogram_svg(data.scores())}</section>
</div>
<div class="charts">
<section><h2>Hard filters</h2>{_filters(data)}</section>
<section><h2>Answers</h2>{_responses(data)}</section>
</div>
<h2>Jobs</h2>
<div class="controls">
<input id="q" type="search" placeholder="search company, role, location, reasons">
<label>decision <select id="decision"><option value="">any</option>
<option value="apply">apply</option><option value="review">review</option>
<option value="skip">skip</option></select></label>
<label><input id="all" type="checkbox"> show skipped and filtered</label>
<span id="count" class="muted">{len(data.rows) - hidden} of {len(data.rows)} jobs shown</span>
</div>
<div class="wide"><table id="jobs"><thead>{_header()}</thead>
<tbody>{rows}</tbody></table></div>
<script>{SCRIPT}</script>
</body></html>
"""
