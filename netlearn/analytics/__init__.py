"""Statistics for Netlearn in plain Python (numpy, pyarrow): no Django imports.

- `mixed`: linear mixed models with random intercepts (value added), agreeing with R's lme4;
  `fit(formula, columns)` → `MixedFit`. Built on `formula` (lme4 formulas), `design` (columns to
  model matrices) and `errors` (`AnalyticsError` → `FormulaError`, `DataError`, `InputFileError`).
- `table`: reads a model's columns from a CSV file; `cli`: the `netlearn impact fit` command.
- `schools`: school-level analysis; `disclosure`: suppression of small numbers.

Import the module you need; this package imports nothing, so each stays quick to load.
"""
