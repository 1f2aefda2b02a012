"""`netlearn impact fit DATA.csv --formula "..." [--ml] [--json OUT.json]`

Fits a value-added model to a CSV file of pupils and writes the estimates as JSON. The console
script hands `impact fit` straight to `main` here, without starting Django, so the whole command
costs little more than the fit. Exit status: 0 fitted, 1 bad input (one line on stderr saying
what is wrong), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from netlearn.analytics.errors import AnalyticsError, DataError
from netlearn.analytics.formula import parse_formula
from netlearn.analytics.mixed import MixedFit, fit
from netlearn.analytics.table import read_columns

PROG = "netlearn impact fit"
EXAMPLE = 'netlearn impact fit pupils.csv --formula "ks4 ~ ks2 + fsm + (1|school)" --json va.json'


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Fit a linear mixed model with random intercepts, as R's lme4::lmer does, to a CSV\n"
            "file with a header line. Reports fixed effects with standard errors, variance\n"
            "components, the intraclass correlation, the log-likelihood, and each group's effect\n"
            "(its conditional mode) with a standard error and an interval."
        ),
        epilog=(
            f"Example: {EXAMPLE}\n\n"
            "Columns of numbers enter as they are; text columns are factors, coded against\n"
            "their first level in sorted order (lme4's default). Rows missing a value the\n"
            "model uses are dropped and counted. Exit status: 0 fitted, 1 bad input, 2 usage."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("data", metavar="DATA.csv", help="CSV file, one row per pupil")
    parser.add_argument(
        "--formula",
        required=True,
        help="lme4 formula: 'y ~ x1 + x2 + (1|school)' or nested '(1|authority/school)'",
    )
    parser.add_argument(
        "--ml", action="store_true", help="fit by maximum likelihood (default: REML)"
    )
    parser.add_argument(
        "--json",
        metavar="OUT.json",
        help="write the estimates here, group effects keyed by group id ('-' for stdout)",
    )
    parser.add_argument(
        "--level",
        type=float,
        default=0.95,
        help="confidence level of the groups' intervals (default 0.95)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        formula = parse_formula(args.formula)
        columns = read_columns(args.data, formula.columns, factors=formula.grouping_columns)
        result = fit(args.formula, columns, reml=not args.ml, level=args.level)
        if args.json:
            _write_json(result, args.json)
    except DataError as error:
        return _fail(_located(error, args.data))
    except AnalyticsError as error:
        return _fail(str(error))
    if args.json != "-":
        print(summary(result, json_path=args.json))
    return 0


def _located(error: DataError, path: str) -> str:
    """A row number as a person opening the file finds it: line 1 is the header."""
    message = str(error)
    if error.row is not None:
        prefix = f"row {error.row + 1}: "
        detail = message.removeprefix(prefix)
        return f"{path}, row {error.row + 1} (line {error.row + 2}): {detail}"
    return message


def _fail(message: str) -> int:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return 1


def _write_json(result: MixedFit, target: str) -> None:
    text = result.to_json_text()
    if target == "-":
        sys.stdout.write(text + "\n")
        return
    try:
        Path(target).write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        raise AnalyticsError(f"cannot write {target}: {error.strerror or error}") from None


def summary(result: MixedFit, *, json_path: str | None = None) -> str:
    """A short report for a person at a terminal; the JSON holds everything."""
    method = "REML" if result.reml else "maximum likelihood"
    groups = ", ".join(f"{len(e.ids)} groups of '{name}'" for name, e in result.effects.items())
    lines = [
        f"Linear mixed model fitted by {method}: {result.formula}",
        f"{result.n_obs} rows used, {result.n_dropped} dropped for missing values; {groups}",
        "",
        f"{'Fixed effects':<24}{'estimate':>12}{'std. error':>12}",
    ]
    for name, estimate, se in zip(result.fixed_names, result.fixed, result.fixed_se, strict=True):
        lines.append(f"{name:<24}{estimate:>12.5g}{se:>12.5g}")
    lines += ["", f"{'Variance components':<24}{'variance':>12}{'std. dev.':>12}"]
    for name, variance in result.variances.items():
        lines.append(f"{name:<24}{variance:>12.5g}{variance**0.5:>12.5g}")
    criterion = "log-likelihood (REML)" if result.reml else "log-likelihood"
    lines += [
        "",
        f"Intraclass correlation {result.icc:.4f}; {criterion} {result.loglik:.4f}",
    ]
    if json_path:
        lines.append(f"Estimates and group effects written to {json_path}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
