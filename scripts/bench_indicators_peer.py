"""Times phstatsmethods on the same input as pcnkit (same run) and compares the results.

Usage: python3 scripts/bench_indicators_peer.py DIR   (DIR written by the indicators_peer example)
"""
import contextlib
import io
import sys
import time

import numpy as np
import pandas as pd
from PHStatsMethods import ph_dsr, ph_proportion, ph_rate


def timed(name, f):
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # ph_dsr prints its join table
        out = f()
    print(f"phstatsmethods {name}: {len(out)} groups, {time.perf_counter() - start:.4f} s")
    return out


def compare(name, ours, theirs, pairs):
    worst = 0.0
    for a, b in pairs:
        x = ours[a].to_numpy(dtype=float)
        y = theirs[b].to_numpy(dtype=float)
        both = ~np.isnan(x) & ~np.isnan(y)
        assert (np.isnan(x) == np.isnan(y)).all(), f"{name} {a}: null pattern differs"
        rel = np.abs(x[both] - y[both]) / np.maximum(np.abs(y[both]), 1e-300)
        worst = max(worst, rel.max(initial=0.0))
    print(f"  {name}: largest relative difference from phstatsmethods {worst:.2e}")
    return worst


def main(d):
    df = pd.read_csv(f"{d}/input.csv")
    levels = [0.95, 0.998]
    dsr = timed("dsr", lambda: ph_dsr(df, "count", "population", "age_band", group_cols="area", confidence=levels, euro_standard_pops=True))
    rate = timed("rate", lambda: ph_rate(df.groupby("area", sort=False, as_index=False)[["count", "population"]].sum(), "count", "population", group_cols="area", confidence=levels))
    prop = timed("proportion", lambda: ph_proportion(df.groupby("area", sort=False, as_index=False)[["count", "population"]].sum(), "count", "population", group_cols="area", confidence=levels, multiplier=100))
    cols = [("value", "Value"), ("lower95_0cl", "lower_95_ci"), ("upper95_0cl", "upper_95_ci"), ("lower99_8cl", "lower_99_8_ci"), ("upper99_8cl", "upper_99_8_ci")]
    worst = 0.0
    for name, theirs in [("dsr", dsr), ("rate", rate), ("proportion", prop)]:
        ours = pd.read_csv(f"{d}/pcnkit_{name}.csv").set_index("area").loc[theirs["area"]].reset_index()
        worst = max(worst, compare(name, ours, theirs.reset_index(drop=True), cols))
    sys.exit(0 if worst < 1e-9 else 1)


if __name__ == "__main__":
    main(sys.argv[1])
