"""Write the deploy bundles: build/<fn>/ = that function's main.py + common/ + requirements.txt.

Terraform zips each folder. Caches and tests are left out, so the content hash changes only
when the code does.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ["scrape", "analyze", "generate_docs", "send_email", "health"]
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")


def build(out: Path = ROOT / "build", functions: list[str] | None = None) -> list[Path]:
    """Write every bundle (or the named ones) and return their folders."""
    written = []
    for fn in functions or FUNCTIONS:
        target = out / fn
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        shutil.copy2(ROOT / "functions" / fn / "main.py", target / "main.py")
        shutil.copytree(ROOT / "common", target / "common", ignore=_IGNORE)
        shutil.copy2(ROOT / "requirements.txt", target / "requirements.txt")
        written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "build")
    parser.add_argument("functions", nargs="*", choices=[*FUNCTIONS, []])
    args = parser.parse_args()
    for folder in build(args.out, args.functions or None):
        print(f"bundle: {folder}")


if __name__ == "__main__":
    main()
