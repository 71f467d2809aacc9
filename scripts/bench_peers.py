"""Times pandas on the same national registered-patients file pcnkit imports, in the same run.

Usage: python3 scripts/bench_peers.py FILE
The pandas side does the equivalent work: parse the CSV with typed columns, then total patients
per (practice, extract date) and keep the age/sex cells, as pcnkit's ListSizes does.
"""
import sys
import time

import pandas as pd


def main(path: str) -> None:
    start = time.perf_counter()
    df = pd.read_csv(
        path,
        dtype={"ORG_TYPE": "category", "ORG_CODE": "string", "SEX": "category", "AGE_GROUP_5": "category", "NUMBER_OF_PATIENTS": "int64"},
        parse_dates=["EXTRACT_DATE"],
    )
    totals = df.groupby(["ORG_CODE", "EXTRACT_DATE"], observed=True)["NUMBER_OF_PATIENTS"].sum()
    elapsed = time.perf_counter() - start
    print(f"pandas {pd.__version__}: {len(df)} rows, {len(totals)} practice-extract lists, {elapsed:.3f} s")


if __name__ == "__main__":
    main(sys.argv[1])
