"""pcnkit.stats (from Python) against phstatsmethods on the same inputs, in the same run.

Usage: python scripts/bench_py_peer.py DIR [--repeat N]
  DIR: written by `cargo run --release -p pcnkit-benches --example indicators_peer -- DIR`
       (10,000 areas x 19 age bands, fixed seed).

Both sides start from the same pandas DataFrame and finish with their own result table:
pcnkit's time includes the pandas -> Arrow hand-over and building the pyarrow result. Results
are compared (largest relative difference; the run fails above 1e-9). Prints one line per
method with both times and the ratio. Not a test: timings go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import pcnkit
from PHStatsMethods import ph_dsr, ph_proportion, ph_rate

LEVELS = [0.95, 0.998]
PAIRS = [("value", "Value"), ("lower95_0cl", "lower_95_ci"), ("upper95_0cl", "upper_95_ci"),
         ("lower99_8cl", "lower_99_8_ci"), ("upper99_8cl", "upper_99_8_ci")]


def best(f: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # ph_dsr prints its join table
            out = f()
        times.append(time.perf_counter() - start)
    return min(times), out


def worst_difference(ours: pd.DataFrame, theirs: pd.DataFrame) -> float:
    ours = ours.set_index("area").loc[theirs["area"]].reset_index()
    worst = 0.0
    for a, b in PAIRS:
        x, y = ours[a].to_numpy(dtype=float), theirs[b].to_numpy(dtype=float)
        if not (np.isnan(x) == np.isnan(y)).all():
            return float("inf")
        both = ~np.isnan(x)
        rel = np.abs(x[both] - y[both]) / np.maximum(np.abs(y[both]), 1e-300)
        worst = max(worst, float(rel.max(initial=0.0)))
    return worst


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--peer-repeat", type=int, default=1)
    args = parser.parse_args()
    df = pd.read_csv(f"{args.dir}/input.csv")
    per_area = df.groupby("area", sort=False, as_index=False)[["count", "population"]].sum()
    cases = [
        ("dsr", df,
         lambda: pcnkit.stats.dsr(df, "count", "population", "age_band", group_by="area",
                                  confidence=LEVELS),
         lambda: ph_dsr(df, "count", "population", "age_band", group_cols="area",
                        confidence=LEVELS, euro_standard_pops=True)),
        ("rate", per_area,
         lambda: pcnkit.stats.rate(per_area, "count", "population", group_by="area",
                                   confidence=LEVELS),
         lambda: ph_rate(per_area, "count", "population", group_cols="area", confidence=LEVELS)),
        ("proportion", per_area,
         lambda: pcnkit.stats.proportion(per_area, "count", "population", group_by="area",
                                         confidence=LEVELS, multiplier=100),
         lambda: ph_proportion(per_area, "count", "population", group_cols="area",
                               confidence=LEVELS, multiplier=100)),
    ]
    print(f"{len(df):,} input rows, {df['area'].nunique():,} areas; pandas {pd.__version__}, "
          f"pcnkit {pcnkit.__version__}; best of {args.repeat} (pcnkit), "
          f"{args.peer_repeat} (phstatsmethods)")
    failed = False
    for name, _, ours_f, theirs_f in cases:
        t_ours, ours = best(ours_f, args.repeat)
        t_theirs, theirs = best(theirs_f, args.peer_repeat)
        diff = worst_difference(ours.to_pandas(), theirs.reset_index(drop=True))
        failed |= not diff < 1e-9
        print(f"{name:>10}: pcnkit.stats {t_ours * 1000:8.2f} ms   phstatsmethods "
              f"{t_theirs * 1000:9.1f} ms   {t_theirs / t_ours:7.0f}x   "
              f"largest relative difference {diff:.1e}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
