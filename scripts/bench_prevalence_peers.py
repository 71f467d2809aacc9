"""Prevalence by PCN and deprivation quintile: DuckDB and polars on the same Parquet file the
pcnkit example reads (scripts/bench-peers runs both). Timed: the join to the practice -> PCN
lookup and the aggregation, best of 5, data already in memory."""
import sys
import time

import duckdb
import polars as pl

path = sys.argv[1]
persons = f"{path}/persons.parquet"
lookup = f"{path}/lookup.csv"

con = duckdb.connect()
con.execute(f"CREATE TABLE persons AS SELECT * FROM '{persons}'")
con.execute(f"CREATE TABLE lookup AS SELECT * FROM read_csv('{lookup}')")
rows = con.execute("SELECT count(*) FROM persons").fetchone()[0]
query = """
SELECT l.pcn, (p.imd_decile + 1) // 2 AS quintile, count(*) AS persons,
       sum(p.diabetes::INT) AS cases
FROM persons p JOIN lookup l ON p.practice = l.practice
GROUP BY ALL
"""
best = float("inf")
for _ in range(5):
    t = time.perf_counter()
    out = con.execute(query).fetchall()  # about 6,500 result rows
    best = min(best, time.perf_counter() - t)
cases = sum(row[3] for row in out)
print(f"duckdb    prevalence by PCN x quintile, {rows} rows: {best:.3f} s (cases {cases})")

df = pl.read_parquet(persons)
# Join on the categorical practice column as read (casting 60M rows to strings first would
# be unfair to polars).
lk = pl.read_csv(lookup).with_columns(pl.col("practice").cast(df.schema["practice"]))
best = float("inf")
for _ in range(5):
    t = time.perf_counter()
    out = (
        df.join(lk, on="practice")
        .group_by("pcn", ((pl.col("imd_decile") + 1) // 2).alias("quintile"))
        .agg(pl.len().alias("persons"), pl.col("diabetes").sum().alias("cases"))
    )
    best = min(best, time.perf_counter() - t)
print(f"polars    prevalence by PCN x quintile, {rows} rows: {best:.3f} s (cases {out['cases'].sum()})")
