"""Shared fixtures: the demo ICS tables and the real NHS files (PCNKIT_DATA_DIR)."""

from __future__ import annotations

import os
import pathlib

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import pcnkit


@pytest.fixture(scope="session")
def diabetes() -> pa.Table:
    """Demo diabetes register counts by practice, PCN, age band and sex."""
    counts = pcnkit.demo.table("counts")
    return counts.filter(pc.equal(counts["measure"], "diabetes"))


@pytest.fixture(scope="session")
def data_dir() -> pathlib.Path:
    d = os.environ.get("PCNKIT_DATA_DIR")
    if not d or not pathlib.Path(d).is_dir():
        pytest.skip("PCNKIT_DATA_DIR is not set: the tests on real NHS files are skipped")
    return pathlib.Path(d)
