"""Preflight: check what a command needs before it changes anything.

A command states its :class:`Needs`; :func:`preflight` checks them in a fixed order and raises
the first problem as a :class:`common.errors.ConfigError` or
:class:`common.errors.ValidationError` whose one-line message names the problem and the fix.
Nothing is created or written: the data folder is probed with a temporary folder that is
removed at once, dataset files are read through without storing anything. Each check is a
function of its own, so a health report (``autoapply doctor``) can run them one by one and
list every problem instead of the first.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from common.domain.candidate import Profile
from common.errors import ConfigError, ValidationError
from common.ports import Secrets
from common.settings import Settings, require_setting

SQLITE_FILE = "autoapply.sqlite3"
_SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Needs:
    """What a command uses. ``store`` covers the data folder and the cloud backends."""

    store: bool = False
    profile: bool = False
    sender: bool = False  # the profile's name and address become an email's From
    analyzer: bool = False
    mailer: bool = False
    datasets: Sequence[str | Path] = ()


def check_data_dir(settings: Settings) -> Path:
    """The data folder exists as a writable folder, or can be created; its store, documents
    and outbox paths are of the right kind."""
    path = settings.data_path
    fix = "point data_dir in autoapply.yaml (or AUTOAPPLY_DATA_DIR) at a folder you can write"
    existing = path
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        what = "is a file" if existing == path else f"cannot be created ({existing} is a file)"
        raise ConfigError(f"data_dir {path} {what}: {fix}", field="data_dir")
    try:
        Path(tempfile.mkdtemp(prefix=".autoapply-probe-", dir=existing)).rmdir()
    except OSError as exc:
        raise ConfigError(
            f"data_dir {path} cannot be written ({exc.strerror}): {fix}", field="data_dir"
        ) from exc
    for name in ("objects", "outbox"):
        if (path / name).exists() and not (path / name).is_dir():
            raise ConfigError(
                f"data_dir {path}: {name} is a file where a folder belongs: move it away",
                field="data_dir",
            )
    database = path / SQLITE_FILE
    if database.exists() and not _is_sqlite(database):
        raise ConfigError(
            f"data_dir {path}: {SQLITE_FILE} is not a SQLite database: move it away, or "
            "point data_dir at another folder",
            field="data_dir",
        )
    return path


def _is_sqlite(path: Path) -> bool:
    """A SQLite database file (an empty file becomes one)."""
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(len(_SQLITE_MAGIC))
    return head in (b"", _SQLITE_MAGIC)


def check_cloud(settings: Settings) -> None:
    """The settings every configured cloud backend needs (no network call)."""
    backends = settings.backends
    if backends.objects == "gcs":
        require_setting(settings.gcp.bucket, "gcp.bucket", "AUTOAPPLY_BUCKET", "Cloud Storage")
    for used, what in (
        (backends.bus == "pubsub", "Pub/Sub"),
        (backends.secrets == "secretmanager", "Secret Manager"),
    ):
        if used:
            require_setting(settings.gcp.project, "gcp.project", "GOOGLE_CLOUD_PROJECT", what)


def check_store(settings: Settings) -> None:
    """The store, documents and outbox can be opened: the settings of the cloud ones, and
    the data folder when any of them is embedded."""
    check_cloud(settings)
    backends = settings.backends
    if (backends.store, backends.objects, backends.mailer) != ("firestore", "gcs", "gmail"):
        check_data_dir(settings)


def check_profile(settings: Settings) -> Profile:
    """The candidate's profile: the configured file, else the local object store's copy.
    (A profile kept in Cloud Storage is read by the command itself.)"""
    from common.runtime import PROFILE_KEY, no_profile

    if settings.profile:
        return Profile.load(settings.path(settings.profile))
    if settings.backends.objects != "local":
        raise no_profile()
    stored = settings.data_path / "objects" / PROFILE_KEY
    if not stored.is_file():
        raise no_profile()
    return Profile.load(stored)


def check_sender(profile: Profile) -> None:
    """The profile's name and address can be an email's ``From``."""
    from common.outreach.headers import header_text

    if not profile.basics.email:
        raise ValidationError(
            "profile: basics.email is missing: the application emails are sent from your "
            "address; add it to your JSON Resume",
            field="basics.email",
        )
    header_text(profile.basics.name, "profile basics.name")


def check_analyzer(settings: Settings, secrets: Secrets) -> None:
    """Gemini's key when ``backends.analyzer`` is gemini."""
    from common.runtime import gemini_key

    gemini_key(settings, secrets)


def check_mailer(settings: Settings, secrets: Secrets) -> None:
    """Gmail's OAuth secrets when ``backends.mailer`` is gmail."""
    from common.runtime import gmail_secrets

    if settings.backends.mailer == "gmail":
        gmail_secrets(secrets)


def check_datasets(paths: Sequence[str | Path]) -> int:
    """Every dataset file reads through as a JSON array or JSON Lines; the item count."""
    from common.adapters.dataset_file import iter_dataset_file

    count = 0
    for path in paths:
        if Path(path).is_dir():
            raise ValidationError(f"{path}: is a folder; expected an Apify dataset export file")
        for _ in iter_dataset_file(path):
            count += 1
    return count


def preflight(settings: Settings, needs: Needs) -> Profile | None:
    """Run the checks ``needs`` asks for, cheapest first; raise the first problem. Returns
    the profile when it was read (for the command to reuse)."""
    from common.runtime import build_secrets

    profile = None
    if needs.store:
        check_store(settings)
    if needs.profile or needs.sender:
        profile = check_profile(settings)
    if needs.sender and profile is not None:
        check_sender(profile)
    if needs.analyzer or needs.mailer:
        secrets = build_secrets(settings)
        if needs.analyzer:
            check_analyzer(settings, secrets)
        if needs.mailer:
            check_mailer(settings, secrets)
    if needs.datasets:
        check_datasets(needs.datasets)
    return profile
