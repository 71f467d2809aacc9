"""The example notebook runs end to end (every cell, no error)."""

from __future__ import annotations

import pathlib

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = (
    pathlib.Path(__file__).resolve().parents[3]
    / "examples" / "notebooks" / "population-health.ipynb"
)


def test_population_health_notebook_executes() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3
    text = "".join(o.get("text", "") for o in outputs)
    assert "gap Q1 - Q5:" in text
    assert "slope index of inequality:" in text
    assert "special cause in the latest month: 2 PCNs" in text
