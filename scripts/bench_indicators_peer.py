"""Times phstatsmethods on the same input as pcnkit (same run) and compares the results.

Usage: python3 scripts/bench_indicators_peer.py DIR   (DIR written by the indicators_peer example)
"""
import contextlib
import io
import sys
import time

import numpy as np
import pandas as pd
from PHStatsMethods import ph_dsr, ph_ISRate, ph_ISRatio, ph_mean, ph_proportion, ph_quantile, ph_rate


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
    mean = timed("mean", lambda: ph_mean(df, "count", "area", confidence=levels))
    isratio = timed("isratio", lambda: ph_ISRatio(df, "count", "population", "ref_count", "ref_population", group_cols="area", confidence=levels))
    israte = timed("israte", lambda: ph_ISRate(df, "count", "population", "ref_count", "ref_population", group_cols="area", confidence=levels))
    quant = timed("quantile", lambda: ph_quantile(df, "count", group_cols="area", nquantiles=5, invert=True))
    cols = [("value", "Value"), ("lower95_0cl", "lower_95_ci"), ("upper95_0cl", "upper_95_ci"), ("lower99_8cl", "lower_99_8_ci"), ("upper99_8cl", "upper_99_8_ci")]
    worst = 0.0
    ours_q = pd.read_csv(f"{d}/pcnkit_quantile.csv")
    same = (ours_q["quantile"].to_numpy(dtype=float) == quant["quantile"].to_numpy(dtype=float)).all()
    print(f"  quantile: {len(ours_q)} rows, identical to phstatsmethods: {same}")
    if not same:
        worst = 1.0
    for name, theirs in [("dsr", dsr), ("rate", rate), ("proportion", prop), ("mean", mean), ("isratio", isratio), ("israte", israte)]:
        ours = pd.read_csv(f"{d}/pcnkit_{name}.csv").set_index("area").loc[theirs["area"]].reset_index()
        worst = max(worst, compare(name, ours, theirs.reset_index(drop=True), cols))
    sys.exit(0 if worst < 1e-9 else 1)


if __name__ == "__main__":
    main(sys.argv[1])
