#!/usr/bin/env python3
"""pandas side of bench/aggregate.ts: times resample(rule, label='left', closed='left').agg(OHLCV).dropna().

Usage: pandas-resample.py DATA_DIR FILE_REGEX
Loads the kline files (not timed), prints {"rows": N, "pandas": version}, then for each rule read
from stdin times one resample and prints {"rule", "ms", "cpu_ms", "periods"} (wall and
process CPU time); the benchmark alternates these
runs with its own so that both see the same machine load. A line "values RULE" answers
{"rule", "candles": [[time_s, open, high, low, close, volume], ...]} for the exactness check. Volumes are summed as floats and rounded
to 8 decimals (timed: the rounding is part of matching the exact decimal sums).
"""
import json
import os
import re
import sys
import time

import pandas as pd

AGG = {"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"}


def load(data_dir: str, pattern: str) -> pd.DataFrame:
    frames = []
    for name in sorted(os.listdir(data_dir)):
        if re.search(pattern, name):
            df = pd.read_csv(os.path.join(data_dir, name), header=None, usecols=range(6),
                             names=["t", *AGG], dtype=str)
            frames.append(df[df.t.str.isdigit()])
    df = pd.concat(frames)
    t = df.t.astype("int64")
    t = t.where(t < 10**15, t // 1000)  # microsecond dumps -> ms
    frame = df[list(AGG)].apply(lambda col: col.map(float))  # correctly rounded, like Number()
    frame.index = pd.to_datetime(t, unit="ms", utc=True)
    return frame.sort_index()


def main() -> None:
    data_dir, pattern = sys.argv[1:3]
    frame = load(data_dir, pattern)
    print(json.dumps({"rows": len(frame), "pandas": pd.__version__}), flush=True)
    for line in sys.stdin:
        rule = line.strip()
        if rule.startswith("values "):
            out = frame.resample(rule[7:], label="left", closed="left").agg(AGG).dropna()
            out["volume"] = out["volume"].round(8)
            times = (out.index.view("int64") // 10**9).tolist()
            rows = [[t, *map(float, r)] for t, r in zip(times, out.itertuples(index=False))]
            print(json.dumps({"rule": rule[7:], "candles": rows}), flush=True)
            continue
        t0, c0 = time.perf_counter(), time.process_time()
        out = frame.resample(rule, label="left", closed="left").agg(AGG).dropna()
        out["volume"] = out["volume"].round(8)
        ms, cpu_ms = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        print(json.dumps({"rule": rule, "ms": ms, "cpu_ms": cpu_ms, "periods": len(out)}), flush=True)


if __name__ == "__main__":
    main()
