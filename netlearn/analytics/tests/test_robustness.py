"""Whatever the file or the columns hold, `netlearn impact fit` answers with a fit or an
AnalyticsError (a one-line message), never a crash from deep inside numpy or pyarrow."""

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netlearn.analytics import mixed
from netlearn.analytics.errors import AnalyticsError
from netlearn.analytics.formula import parse_formula
from netlearn.analytics.table import read_columns

FORMULAS = [
    "y ~ x + (1|g)",
    "y ~ x + f + (1|g)",
    "y ~ 1 + (1|g)",
    "y ~ x + (1|h/g)",
    "y ~ f + (1|h) + (1|g)",
    "y ~ x + (x|g)",
    "y ~ missing + (1|g)",
]
cells = st.one_of(
    st.integers(-5, 5).map(str),
    st.floats(-1e6, 1e6, allow_nan=False).map(repr),
    st.sampled_from(["", "NA", "nan", "inf", "-inf", "abc", "1e400", '"quoted, comma"', "a", "b"]),
    st.text(alphabet='ab,"\n x1.-', max_size=4),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(cells, min_size=3, max_size=6), min_size=0, max_size=25),
    formula=st.sampled_from(FORMULAS),
)
def test_any_csv_gives_a_fit_or_a_clear_error(tmp_path_factory, rows, formula):
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    path.write_text("y,x,f,g,h\n" + "".join(",".join(row) + "\n" for row in rows))
    try:
        parsed = parse_formula(formula)
        columns = read_columns(path, parsed.columns, factors=parsed.grouping_columns)
        result = mixed.fit(formula, columns)
    except AnalyticsError as error:
        assert str(error) and "\n" not in str(error).strip() or "CSV" in str(error)
        return
    assert result.n_obs + result.n_dropped == len(rows)
    assert all(math.isfinite(v) for v in result.variances.values())
    assert np.isfinite(result.fixed).all() and np.isfinite(result.loglik)


@settings(max_examples=150, deadline=None)
@given(
    y=st.lists(
        st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
        min_size=4,
        max_size=40,
    ),
    groups=st.lists(st.sampled_from(["a", "b", "c", "", None]), min_size=4, max_size=40),
    factor=st.lists(st.sampled_from(["p", "q", "", None, "3"]), min_size=4, max_size=40),
)
def test_any_python_columns_give_a_fit_or_a_clear_error(y, groups, factor):
    n = min(len(y), len(groups), len(factor))
    columns = {"y": y[:n], "g": groups[:n], "f": factor[:n], "x": list(range(n))}
    for formula in ("y ~ x + f + (1|g)", "y ~ 1 + (1|g)"):
        try:
            result = mixed.fit(formula, columns)
        except AnalyticsError:
            continue
        assert np.isfinite(result.fixed).all()
        assert all(np.isfinite(e.estimate).all() for e in result.effects.values())
