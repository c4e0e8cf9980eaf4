"""Benchmark: what choosing the recipient by code costs per posting, and the first call.

The first call loads the phrase lists and the Public Suffix List (once per instance, only
when a job is analysed); after that each posting is classified in well under a millisecond.
Synthetic postings: 2,000 with one to three addresses in a long text, 2,000 without any.
Run: ``make bench`` or ``python bench/recipients.py``.
"""

from __future__ import annotations

import time

from common.analysis.recipients import choose_recipient
from common.domain.job import Job

FILLER = "We build parcel routing software with Python, SQL and Google Cloud. " * 40
CONTACTS = [
    "Send your CV to jobs@firma{n}.example.",
    "Send your CV to jobs@firma{n}.example and cc talent@evil.example.",
    "Apply online. If you need an accommodation, contact hr@firma{n}.example. "
    "Questions: jane@firma{n}.example.",
]
N = 2000


def _jobs(with_address: bool) -> list[Job]:
    return [
        Job(
            id=f"j{n}",
            title="Backend Engineer",
            company=f"Firma {n}",
            company_url=f"https://www.firma{n}.example",
            description=FILLER + (CONTACTS[n % 3].format(n=n) if with_address else ""),
        )
        for n in range(N)
    ]


def main() -> None:
    first = time.perf_counter()
    choose_recipient(_jobs(True)[0])
    first_ms = (time.perf_counter() - first) * 1000
    print("recipient choice by code (synthetic postings of ~2,800 characters):")
    print(f"  first call (loads phrase lists and the Public Suffix List): {first_ms:.0f} ms")
    for label, with_address in (("with 1-3 addresses", True), ("without an address", False)):
        jobs = _jobs(with_address)
        started = time.perf_counter()
        for job in jobs:
            choose_recipient(job)
        per = (time.perf_counter() - started) / N * 1000
        print(f"  {label}: {per:.3f} ms per posting ({N} postings)")


if __name__ == "__main__":
    main()
