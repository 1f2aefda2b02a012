"""Benchmarks run on demand (see docs/benchmarks.md), not in `make test`."""
