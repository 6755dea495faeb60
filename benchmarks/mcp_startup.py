"""How fast `turnover mcp` answers `initialize` after being spawned, against the floor of the SDK itself.

Run: .venv/bin/python benchmarks/mcp_startup.py [--runs 10]
Each run spawns the server on a fresh data directory, writes the JSON-RPC `initialize` request on its
stdin and times the first line on its stdout (the response), so only the server is measured, not a
client library. The baseline, measured in the same run the same way, is a minimal `MCPServer` with no
tools: the SDK's own import and handshake. Claude Desktop's budget (issue 6) is 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.5
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}},
}
MINIMAL = "from mcp.server.mcpserver import MCPServer; MCPServer('minimal').run()"


def time_to_initialize(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps(INITIALIZE).encode() + b"\n")
    proc.stdin.flush()
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.stdin.close()
    proc.wait(timeout=30)
    if json.loads(line).get("id") != 1:
        raise RuntimeError(f"unexpected first line from {cmd}: {line[:200]!r}")
    return elapsed


def measure(cases: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Each case once per round, alternating, so a busy machine slows every case alike."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TURNOVER_")}
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, cmd in cases.items():
            with tempfile.TemporaryDirectory() as data_dir:
                times[name].append(time_to_initialize(cmd, clean | {"TURNOVER_DATA_DIR": data_dir}))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    cases = {
        "minimal MCPServer (baseline)": [sys.executable, "-c", MINIMAL],
        "turnover mcp": [str(Path(sys.executable).parent / "turnover"), "mcp"],
    }
    results = measure(cases, runs)
    floor = statistics.median(results["minimal MCPServer (baseline)"])
    print(f"time from spawn to the initialize response, {runs} runs each; target {TARGET:.1f} s")
    for name, times in results.items():
        median, worst = statistics.median(times), max(times)
        verdict = "within" if median <= TARGET else "OVER"
        print(
            f"{name:30} median {median * 1000:6.0f} ms  worst {worst * 1000:6.0f} ms  "
            f"{median / floor:4.2f}x baseline  {verdict} target"
        )


if __name__ == "__main__":
    main()
