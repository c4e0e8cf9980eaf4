"""Zip the deploy bundles for Terraform: build/<fn>/ -> build/zip/<fn>.zip, byte-reproducible.

The zips hold no timestamps or file-system order, so the same code always gives the same
SHA-256, and Terraform names each source object by that hash: a code change is a new object
name (the function is rebuilt), no change is no redeploy.

``--config autoapply.yaml`` adds your settings to every zip as ``autoapply.yaml`` (the function
reads it from its working folder). Its ``profile`` key is dropped: in the cloud the profile is
read from the documents bucket (``candidate/profile.json``).
"""

from __future__ import annotations

import argparse
import hashlib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: every zip entry carries this time, so the bytes depend on the content only
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
CONFIG_NAME = "autoapply.yaml"


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def deploy_config(path: Path) -> bytes:
    """The settings file as deployed: validated, with the local ``profile`` path removed."""
    import yaml

    from common.settings import load_settings

    load_settings(path, env={})  # fail here, not in the cloud, on a bad value
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    raw.pop("profile", None)
    return yaml.safe_dump(raw, sort_keys=True, allow_unicode=True).encode("utf-8")


def zip_bundle(folder: Path, target: Path, config: bytes | None = None) -> str:
    """Write ``folder`` as a reproducible zip at ``target``; return its SHA-256."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compresslevel=9) as zf:
        for path in files:
            name = path.relative_to(folder).as_posix()
            if name == CONFIG_NAME and config is not None:
                continue
            zf.writestr(_entry(name), path.read_bytes())
        if config is not None:
            zf.writestr(_entry(CONFIG_NAME), config)
    return hashlib.sha256(target.read_bytes()).hexdigest()


def package(build: Path, out: Path, config: Path | None = None) -> dict[str, str]:
    """Zip every bundle folder under ``build`` into ``out``; return ``{function: sha256}``."""
    extra = deploy_config(config) if config else None
    folders = sorted(p for p in build.iterdir() if (p / "main.py").is_file())
    if not folders:
        raise SystemExit(f"package: no bundles in {build}; run `make bundle` first")
    return {f.name: zip_bundle(f, out / f"{f.name}.zip", extra) for f in folders}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "zip")
    parser.add_argument("--config", type=Path, help="autoapply.yaml to deploy with the code")
    args = parser.parse_args()
    for name, digest in package(args.build, args.out, args.config).items():
        print(f"package: {args.out / name}.zip sha256={digest}")


if __name__ == "__main__":
    main()
