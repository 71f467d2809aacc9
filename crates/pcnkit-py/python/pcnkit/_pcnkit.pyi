# Type stubs of the native module (checked against it by `mypy.stubtest` in scripts/test).
import datetime
import os
import decimal
from typing import Any, final

import pyarrow as pa

__version__: str
__all__ = [
    "PcnkitError",
    "InvalidCode",
    "DataError",
    "InvalidArgument",
    "__version__",
    "stats_proportion",
    "stats_rate",
    "stats_mean",
    "stats_dsr",
    "stats_isr",
    "stats_quantile",
    "stats_sii",
    "stats_funnel",
    "stats_life_expectancy",
    "stats_sum_by",
    "stats_funnel_points",
    "org_snapshot",
    "org_list_sizes",
    "org_parse_code",
    "arrs_sum",
    "arrs_entitlement",
    "arrs_summary",
    "arrs_claims",
    "arrs_explain",
    "arrs_figures",
    "arrs_plan",
    "org_weighted",
    "assets_read_hsds",
    "profile_make",
    "plan_leads",
    "plan_workforce",
    "stats_defaults",
    "stats_disclose",
    "stats_benchmark",
    "stats_spc",
    "stats_trend",
    "stats_attach_standard",
    "org_read",
    "Registry",
    "Register",
    "demo_tables",
    "demo_default_seed",
    "_panic_for_tests",
]

class PcnkitError(Exception): ...
class InvalidCode(PcnkitError): ...
class InvalidArgument(PcnkitError): ...

class DataError(PcnkitError):
    file: str | None
    row: int | None
    field: str | None

def stats_proportion(
    data: Any,
    numerator: str,
    denominator: str,
    group_by: list[str],
    confidence: list[float],
    multiplier: float | None,
    output_type: str | None = None,
) -> pa.Table: ...
def stats_rate(
    data: Any,
    numerator: str,
    denominator: str,
    group_by: list[str],
    confidence: list[float],
    multiplier: float | None,
    output_type: str | None = None,
    frequency: str | None = None,
) -> pa.Table: ...
def stats_mean(
    data: Any,
    value: str,
    group_by: list[str],
    confidence: list[float],
    output_type: str | None = None,
) -> pa.Table: ...
def stats_dsr(
    data: Any,
    count: str,
    denominator: str,
    age_band: str | None,
    group_by: list[str],
    standard_population: str | None,
    confidence: list[float],
    multiplier: float | None,
    frequency: str | None,
    repeated_bands: str | None = None,
    output_type: str | None = None,
) -> pa.Table: ...
def stats_isr(
    data: Any,
    count: str,
    denominator: str,
    reference_count: str,
    reference_denominator: str,
    group_by: list[str],
    confidence: list[float],
    rate: bool,
    scale: float | None,
    totals: Any = None,
    output_type: str | None = None,
) -> pa.Table: ...
def stats_quantile(
    data: Any,
    value: str,
    group_by: list[str],
    nquantiles: int | None = None,
    invert: bool | None = None,
) -> pa.Table: ...
def stats_sii(
    data: Any,
    quantile: str,
    population: str,
    value: str,
    se: str | None,
    lower: str | None,
    upper: str | None,
    group_by: list[str],
    confidence: list[float],
    value_type: str,
    transform: bool,
    multiplier: float | None,
    repetitions: int | None,
    seed: int | None,
    count: str | None = None,
    reliability: bool = False,
    output_type: str | None = None,
) -> pa.Table: ...
def stats_funnel(
    data: Any,
    numerator: str,
    denominator: str | None,
    rate: str | None,
    statistic: str,
    multiplier: float | None,
    ratio_type: str | None,
    rate_type: str | None,
    significance: bool,
    overdispersion: str | None = None,
) -> pa.Table: ...
def stats_life_expectancy(
    data: Any,
    deaths: str,
    population: str,
    start_age: str,
    group_by: list[str],
    confidence: list[float],
    ages: list[int] | None = None,
    output_type: str | None = None,
    top_age: int | None = None,
) -> pa.Table: ...
def stats_funnel_points(
    data: Any,
    numerator: str,
    denominator: str | None,
    rate: str,
    rate_type: str | None,
    multiplier: float | None,
    years_of_data: float | None,
) -> pa.Table: ...
def stats_defaults() -> tuple[float, str, str, str, float]: ...
def stats_benchmark(
    data: Any,
    value: str,
    lower: str,
    upper: str,
    polarity: str,
    comparator: tuple[
        str, str | None, str | None, float | None, float | None, float | None, bool
    ],
    group_by: list[str],
    quintiles: bool,
) -> pa.Table: ...
def stats_spc(
    data: Any,
    value: str,
    period: str,
    group_by: list[str],
    direction: str | None,
    target: float | None,
    run: int | None,
    trend: int | None,
    rebase: list[str],
    baseline: int | None,
    refuse_missing: bool,
    summary: bool,
) -> pa.Table: ...
def stats_trend(
    data: Any,
    year: str,
    proportion: tuple[str, str] | None,
    interval: tuple[str, str, str] | None,
    confidence: float | None,
    polarity: str | None,
    group_by: list[str],
) -> pa.Table: ...
def stats_attach_standard(data: Any, age_band: str, name: str, column: str) -> pa.Table: ...
def stats_disclose(
    data: Any,
    policy: str,
    counts: list[str],
    margins: list[list[str]],
    total_rows: tuple[str, str, list[str]] | None,
    national: tuple[str, str] | None,
    percentages: list[tuple[str, str, str, float]],
    standardised: list[str],
    derived: list[str],
) -> pa.Table: ...
def stats_sum_by(data: Any, keys: list[str], values: list[str]) -> pa.Table: ...
def org_snapshot(
    practice_map: str, date: datetime.date | None, lists: str | None
) -> pa.Table: ...
def org_list_sizes(path: str) -> pa.Table: ...
def org_parse_code(kind: str, value: str) -> str: ...
def org_weighted(path: str, practice_map: str) -> tuple[pa.Table, list[str]]: ...
def arrs_sum(year_text: str, weighted: decimal.Decimal) -> decimal.Decimal | None: ...
def arrs_entitlement(
    year_text: str,
    weighted: decimal.Decimal,
    registered: decimal.Decimal | None,
    adjusted: decimal.Decimal | None,
) -> pa.Table: ...
def arrs_summary(staff: Any, weighted: Any, year_text: str) -> tuple[pa.Table, pa.Table]: ...
def arrs_claims(
    staff: Any,
    pcn: str,
    year_text: str,
    weighted: decimal.Decimal | None,
    lines: bool,
) -> pa.Table: ...
def arrs_figures(year_text: str, local_variation: tuple[str, str] | None = None) -> pa.Table: ...
def arrs_explain(
    staff: Any,
    pcn: str,
    year_text: str,
    weighted: decimal.Decimal | None,
    staff_id: str,
    month: str,
) -> pa.Table: ...
def arrs_plan(
    staff: Any,
    pcn: str,
    year_text: str,
    weighted: decimal.Decimal | None,
    role: str,
    cost: decimal.Decimal,
) -> pa.Table: ...
def assets_read_hsds(
    text: str, source_name: str, default_kind: str | None, feed: str
) -> tuple[pa.Table, list[str]]: ...
def profile_make(
    files: dict[str, str] | None,
    icb: str | None,
    year: str | None,
    accept_errors: bool,
    seed: int | None,
    disclosure: str | None = None,
    activity_target: float | None = None,
    plans: dict[str, str] | None = None,
) -> tuple[list[tuple[str, pa.Table]], str, datetime.date, int | None, str | None]: ...
def plan_leads(
    files: dict[str, str] | None,
    icb: str | None,
    accept_errors: bool,
    adjacency: list[tuple[str, str]] | None,
    objective: str,
    leads: int | None,
    max_pcns: int | None,
    max_population: int | None,
    check: list[tuple[str, list[str]]] | None,
) -> tuple[pa.Table | None, pa.Table]: ...
def plan_workforce(
    files: dict[str, str] | None,
    icb: str | None,
    accept_errors: bool,
    plan: str,
    words: dict[str, str],
    walking_metres: float | None,
) -> tuple[list[tuple[str, pa.Table]], pa.Table]: ...
def org_read(kind: str, path: str) -> tuple[pa.Table, pa.Table]: ...

