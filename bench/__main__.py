"""`make bench` / `python -m bench`: every benchmark at its quick scale, one after another.

Each prints medians and writes its results under bench/results/. Run one alone for its options:
`python -m bench.pages --scale national`, `python bench/import_gias.py --help`.
"""

import subprocess
import sys

BENCHMARKS = [
    [sys.executable, "-m", "bench.pages", "--scale", "small"],
    [sys.executable, "-m", "bench.import_gias", "--rows", "5000"],
    [sys.executable, "-m", "bench.library_search"],
    [sys.executable, "-m", "bench.oneroster_import", "--runs", "1"],
    # The goal's own scale (600,000 pupils): under a minute, most of it lme4 and statsmodels.
    [sys.executable, "-m", "bench.impact_fit", "--runs", "3"],
]


def main() -> int:
    failed = 0
    for command in BENCHMARKS:
        print("==", " ".join(command[1:]), flush=True)
        failed |= subprocess.run(command, check=False).returncode != 0
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
