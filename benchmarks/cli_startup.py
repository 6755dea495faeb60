"""How fast `turnover --help` answers, against the floor of starting Python at all.

Run: .venv/bin/python benchmarks/cli_startup.py [--runs 20]
Reports the median and worst wall time of `turnover --help` and of `python -c pass`, measured in
the same run, and the ratio. The target (issue 3) is under 0.5 s for `turnover --help`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def wall(cmd: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    cases = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "turnover --help": [str(BIN / "turnover"), "--help"],
        "turnover demo --help": [str(BIN / "turnover"), "demo", "--help"],
    }
    results = {name: wall(cmd, runs) for name, cmd in cases.items()}
    floor = statistics.median(results["python -c pass (floor)"])
    for name, times in results.items():
        median = statistics.median(times)
        worst = max(times)
        print(f"{name:28} median {median * 1000:6.1f} ms  worst {worst * 1000:6.1f} ms  {median / floor:4.1f}x floor")


if __name__ == "__main__":
    main()
