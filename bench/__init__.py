"""Benchmarks run on demand (see /work/shared/BENCHMARKS.md), not in `make test`."""
