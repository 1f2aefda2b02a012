"""Reading a model's columns from CSV: types as R's read.csv gives them, clear errors."""

import numpy as np
import pytest

from netlearn.analytics.design import Factor
from netlearn.analytics.errors import DataError, InputFileError
from netlearn.analytics.table import read_columns


def write(tmp_path, text: str, name="data.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_numbers_are_floats_with_nan_for_missing_and_text_is_coded(tmp_path):
    path = write(tmp_path, "score,prior,sex,school\n1.5,3,F,007\nNA,,M,12\n2,4,,007\n")
    columns = read_columns(path, ["score", "prior", "sex", "school"], factors=["school"])
    np.testing.assert_array_equal(columns["score"], [1.5, np.nan, 2.0])
    np.testing.assert_array_equal(columns["prior"], [3.0, np.nan, 4.0])
    sex = columns["sex"]
    assert isinstance(sex, Factor)
    assert [sex.levels[c] if c >= 0 else None for c in sex.codes] == ["F", "M", None]
    school = columns["school"]
    # Grouping columns are ids as written: "007" is not the number 7.
    assert [school.levels[c] for c in school.codes] == ["007", "12", "007"]


def test_a_byte_order_mark_and_quoted_fields_are_read(tmp_path):
    path = write(tmp_path, '\ufeff"score","school"\n"1","a, b"\n2,c\n')
    columns = read_columns(path, ["score", "school"], factors=["school"])
    assert columns["score"].tolist() == [1.0, 2.0]
    assert [columns["school"].levels[c] for c in columns["school"].codes] == ["a, b", "c"]


def test_dates_and_booleans_are_labels(tmp_path):
    path = write(tmp_path, "y,day,flag\n1,2024-01-01,true\n2,2024-02-01,false\n")
    columns = read_columns(path, ["y", "day", "flag"])
    assert isinstance(columns["day"], Factor) and isinstance(columns["flag"], Factor)
    assert sorted(columns["flag"].levels) == ["false", "true"]


def test_a_missing_column_is_named_with_the_columns_there_are(tmp_path):
    path = write(tmp_path, "score,school\n1,a\n")
    with pytest.raises(DataError) as raised:
        read_columns(path, ["score", "gcsescore"])
    assert str(raised.value) == (
        f"column 'gcsescore' not found in {path}; columns are: score, school"
    )


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "is empty"),
        ("\n\n", "is empty"),
        (
            "a,b\n1,2\n3\n",
            "is not a well-formed CSV file: line 3 has 1 field where the header has 2",
        ),
        ("a,a\n1,2\n", "more than one column named 'a'"),
    ],
)
def test_malformed_files_are_refused(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(InputFileError, match=message):
        read_columns(path, ["a", "b"] if "b" in content else ["a"])


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = write(tmp_path, "nom,école\n1,a\n", encoding="latin-1")
    with pytest.raises(InputFileError, match="not UTF-8"):
        read_columns(path, ["nom"])


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(InputFileError, match="does not exist"):
        read_columns(tmp_path / "nope.csv", ["a"])
    with pytest.raises(InputFileError, match="is a folder"):
        read_columns(tmp_path, ["a"])


def test_a_large_file_read_in_blocks_keeps_one_set_of_levels(tmp_path):
    """pyarrow reads big files in parallel blocks, each with its own dictionary of labels."""
    rows = 200_000
    school = np.arange(rows) % 997
    text = "y,school\n" + "".join(f"{i % 13},S{s}\n" for i, s in enumerate(school))
    path = write(tmp_path, text)
    columns = read_columns(path, ["y", "school"], factors=["school"])
    labels = np.asarray(columns["school"].levels)[columns["school"].codes]
    assert (labels == np.char.add("S", school.astype(str))).all()
    assert columns["y"][12345] == 12345 % 13
