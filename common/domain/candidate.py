"""The candidate's facts: a JSON Resume document (https://jsonresume.org/schema).

It is the only source of truth for what a generated resume or letter may claim. Unknown keys
are kept (the schema allows extensions) but never used as facts.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from common.errors import ValidationError, first_problem
from common.jsonsafe import load_yaml, loads


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow")


class ResumeLocation(_Part):
    address: str | None = None
    postalCode: str | None = None
    city: str | None = None
    countryCode: str | None = None
    region: str | None = None


class SocialProfile(_Part):
    network: str | None = None
    username: str | None = None
    url: str | None = None


class Basics(_Part):
    name: str
    label: str | None = None
    image: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    summary: str | None = None
    location: ResumeLocation | None = None
    profiles: list[SocialProfile] = Field(default_factory=list)

    @field_validator("email")
    @classmethod
    def _one_address(cls, value: str | None) -> str | None:
        """Your address is the sender of every application: a bad one fails here, once,
        instead of at every send."""
        if value is None:
            return value
        from email_validator import EmailNotValidError, validate_email

        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError as exc:
            raise ValueError(f"expected your email address ({exc})") from exc
        return value


class Work(_Part):
    name: str | None = None
    position: str | None = None
    url: str | None = None
    location: str | None = None
    startDate: str | None = None
    endDate: str | None = None
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Education(_Part):
    institution: str | None = None
    url: str | None = None
    area: str | None = None
    studyType: str | None = None
    startDate: str | None = None
    endDate: str | None = None
    score: str | None = None
    courses: list[str] = Field(default_factory=list)


class Certificate(_Part):
    name: str | None = None
    date: str | None = None
    issuer: str | None = None
    url: str | None = None


class Skill(_Part):
    name: str
    level: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Language(_Part):
    language: str | None = None
    fluency: str | None = None


class Project(_Part):
    name: str | None = None
    description: str | None = None
    highlights: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    startDate: str | None = None
    endDate: str | None = None
    url: str | None = None
    roles: list[str] = Field(default_factory=list)


class Profile(_Part):
    """A JSON Resume document."""

    basics: Basics
    work: list[Work] = Field(default_factory=list)
    volunteer: list[Work] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    certificates: list[Certificate] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    interests: list[_Part] = Field(default_factory=list)
    awards: list[_Part] = Field(default_factory=list)
    publications: list[_Part] = Field(default_factory=list)

    def version(self) -> str:
        """A short content hash: analyses and documents are cached per profile version."""
        raw = json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()
        return hashlib.sha256(raw).hexdigest()[:16]

    @classmethod
    def parse_bytes(cls, data: bytes, name: str = "profile") -> Profile:
        """Parse JSON (a ``.json`` name) or YAML bytes; a bad document names the field that is
        wrong, in one line."""
        import pydantic

        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError(f"{name}: not UTF-8 text ({exc.reason})") from exc
        raw = loads(text, name) if name.lower().endswith(".json") else load_yaml(text, name)
        if not isinstance(raw, dict):
            raise ValidationError(f"{name}: expected a JSON Resume object at the top level")
        try:
            return cls.model_validate(raw)
        except pydantic.ValidationError as exc:
            where, msg, _ = first_problem(exc)
            raise ValidationError(f"{name}: field '{where}': {msg}", field=where) from exc

    @classmethod
    def load(cls, path: Path) -> Profile:
        """Read a JSON Resume file (JSON or YAML)."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ValidationError(
                f"profile file {path} cannot be read ({exc.strerror}); "
                "point 'profile' in autoapply.yaml at your JSON Resume file",
                field="profile",
            ) from exc
        return cls.parse_bytes(data, name=str(path))
