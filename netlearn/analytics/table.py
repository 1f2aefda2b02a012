"""Reads the columns a model needs from a CSV file, fast: pyarrow's multithreaded reader.

R's `read.csv` conventions where they matter to a fit: a column of numbers is numeric, anything
else is text (a factor); "", "NA", "NaN", "NULL" and the like are missing. Grouping columns are
always read as text, so a school id is the id as written ("007" stays "007"), and text columns
arrive coded (`design.Factor`) without a Python string per row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from netlearn.analytics.design import Factor
from netlearn.analytics.errors import DataError, InputFileError

_TEXT = pa.dictionary(pa.int32(), pa.string())
# pyarrow's default spellings of a missing value, which include R's "NA" and the empty cell.
_MISSING = [
    "",
    "#N/A",
    "#N/A N/A",
    "#NA",
    "-1.#IND",
    "-1.#QNAN",
    "-NaN",
    "-nan",
    "1.#IND",
    "1.#QNAN",
    "N/A",
    "NA",
    "NULL",
    "NaN",
    "n/a",
    "nan",
    "null",
]


def read_columns(
    path: str | Path, columns: Sequence[str], *, factors: Collection[str] = ()
) -> dict[str, np.ndarray | Factor]:
    """The named columns of a CSV file with a header line: float arrays (NaN missing) for
    columns of numbers, `Factor`s for text and for every column named in `factors`."""
    path = Path(path)
    header = _header(path)
    missing = [name for name in columns if name not in header]
    if missing:
        raise DataError(
            f"column '{missing[0]}' not found in {path}; columns are: " + ", ".join(header),
            column=missing[0],
        )
    doubled = sorted({name for name in columns if header.count(name) > 1})
    if doubled:
        raise InputFileError(f"{path} has more than one column named '{doubled[0]}'")
    wanted = list(dict.fromkeys(columns))
    text = set(factors)
    table = _read(path, wanted, text)
    # Dates, booleans and the like are labels to a model: read those columns again as text.
    other = [
        name
        for name in wanted
        if not _is_number(table.column(name).type) and table.column(name).type != _TEXT
    ]
    if other:
        table = _read(path, wanted, text | set(other))
    result: dict[str, np.ndarray | Factor] = {}
    for name in wanted:
        column = table.column(name)
        if column.type == _TEXT:
            result[name] = _factor(column)
        else:
            result[name] = _numbers(column)
    return result


def _header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            row = next(csv.reader(file), None)
    except FileNotFoundError:
        raise InputFileError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise InputFileError(f"{path} is a folder, not a CSV file") from None
    except PermissionError:
        raise InputFileError(f"{path} cannot be read (permission denied)") from None
    except UnicodeDecodeError:
        raise InputFileError(f"{path} is not UTF-8 text; save it as CSV (UTF-8)") from None
    except csv.Error as error:
        raise InputFileError(f"{path} is not a readable CSV file: {error}") from None
    if not row or not any(cell.strip() for cell in row):
        raise InputFileError(f"{path} is empty: it needs a header line naming the columns")
    return row


def _read(path: Path, columns: list[str], text: set[str]) -> pa.Table:
    options = pa_csv.ConvertOptions(
        include_columns=columns,
        column_types={name: _TEXT for name in columns if name in text},
        null_values=_MISSING,
        strings_can_be_null=True,
        auto_dict_encode=True,
        auto_dict_max_cardinality=2**31 - 1,
    )
    try:
        return pa_csv.read_csv(path, convert_options=options)
    except pa.ArrowInvalid as error:
        where = _ragged_line(path) if "Expected" in str(error) else None
        detail = where or _first_line(error)
        raise InputFileError(f"{path} is not a well-formed CSV file: {detail}") from None
    except OSError as error:
        raise InputFileError(f"{path} cannot be read: {_first_line(error)}") from None


def _ragged_line(path: Path) -> str | None:
    """Where a row's number of fields first differs from the header's (pyarrow does not say)."""
    try:
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as file:
            reader = csv.reader(file)
            width = len(next(reader))
            for row in reader:
                if row and len(row) != width:
                    fields = f"{len(row)} field" + ("" if len(row) == 1 else "s")
                    return f"line {reader.line_num} has {fields} where the header has {width}"
    except csv.Error:
        return None
    return None


def _first_line(error: Exception) -> str:
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    # pyarrow says "CSV parse error: Expected 7 columns, got 6: <the row>"; keep it short.
    return re.sub(r"(got \d+): .*", r"\1", message)[:300]


def _is_number(kind: pa.DataType) -> bool:
    return pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_null(kind)


def _factor(column: pa.ChunkedArray) -> Factor:
    """Codes and levels of a dictionary column, the chunks' dictionaries made one."""
    chunks = column.unify_dictionaries().chunks if column.num_chunks > 1 else column.chunks
    levels = tuple(chunks[0].dictionary.to_pylist()) if chunks else ()
    codes = np.empty(len(column), dtype=np.int64)
    start = 0
    for chunk in chunks:
        _fill(codes[start : start + len(chunk)], chunk.indices, missing=-1)
        start += len(chunk)
    return Factor(codes=codes, levels=levels)


def _numbers(column: pa.ChunkedArray) -> np.ndarray:
    values = np.empty(len(column), dtype=np.float64)
    start = 0
    for chunk in column.chunks:
        if pa.types.is_null(chunk.type):
            values[start : start + len(chunk)] = np.nan
        else:
            _fill(values[start : start + len(chunk)], chunk, missing=np.nan)
        start += len(chunk)
    return values


def _fill(target: np.ndarray, chunk: pa.Array, *, missing) -> None:
    """Copies a primitive Arrow array into `target`, converting as it goes, `missing` where null.

    Straight from the buffers: Arrow's own to_numpy() imports pandas (0.2 s) on its way.
    """
    kind = chunk.type
    if pa.types.is_floating(kind):
        dtype = np.dtype(f"f{kind.bit_width // 8}")
    else:
        signed = "i" if pa.types.is_signed_integer(kind) else "u"
        dtype = np.dtype(f"{signed}{kind.bit_width // 8}")
    validity, data = chunk.buffers()[:2]
    count = len(chunk)
    target[:] = np.frombuffer(data, dtype=dtype, count=chunk.offset + count)[chunk.offset :]
    if chunk.null_count:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        target[bits[chunk.offset : chunk.offset + count] == 0] = missing