@final
class Registry:
    @staticmethod
    def from_files(
        practice_map: str | os.PathLike[str],
        lists: str | os.PathLike[str] | None = None,
        practice_lsoa: str | os.PathLike[str] | None = None,
    ) -> Registry: ...
    @staticmethod
    def demo(seed: int | None = None) -> Registry: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def notes(self) -> list[str]: ...
    def pcn_of(self, practice: str, date: datetime.date | None = None) -> str | None: ...
    def members(self, pcn: str, date: datetime.date | None = None) -> list[str]: ...
    def population(self, pcn: str, date: datetime.date | None = None) -> int | None: ...
    def rollup(self, level: str, date: datetime.date | None = None) -> pa.Table: ...
    def snapshot(self, date: datetime.date | None = None) -> pa.Table: ...
    def memberships(self) -> pa.Table: ...
    def practices(self) -> pa.Table: ...
    def pcns(self) -> pa.Table: ...
    def validate(self, date: datetime.date | None = None) -> pa.Table: ...
    def deprivation(
        self,
        practice_lsoa: str | os.PathLike[str],
        lsoas: str | os.PathLike[str],
        date: datetime.date | None = None,
        within: str | None = None,
    ) -> pa.Table: ...

@final
class Register:
    @staticmethod
    def read(
        hsds: str | os.PathLike[str] | None = None,
        oruk_v1: str | os.PathLike[str] | None = None,
        csv: str | os.PathLike[str] | None = None,
        feed: str | None = None,
        default_kind: str | None = None,
        accept_errors: bool = False,
    ) -> Register: ...
    @staticmethod
    def demo(seed: int | None = None) -> Register: ...
    def __len__(self) -> int: ...
    def table(self) -> pa.Table: ...
    def findings(self) -> pa.Table: ...
    def nearest(
        self,
        latitude: float,
        longitude: float,
        limit: int | None = None,
        kind: str | None = None,
        need: str | None = None,
        age: int | None = None,
        open_at: datetime.datetime | None = None,
    ) -> pa.Table: ...
    def within(
        self,
        latitude: float,
        longitude: float,
        metres: float,
        kind: str | None = None,
        need: str | None = None,
        age: int | None = None,
        open_at: datetime.datetime | None = None,
    ) -> pa.Table: ...
    def coverage(self, registry: Registry, icb: str | None = None) -> pa.Table: ...
    def export_hsds(self) -> str: ...

def demo_tables(seed: int) -> list[tuple[str, pa.Table]]: ...
def demo_default_seed() -> int: ...
def _panic_for_tests() -> None: ...
