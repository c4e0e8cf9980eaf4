"""``autoapply doctor``: every configured integration checked without changing anything.

One line per check: what is wrong and how to fix it. The probes are the health function's own
(:mod:`common.services.health_checks`); this module only chooses which apply and words the
fix. :data:`CHECKS` is a plain list of functions ``(DoctorContext) -> Finding``: a new check is
one more function in it. Nothing is written: no store is created, no message published, no
email drafted, no tokens spent (a Gemini model lookup, an OAuth refresh, Apify metadata reads).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from common.domain.candidate import Profile
from common.errors import AutoapplyError, ConfigError
from common.runtime import Runtime, build_objects, build_secrets, build_store
from common.services import health_checks
from common.settings import Settings, load_settings

Status = Literal["ok", "fail", "skip"]

#: profile fields that still hold the `autoapply init` template's value -> an untouched profile
PLACEHOLDERS = (
    "basics.name",
    "basics.email",
    "basics.summary",
    "work.0.name",
    "work.0.highlights.0",
    "education.0.institution",
)
#: check -> error class -> how to fix it (appended when the error's own message says no fix)
FIXES: dict[str, dict[str, str]] = {
    "gemini": {
        "AuthError": "set a valid key: GEMINI_API_KEY (.env) or the secret gemini-api-key",
        "PermanentError": "a 400 on a model lookup is an invalid key: check GEMINI_API_KEY / "
        "gemini-api-key",
        "NotFoundError": "the model is retired or misspelled: set gemini.model to a current one "
        "(https://ai.google.dev/gemini-api/docs/models)",
        "RetryableError": "Gemini did not answer: check the network, then run doctor again",
    },
    "gmail": {
        "ConfigError": "run `autoapply auth gmail` and store GMAIL_CLIENT_ID, "
        "GMAIL_CLIENT_SECRET and GMAIL_REFRESH_TOKEN (or the gmail-* secrets)",
        "RetryableError": "Gmail did not answer: check the network, then run doctor again",
    },
    "apify": {
        "AuthError": "the token was refused: copy it again from Apify Console > Settings > "
        "API & Integrations into APIFY_TOKEN / the secret apify-token",
        "ConfigError": "set APIFY_TOKEN (.env) or the secret apify-token",
        "RetryableError": "Apify did not answer: check the network, then run doctor again",
    },
    "store": {
        "RetryableError": "the store did not answer: check the Firestore database and your "
        "credentials (gcloud auth application-default login)",
        "AuthError": "your credentials may not read Firestore: check the project and roles",
    },
}


@dataclass(frozen=True)
class Finding:
    """The outcome of one check, in one line."""

    check: str
    status: Status
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"check": self.check, "status": self.status, "message": self.message}


class Skip(Exception):
    """A check that does not apply (or cannot run before another one passes)."""


@dataclass
class DoctorContext:
    """What the checks read: the settings, a read-only runtime, the Terraform outputs."""

    config: str | None = None
    terraform_outputs: Path | None = None
    terraform_dir: Path | None = None
    _settings: Settings | None = None
    _settings_error: ConfigError | None = None
    _runtime: Runtime | None = None
    _scratch: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        """The settings, loaded once (a Skip when they are invalid: that check says why)."""
        if self._settings is None and self._settings_error is None:
            try:
                self._settings = load_settings(self.config)
            except ConfigError as exc:
                self._settings_error = exc
        if self._settings is None:
            raise Skip("the settings are invalid (see above)")
        return self._settings

    def store_missing(self) -> bool:
        """Whether the embedded store has not been created yet (first run to come)."""
        settings = self.settings()
        return settings.backends.store == "sqlite" and not self._sqlite_path(settings).exists()

    @staticmethod
    def _sqlite_path(settings: Settings) -> Path:
        return settings.data_path / "autoapply.sqlite3"

    def runtime(self) -> Runtime:
        """The ports the checks read. An embedded store or object folder that does not exist
        yet is not created: a throwaway empty one stands in for it."""
        if self._runtime is None:
            settings = self.settings()
            if self.store_missing():
                from common.adapters.store_sqlite import SqliteStore

                store: Any = SqliteStore(self._scratch_dir() / "empty.sqlite3")
            else:
                store = build_store(settings)
            local = settings.backends.objects == "local"
            if local and not (settings.data_path / "objects").is_dir():
                from common.adapters.objects_local import LocalObjectStore

                objects: Any = LocalObjectStore(self._scratch_dir() / "objects")
            else:
                objects = build_objects(settings)
            self._runtime = Runtime(
                settings=settings,
                store=store,
                objects=objects,
                bus=None,  # type: ignore[arg-type]  # nothing is published
                secrets=build_secrets(settings),
            )
        return self._runtime

    def _scratch_dir(self) -> Path:
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="autoapply-doctor-")
        return Path(self._scratch.name)

    def outputs(self) -> dict[str, Any]:
        """``terraform output -json`` values: from the file given, else from the Terraform
        folder when it has been applied; a Skip when there are none."""
        if self.terraform_outputs is not None:
            try:
                raw = json.loads(self.terraform_outputs.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ConfigError(
                    f"{self.terraform_outputs}: not the JSON of `terraform output -json` ({exc})"
                ) from exc
        else:
            folder = self.terraform_dir
            terraform = shutil.which("terraform")
            if folder is None or terraform is None or not (folder / ".terraform").is_dir():
                raise Skip(
                    "no deployment to compare: pass --terraform-outputs FILE "
                    "(terraform output -json > FILE) after `make deploy`"
                )
            done = subprocess.run(
                [terraform, f"-chdir={folder}", "output", "-json"],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            if done.returncode != 0:
                raise Skip(f"`terraform output` failed in {folder}: {done.stderr.strip()[:200]}")
            raw = json.loads(done.stdout or "{}")
        if not raw:
            raise Skip("Terraform has no outputs yet (not applied)")
        return {k: v.get("value") if isinstance(v, dict) else v for k, v in raw.items()}

    def close(self) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()


Check = Callable[[DoctorContext], Finding]


def _probe(*probes: health_checks.Check) -> dict[str, Any]:
    """Run health probes in order; details of all of them (the first error propagates)."""
    details: dict[str, Any] = {}
    for probe in probes:
        details.update(probe() or {})
    return details


def check_settings(ctx: DoctorContext) -> Finding:
    try:
        settings = ctx.settings()
    except Skip:
        assert ctx._settings_error is not None
        return Finding("settings", "fail", ctx._settings_error.message)
    return Finding("settings", "ok", f"valid: {settings.source}")


def check_profile(ctx: DoctorContext) -> Finding:
    profile = ctx.runtime().profile()
    template = Profile.parse_bytes(
        (resources.files("common.resources") / "init" / "profile.yaml").read_bytes(),
        name="profile template",
    ).model_dump(mode="json")
    mine = profile.model_dump(mode="json")
    if mine == template:
        return Finding(
            "profile",
            "fail",
            "still the untouched `autoapply init` template: put your own facts in it",
        )
    left = [
        p
        for p in PLACEHOLDERS
        if _at(mine, p) not in (None, "") and _at(mine, p) == _at(template, p)
    ]
    if left:
        return Finding(
            "profile",
            "fail",
            f"{', '.join(left)} still hold the template's example values: replace them with "
            "your own (documents are written only from this file)",
        )
    return Finding("profile", "ok", f"valid JSON Resume for {profile.basics.name}")


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def check_store(ctx: DoctorContext) -> Finding:
    settings = ctx.settings()
    if ctx.store_missing():
        return Finding(
            "store", "ok", f"no local store yet in {settings.data_path} (the first run makes it)"
        )
    details = _probe(health_checks.database_check(ctx.runtime()))
    return Finding("store", "ok", f"{details.get('backend')} reachable")


def check_gemini(ctx: DoctorContext) -> Finding:
    rt = ctx.runtime()
    if not health_checks.gemini_enabled(rt):
        raise Skip("not in use (backends.analyzer local, or no GEMINI_API_KEY)")
    details = _probe(health_checks.gemini_check(rt))
    return Finding("gemini", "ok", f"key accepted, model {details.get('model')} available")


def check_gmail(ctx: DoctorContext) -> Finding:
    rt = ctx.runtime()
    if not health_checks.gmail_enabled(rt):
        raise Skip(f"not in use (backends.mailer is {rt.settings.backends.mailer})")
    details = _probe(health_checks.gmail_check(rt), health_checks.gmail_scopes_check(rt))
    message = f"token valid with scopes {', '.join(details['scopes'])}"
    last = details.get("send_auth")
    if last and last != "ok":  # the token works now: what was deferred goes on the next sweep
        message += f" (the last send saw {last} at {details.get('send_auth_at')}; now fixed)"
    return Finding("gmail", "ok", message)


def check_apify(ctx: DoctorContext) -> Finding:
    rt = ctx.runtime()
    if not health_checks.apify_enabled(rt):
        raise Skip("not in use (no searches and no APIFY_TOKEN)")
    probes = [health_checks.apify_check(rt)]
    if rt.settings.searches:
        probes.append(health_checks.apify_actors_check(rt))
    details = _probe(*probes)
    actors = details.get("actors", 0)
    return Finding("apify", "ok", f"token valid, {actors} search actor(s) usable")


def check_webhook_secret(ctx: DoctorContext) -> Finding:
    from common.services.scrape import SECRET, SECRET_HEADER

    rt = ctx.runtime()
    if not health_checks.apify_enabled(rt):
        raise Skip("no Apify searches: no webhook to authenticate")
    if not rt.secrets.get(SECRET):
        return Finding(
            "webhook secret",
            "fail",
            f"{SECRET} is not set: generate one (openssl rand -hex 32), store it as "
            f"APIFY_WEBHOOK_SECRET / the secret {SECRET}; Apify sends it in {SECRET_HEADER}",
        )
    return Finding("webhook secret", "ok", f"{SECRET} is set")


def check_terraform(ctx: DoctorContext) -> Finding:
    settings, outputs = ctx.settings(), ctx.outputs()
    problems = []
    bucket = outputs.get("documents_bucket")
    if settings.gcp.bucket and bucket and settings.gcp.bucket != bucket:
        problems.append(f"gcp.bucket is {settings.gcp.bucket!r}, Terraform made {bucket!r}")
    hook = outputs.get("webhook_url")
    if settings.apify.webhook_url and hook and settings.apify.webhook_url != hook:
        problems.append(f"apify.webhook_url is {settings.apify.webhook_url!r}, Terraform {hook!r}")
    containers = set(outputs.get("secrets") or [])
    missing = [s for s in health_checks.required_secrets(ctx.runtime()) if s not in containers]
    if containers and missing:
        problems.append(f"no secret container for {', '.join(missing)}")
    if problems:
        return Finding("terraform", "fail", "; ".join(problems) + ": align autoapply.yaml")
    return Finding("terraform", "ok", "outputs agree with the settings")


#: the checks, in the order they print
CHECKS: list[Check] = [
    check_settings,
    check_profile,
    check_store,
    check_gemini,
    check_gmail,
    check_apify,
    check_webhook_secret,
    check_terraform,
]


def _name(check: Check) -> str:
    return check.__name__.removeprefix("check_").replace("_", " ")


def run(ctx: DoctorContext, checks: list[Check] | None = None) -> list[Finding]:
    """Every check's finding; a check that raises an autoapply error fails with its fix."""
    findings = []
    try:
        for check in CHECKS if checks is None else checks:
            name = _name(check)
            try:
                findings.append(check(ctx))
            except Skip as skip:
                findings.append(Finding(name, "skip", str(skip)))
            except AutoapplyError as exc:
                findings.append(Finding(name, "fail", _with_fix(name, exc)))
    finally:
        ctx.close()
    return findings


def _with_fix(check: str, exc: AutoapplyError) -> str:
    fix = next(
        (
            FIXES.get(check, {}).get(cls.__name__)
            for cls in type(exc).__mro__
            if FIXES.get(check, {}).get(cls.__name__)
        ),
        None,
    )
    if fix and "autoapply auth" not in exc.message and fix not in exc.message:
        return f"{exc.message}: {fix}"
    return exc.message
