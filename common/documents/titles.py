"""The role and company as an application names them, cleaned of what a posting adds.

A posting's title carries gender markers ("(H/F)", "(m/w/d)"), marketing tails ("Accountant -
Luxembourg Gare - Competitive Salary") and, in a hostile posting, links or addresses. The
letter, the subject and the document titles use the role alone.
"""

from __future__ import annotations

import re

#: gender markers: "(m/w/d)", "(H/F)", "(f/m/x)", "(all genders)", "m/w/d" at the end, "(gn)"
GENDER_TAG_RE = re.compile(
    r"\s*[(\[]\s*(?:(?:[mwfdxhn]|all genders?|divers|div\.?|gn|e)\s*[/|,*]?\s*)+[)\]]"
    r"|\s+[-–]?\s*\b[mwfhd]\s*/\s*[mwfhd](?:\s*/\s*[mwfdx])?\s*$",
    re.I,
)
URL_RE = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*", re.I)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: separators after which a title carries extras (place, salary, slogans)
TAIL_RE = re.compile(r"\s+[-–—|]\s+|\s+[|]\s*")


def strip_links(text: str) -> str:
    """``text`` without URLs and email addresses."""
    return " ".join(EMAIL_RE.sub(" ", URL_RE.sub(" ", text)).split())


def role_name(title: str) -> str:
    """The job title as an application names it: ``Contrôleur Financier (H/F) - Wiltz`` ->
    ``Contrôleur Financier``."""
    text = strip_links(GENDER_TAG_RE.sub("", title))
    head = TAIL_RE.split(text, maxsplit=1)[0].strip(" ,;:-–—|")
    text = head if len(head) >= 3 else text
    return " ".join(text.split()) or " ".join(title.split())


def clean_company(company: str) -> str:
    """The company as written, without links or addresses."""
    return strip_links(company)
