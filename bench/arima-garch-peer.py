#!/usr/bin/env python3
"""Peer timings for bench/arima-garch.ts: statsmodels ARIMA and the scipy GARCH MLE on the same series.

Usage: arima-garch-peer.py INPUT_JSON RUNS GRID_RUNS
INPUT_JSON: {"y": [log closes], "orders": [[p, d, q], ...], "returns": [percent log returns],
             "grid_y": [log closes, one year], "grid": [[p, d, q], ...]}
Prints one JSON object. Only the fit is timed (model construction and data loading are not):
statsmodels `ARIMA(y, order, trend).fit()` as users call it, and with cov_type="none" (the
optimisation alone, no parameter covariance); the GARCH MLE of test/fixtures/models/garch_scipy.py
from one start (alpha 0.05, beta 0.90).
"""
import json
import os
import sys
import time
import warnings

import numpy as np
from statsmodels.tsa.arima.model import ARIMA

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "fixtures", "models"))
import garch_scipy  # noqa: E402

warnings.simplefilter("ignore")


def timed(fn, runs):
    ms, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        ms.append((time.perf_counter() - t) * 1000)
    return ms, out


def arima_fit(y, order, **kw):
    model = ARIMA(y, order=order, trend="c" if order[1] == 0 else "t")
    return lambda: model.fit(**kw)


def main():
    data = json.load(open(sys.argv[1]))
    runs, grid_runs = int(sys.argv[2]), int(sys.argv[3])
    y = np.array(data["y"])
    out = {"arima": {}, "grid": None}
    for order in data["orders"]:
        key = ",".join(map(str, order))
        ms_default, res_default = timed(arima_fit(y, tuple(order)), runs)
        ms_nocov, res_nocov = timed(arima_fit(y, tuple(order), cov_type="none"), runs)
        out["arima"][key] = {"default_ms": ms_default, "nocov_ms": ms_nocov,
                             "llf_default": float(res_default.llf), "llf_nocov": float(res_nocov.llf)}
    r = np.array(data["returns"])
    ms, g = timed(lambda: garch_scipy.fit(r, starts=[(0.05, 0.90)]), runs)
    out["garch"] = {"ms": ms, "log_likelihood": g["log_likelihood"]}
    if grid_runs > 0:
        gy = np.array(data["grid_y"])

        def grid():
            fits = [(o, arima_fit(gy, tuple(o), cov_type="none")()) for o in data["grid"]]
            return [{"order": o, "aic": float(f.aic), "llf": float(f.llf)} for o, f in fits]

        ms, table = timed(grid, grid_runs)
        out["grid"] = {"ms": ms, "table": table}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
