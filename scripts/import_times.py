"""Import time of each function's ``main`` (median of several fresh processes), from its bundle.

CPU time is the figure to compare on a shared machine; wall time is shown beside it.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.build_bundles import FUNCTIONS, build  # noqa: E402

PROBE = ROOT / "tests" / "packaging" / "bundle_probe.py"


def measure(bundle: Path, runs: int) -> list[dict[str, float]]:
    """CPU and wall seconds to import ``main`` in ``runs`` fresh interpreters."""
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-I", str(PROBE), str(bundle)],
            cwd=bundle,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        done = json.loads(out)
        times.append({"cpu": done["cpu_seconds"], "wall": done["seconds"]})
    return times


def main(runs: int = 7) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bundles = {p.name: p for p in build(Path(tmp))}
        print(f"import time of main.py per function (median of {runs} fresh processes)")
        for fn in FUNCTIONS:
            times = measure(bundles[fn], runs)
            cpu = [t["cpu"] * 1000 for t in times]
            wall = statistics.median(t["wall"] for t in times) * 1000
            print(
                f"  {fn:<14} {statistics.median(cpu):7.1f} ms CPU  "
                f"(min {min(cpu):.1f}, max {max(cpu):.1f}; wall {wall:.1f})"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
