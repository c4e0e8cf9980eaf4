"""Synthetic but realistic job postings with a ground-truth fit label, for one sample profile.

The templates are data (``eval/data/templates.json``): role families (on-target, adjacent,
off-target), seniority, stacks written with the aliases real postings use ("Postgres", "GCP",
"k8s"), requirements split into "must have" and "nice to have" sections (or written as prose),
years demanded, keyword-stuffed off-target roles (recruiters, sales, instructors), HTML or
plain text. This module only composes them.

The label is decided here, from the template's own facts, never by a scorer: a posting is a
good fit for the sample profile (``eval/profile.json``: senior backend/data engineer, Python
and Google Cloud, about 9 years) when

- the role is backend, data or platform engineering,
- the level is mid, senior or lead/staff (not intern/junior, not head/director),
- at least 60 % of the *required* skills are ones the candidate has, and
- the years demanded are at most 9.

``python -m eval.synthetic`` rewrites ``eval/data/postings.jsonl`` and ``labels.json``; the
benchmark (``bench/bench_analysis.py``) generates its batches with other seeds.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

_T = json.loads((Path(__file__).parent / "data" / "templates.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Family:
    name: str
    on_target: bool
    titles: tuple[str, ...]
    core: tuple[str, ...]  # skills this role usually requires
    extra: tuple[str, ...]  # skills it sometimes requires or likes
    duties: tuple[str, ...]


#: skills of the sample profile, in canonical form (what the label rule checks)
CANDIDATE: frozenset[str] = frozenset(_T["candidate"])
#: canonical skill -> ways postings write it
SPELLINGS: dict[str, list[str]] = _T["spellings"]
FAMILIES = [
    Family(
        f["name"],
        f["on_target"],
        tuple(f["titles"]),
        tuple(f["core"]),
        tuple(f["extra"]),
        tuple(f["duties"]),
    )
    for f in _T["families"]
]
LEVELS: dict[str, list[str]] = _T["levels"]
ACTOR_LEVEL: dict[str, str] = _T["actor_level"]
YEARS: dict[str, int] = _T["years"]
COMPANIES: list[str] = _T["companies"]
PLACES: list[tuple[str, bool]] = [(p, bool(r)) for p, r in _T["places"]]
INTROS: list[str] = _T["intros"]
THINGS: list[str] = _T["things"]
REQ_HEADS: list[str] = _T["req_heads"]
NICE_HEADS: list[str] = _T["nice_heads"]
OFFER_HEADS: list[str] = _T["offer_heads"]
OFFERS: list[str] = _T["offers"]


def _say(rng: random.Random, skill: str) -> str:
    return rng.choice(SPELLINGS.get(skill, [skill]))


def _pick_required(rng: random.Random, fam: Family) -> list[str]:
    n = rng.randint(3, 6)
    pool = list(fam.core)
    rng.shuffle(pool)
    # sometimes swap in skills from the wider pool: this is what makes a posting a bad fit
    swaps = rng.choice([0, 0, 1, 1, 2, 3]) if fam.on_target else rng.randint(0, 2)
    chosen = pool[: n - min(swaps, n - 1)]
    extra = [s for s in fam.extra if s not in chosen]
    rng.shuffle(extra)
    return chosen + extra[: n - len(chosen)]


def _label(fam: Family, level: str, required: list[str], years: int) -> tuple[int, str]:
    share = sum(1 for s in required if s in CANDIDATE) / len(required)
    why = f"{fam.name}, {level}, {share:.0%} of required skills, {years}+ years"
    good = fam.on_target and level in ("mid", "senior", "lead") and share >= 0.6 and years <= 9
    return int(good), why


def _requirements_text(
    rng: random.Random, required: list[str], nice: list[str], years: int, html: bool
) -> str:
    yrs = f"{years}+ years of professional experience" if years else "a first internship"
    if rng.random() < 0.25:  # prose, no headings
        req = ", ".join(_say(rng, s) for s in required)
        text = f"You have {yrs} and solid skills in {req}."
        if nice:
            text += f" Experience with {' or '.join(_say(rng, s) for s in nice)} is a plus."
        return text
    lines = [f"{years}+ years of experience in a similar role" if years else yrs]
    lines += [
        rng.choice(
            ["Strong {s}", "Hands-on experience with {s}", "You know {s} well", "{s}"]
        ).format(s=_say(rng, s))
        for s in required
    ]
    nice_lines = [_say(rng, s) for s in nice]
    if html:
        out = f"<h3>{rng.choice(REQ_HEADS)}</h3><ul>" + "".join(f"<li>{x}</li>" for x in lines)
        out += "</ul>"
        if nice_lines:
            out += f"<h3>{rng.choice(NICE_HEADS)}</h3><ul>"
            out += "".join(f"<li>{x}</li>" for x in nice_lines) + "</ul>"
        return out
    out = rng.choice(REQ_HEADS) + ":\n" + "\n".join(f"- {x}" for x in lines)
    if nice_lines:
        out += "\n\n" + rng.choice(NICE_HEADS) + ":\n" + "\n".join(f"- {x}" for x in nice_lines)
    return out


def make_posting(
    rng: random.Random, number: int, fam: Family, level: str | None = None
) -> tuple[dict, int, str]:
    """One bebity-shaped LinkedIn item, its label (1 = good fit) and why."""
    level = level or rng.choice(["intern", "junior", "mid", "mid", "senior", "senior", "lead",
                                 "director"])  # fmt: skip
    if fam.name == "manager":
        level = rng.choice(["senior", "lead", "director"])
    base = rng.choice(fam.titles)
    prefix = rng.choice(LEVELS[level])
    title = f"{prefix} {base}".strip() if prefix and not base.startswith(("Head", "Dir")) else base
    required = _pick_required(rng, fam)
    nice = [s for s in fam.extra if s not in required]
    rng.shuffle(nice)
    nice = nice[: rng.randint(0, 3)]
    years = max(0, YEARS[level] + rng.choice([-1, 0, 0, 1, 2]))
    if rng.random() < 0.08:
        years = rng.choice([10, 12])
    company = rng.choice(COMPANIES)
    place, remote = rng.choice(PLACES)
    html = rng.random() < 0.4
    intro = rng.choice(INTROS).format(
        company=company, thing=rng.choice(THINGS), size=rng.choice([40, 120, 300, 900]),
        city=place.split(",")[0],
    )  # fmt: skip
    duties = rng.sample(list(fam.duties), k=min(2, len(fam.duties)))
    role = f"As our {title} you will {duties[0]}" + (
        f" and {duties[1]}." if len(duties) > 1 else "."
    )
    offer_head = rng.choice(OFFER_HEADS)
    offers = rng.sample(OFFERS, k=3)
    reqs = _requirements_text(rng, required, nice, years, html)
    if html:
        desc = (
            f"<p>{intro}</p><p>{role}</p>{reqs}<h3>{offer_head}</h3><ul>"
            + "".join(f"<li>{o}</li>" for o in offers)
            + "</ul>"
        )
    else:
        desc = f"{intro}\n\n{role}\n\n{reqs}\n\n{offer_head}:\n" + "\n".join(
            f"- {o}" for o in offers
        )
    if rng.random() < 0.15:
        desc += ("\n\n" if not html else "<p>") + "Apply at jobs@" + company.split()[0].lower()
        desc += ".example.com" + ("" if not html else "</p>")
    label, why = _label(fam, level, required, years)
    item = {
        "id": str(4_100_000_000 + number),
        "title": title,
        "companyName": company,
        "location": place,
        "jobUrl": f"https://www.linkedin.com/jobs/view/{4_100_000_000 + number}/",
        "postedTime": f"{rng.randint(1, 20)} days ago",
        "publishedAt": f"2026-11-{rng.randint(5, 25):02d}",
        "experienceLevel": ACTOR_LEVEL[level],
        "contractType": "Full-time",
        "workType": "Remote" if remote else rng.choice(["On-site", "Hybrid"]),
        ("descriptionHtml" if html else "description"): desc,
    }
    return item, label, why


def generate(
    seed: int, n: int, on_target_share: float = 0.45, only_on_target: bool = False
) -> list[tuple[dict, int, str]]:
    """``n`` postings (item, label, why), reproducible from ``seed``."""
    rng = random.Random(seed)
    on = [f for f in FAMILIES if f.on_target]
    off = [f for f in FAMILIES if not f.on_target]
    out = []
    for i in range(n):
        fam = (
            rng.choice(on) if only_on_target or rng.random() < on_target_share else rng.choice(off)
        )
        out.append(make_posting(rng, seed * 100_000 + i, fam))
    return out


def main() -> None:
    folder = Path(__file__).parent / "data"
    folder.mkdir(exist_ok=True)
    rows = generate(seed=7, n=300)
    with (folder / "postings.jsonl").open("w", encoding="utf-8") as out:
        for item, _, _ in rows:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    labels = {item["id"]: {"good": label, "why": why} for item, label, why in rows}
    (folder / "labels.json").write_text(json.dumps(labels, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(rows)} postings, {sum(r[1] for r in rows)} good fits")


if __name__ == "__main__":
    main()
