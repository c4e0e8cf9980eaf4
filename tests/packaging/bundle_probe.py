"""Run inside a fresh interpreter: import one bundle's main with only the bundle and
site-packages on the path, then report what was imported and how long it took (wall, CPU)."""

import json
import sys
import time

bundle = sys.argv[1]
# Only the bundle and site-packages (plus the standard library): no project checkout, no
# editable-install finder that could serve `common` from elsewhere.
sys.path[:] = [bundle] + [
    p for p in sys.path if "site-packages" in p or p.startswith(sys.base_prefix)
]
sys.meta_path[:] = [
    f
    for f in sys.meta_path
    if "editable" not in type(f).__module__.lower()
    and "editable" not in getattr(f, "__name__", "").lower()
]
started, cpu_started = time.perf_counter(), time.process_time()
import main  # noqa: E402

elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
import common  # noqa: E402

print(
    json.dumps(
        {
            "main": main.__file__,
            "common": common.__file__,
            "seconds": elapsed,
            "cpu_seconds": cpu,
            "modules": sorted(sys.modules),
        }
    )
)
