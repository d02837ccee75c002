"""Wall time and peak memory of `pipthemes analyse` on the bundled corpus (3 runs)."""

import resource
import subprocess
import sys
import tempfile
import time

times = []
for _ in range(3):
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipthemes.cli", "-q", "analyse", "--out", out], check=True)
        times.append(time.perf_counter() - start)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("analyse wall time (s), 3 runs:", ", ".join(f"{t:.2f}" for t in times))
print(f"median {sorted(times)[1]:.2f} s; peak memory {peak:.0f} MiB")
