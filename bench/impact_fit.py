"""Value-added fit at national scale: `netlearn impact fit` against statsmodels and R's lme4.

    .venv/bin/python -m bench.impact_fit [--pupils 600000] [--schools 20000] [--runs 5]
                                         [--rival-runs 3] [--no-lme4]

The synthetic national cohort (fixed seed, so every run fits the same data):
- school sizes 10 to 400 pupils: a log-normal (median 22, σ 0.75 on the log scale) clipped to
  [10, 400], then pupils added to or taken from random schools within those bounds until the
  total is exactly --pupils (600,000 in 20,000 schools: mean 30, a long tail of large schools);
- school ids: six-digit URN-like integers in random order; rows shuffled, not sorted by school;
- per school: an intake effect on prior attainment N(0, 0.3²), a free-school-meals rate
  Beta(2, 6), an EAL rate Beta(1, 6) and a value-added effect N(0, 0.3²);
- per pupil: ks2 = intake + N(0, 1); fsm, eal ~ Bernoulli(school's rate); sen ~ Bernoulli(0.15);
  female ~ Bernoulli(0.5); ks4 = 0.2 + 0.6 ks2 − 0.25 fsm − 0.35 sen + 0.1 eal + 0.12 female
  + school effect + N(0, 0.7²).
Columns, as a CSV with a header: ks4, ks2, fsm, sen, eal, female, school.

Measures, each as the median of --runs runs (docs/benchmarks.md#what-fast-means: a whole process is
what a user waits for):
1. the whole command `netlearn impact fit cohort.csv --formula "ks4 ~ ks2 + fsm + sen + eal +
   female + (1|school)" --json out.json` as a subprocess, in wall and CPU time (CPU time drifts
   less when other work shares the machine), with its peak memory (ru_maxrss of the children);
2. the fit alone (`mixed.fit` on columns already in memory, school effects and SDs included);
3. in the same run, the rival statsmodels `mixedlm(...).fit(reml=True)` on the 60,000 / 2,000
   cut (the schools with the 2,000 smallest ids) against our fit alone on the same cut, as a ratio;
4. R's lme4 (`read.csv` then `lmer`, then `ranef(condVar=TRUE)`) once on the full cohort, when
   Rscript with lme4 is installed: whole process (wall and CPU) and its parts, and how far its
   estimates are from ours.
Prints the figures and writes bench/results/impact-fit-<pupils>-<date>.json/.md.
Goals (docs/benchmarks.md#targets): the whole command ≥ 20× faster than lme4's whole process
(≈ 0.5 s) with peak memory < 1 GiB; fit alone ≥ 10× statsmodels on the 60,000 cut.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
FORMULA = "ks4 ~ ks2 + fsm + sen + eal + female + (1|school)"
SEED = 20260701
GOAL_WHOLE_SECONDS = 0.5
GOAL_MEMORY_MIB = 1024
GOAL_STATSMODELS_RATIO = 10.0
# lme4's recorded whole-process time (docs/benchmarks.md#rival-figures), when R is not installed.
LME4_WHOLE_SECONDS_RECORDED = 10.5

LME4_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
started <- proc.time()[["elapsed"]]
suppressMessages(library(lme4))
data <- read.csv(args[1])
data$school <- factor(data$school)
read <- proc.time()[["elapsed"]]
fit <- lmer(ks4 ~ ks2 + fsm + sen + eal + female + (1|school), data = data, REML = TRUE)
fitted <- proc.time()[["elapsed"]]
modes <- ranef(fit, condVar = TRUE)$school
done <- proc.time()[["elapsed"]]
writeLines(jsonlite::toJSON(list(
  read_seconds = read - started, lmer_seconds = fitted - read, ranef_seconds = done - fitted,
  fixed = I(unname(fixef(fit))), fixed_se = I(unname(sqrt(diag(as.matrix(vcov(fit)))))),
  variances = as.list(setNames(as.data.frame(VarCorr(fit))$vcov,
                               as.data.frame(VarCorr(fit))$grp)),
  loglik = as.numeric(logLik(fit)), ids = I(rownames(modes)),
  estimate = I(modes[["(Intercept)"]]), se = I(sqrt(attr(modes, "postVar")[1, 1, ]))
), auto_unbox = TRUE, digits = NA), args[2])
"""


def school_sizes(rng: np.random.Generator, pupils: int, schools: int) -> np.ndarray:
    low, high = 10, 400
    if not low * schools <= pupils <= high * schools:
        raise SystemExit(f"{pupils} pupils cannot fill {schools} schools of {low} to {high}")
    sizes = np.clip(np.round(rng.lognormal(np.log(22), 0.75, schools)), low, high).astype(int)
    while (gap := pupils - int(sizes.sum())) != 0:
        room = np.flatnonzero(sizes < high) if gap > 0 else np.flatnonzero(sizes > low)
        picked = rng.choice(room, size=min(abs(gap), len(room)), replace=False)
        sizes[picked] += 1 if gap > 0 else -1
    return sizes


def cohort(pupils: int = 600_000, schools: int = 20_000, seed: int = SEED) -> dict[str, np.ndarray]:
    """The synthetic national cohort described at the top of this file, as columns."""
    rng = np.random.default_rng(seed)
    sizes = school_sizes(rng, pupils, schools)
    urn = rng.choice(np.arange(100_000, 1_000_000), size=schools, replace=False)
    intake = rng.normal(0, 0.3, schools)
    fsm_rate = rng.beta(2, 6, schools)
    eal_rate = rng.beta(1, 6, schools)
    effect = rng.normal(0, 0.3, schools)
    school = np.repeat(np.arange(schools), sizes)
    order = rng.permutation(pupils)  # rows not sorted by school
    school = school[order]
    ks2 = intake[school] + rng.normal(0, 1, pupils)
    fsm = (rng.random(pupils) < fsm_rate[school]).astype(np.int8)
    sen = (rng.random(pupils) < 0.15).astype(np.int8)
    eal = (rng.random(pupils) < eal_rate[school]).astype(np.int8)
    female = (rng.random(pupils) < 0.5).astype(np.int8)
    ks4 = (
        0.2
        + 0.6 * ks2
        - 0.25 * fsm
        - 0.35 * sen
        + 0.1 * eal
        + 0.12 * female
        + effect[school]
        + rng.normal(0, 0.7, pupils)
    )
    return {
        "ks4": np.round(ks4, 4),
        "ks2": np.round(ks2, 4),
        "fsm": fsm,
        "sen": sen,
        "eal": eal,
        "female": female,
        "school": urn[school],
    }


def write_csv(columns: dict[str, np.ndarray], path: Path) -> None:
    pa_csv.write_csv(pa.table(columns), path)


def cut(columns: dict[str, np.ndarray], schools: int) -> dict[str, np.ndarray]:
    """The pupils of the `schools` schools with the smallest ids."""
    chosen = np.sort(np.unique(columns["school"]))[:schools]
    keep = np.isin(columns["school"], chosen)
    return {name: values[keep] for name, values in columns.items()}


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command_runs(path: Path, out: Path, runs: int) -> tuple[list[float], list[float], float]:
    """Wall and CPU seconds of each run of the whole command, and its peak memory in MiB.

    CPU time (user + system, all threads) drifts less than wall time when other work shares
    the machine, so both are reported."""
    netlearn = Path(sys.executable).with_name("netlearn")
    command = [str(netlearn), "impact", "fit", str(path), "--formula", FORMULA, "--json", str(out)]
    times, cpu = [], []
    for _ in range(runs):
        cpu_before = children_cpu_seconds()
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
        cpu.append(children_cpu_seconds() - cpu_before)
    # ru_maxrss of the children is the largest of them (KiB on Linux).
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return times, cpu, peak_mib


def fit_runs(columns: dict[str, np.ndarray], runs: int) -> tuple[list[float], object]:
    from netlearn.analytics.mixed import fit

    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fit(FORMULA, columns)
        times.append(time.perf_counter() - started)
    return times, result


def statsmodels_runs(columns: dict[str, np.ndarray], runs: int) -> tuple[list[float], object]:
    import pandas as pd
    import statsmodels.formula.api as smf

    frame = pd.DataFrame(columns)
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = smf.mixedlm(
            "ks4 ~ ks2 + fsm + sen + eal + female", frame, groups=frame["school"]
        ).fit(reml=True)
        times.append(time.perf_counter() - started)
    return times, result


def lme4_run(path: Path, workdir: Path) -> dict | None:
    if not shutil.which("Rscript"):
        return None
    check = subprocess.run(
        ["Rscript", "-e", "library(lme4); library(jsonlite)"], capture_output=True, check=False
    )
    if check.returncode != 0:
        return None
    script, out = workdir / "lme4.R", workdir / "lme4.json"
    script.write_text(LME4_SCRIPT)
    cpu_before = children_cpu_seconds()
    started = time.perf_counter()
    subprocess.run(["Rscript", str(script), str(path), str(out)], check=True)
    result = json.loads(out.read_text())
    result["whole_seconds"] = time.perf_counter() - started
    result["whole_cpu_seconds"] = children_cpu_seconds() - cpu_before
    return result


def differences(ours, lme4: dict) -> dict[str, float]:
    """How far our fit is from lme4's: the largest relative difference over the fixed effects,
    their SEs, the variances, logLik and every school's conditional SD; and for the school
    effects, whose values cross zero, the largest difference as a share of the school SD."""
    effects = ours.effects["school"]
    position = {school_id: k for k, school_id in enumerate(effects.ids)}
    rows = [position[school_id] for school_id in lme4["ids"]]
    pairs = [
        (ours.fixed, lme4["fixed"]),
        (ours.fixed_se, lme4["fixed_se"]),
        ([ours.variances[name] for name in lme4["variances"]], list(lme4["variances"].values())),
        ([ours.loglik], [lme4["loglik"]]),
        (effects.se[rows], lme4["se"]),
    ]
    relative = max(
        float(np.max(np.abs(np.asarray(a) - np.asarray(b)) / np.abs(np.asarray(b))))
        for a, b in pairs
    )
    school_sd = lme4["variances"]["school"] ** 0.5
    effect_gap = float(np.max(np.abs(effects.estimate[rows] - np.asarray(lme4["estimate"]))))
    return {
        "lme4_largest_relative_difference": relative,
        "lme4_largest_effect_difference_in_school_sds": effect_gap / school_sd,
        "lme4_loglik_ours_minus_theirs": ours.loglik - lme4["loglik"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pupils", type=int, default=600_000)
    parser.add_argument("--schools", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rival-runs", type=int, default=3)
    parser.add_argument("--no-lme4", action="store_true", help="skip R's lme4 even if installed")
    args = parser.parse_args(argv)
    small_schools = max(args.schools // 10, 2)

    with tempfile.TemporaryDirectory(prefix="netlearn-bench-") as folder:
        workdir = Path(folder)
        started = time.perf_counter()
        columns = cohort(args.pupils, args.schools)
        path = workdir / "cohort.csv"
        write_csv(columns, path)
        small = cut(columns, small_schools)
        print(
            f"cohort: {args.pupils} pupils in {args.schools} schools "
            f"({path.stat().st_size / 2**20:.1f} MiB CSV), generated in "
            f"{time.perf_counter() - started:.1f} s; cut: {len(small['ks4'])} pupils in "
            f"{small_schools} schools",
            flush=True,
        )

        whole, whole_cpu, peak_mib = command_runs(path, workdir / "out.json", args.runs)
        fit_alone, ours = fit_runs(columns, args.runs)
        small_fit, ours_small = fit_runs(small, args.runs)
        rival, theirs = statsmodels_runs(small, args.rival_runs)
        lme4 = None if args.no_lme4 else lme4_run(path, workdir)

    figures = {
        "pupils": args.pupils,
        "schools": args.schools,
        "runs": args.runs,
        "whole_command_median_s": statistics.median(whole),
        "whole_command_runs_s": whole,
        "whole_command_cpu_median_s": statistics.median(whole_cpu),
        "whole_command_peak_mib": peak_mib,
        "fit_alone_median_s": statistics.median(fit_alone),
        "fit_iterations": ours.iterations,
        "cut_pupils": len(small["ks4"]),
        "cut_schools": small_schools,
        "cut_fit_alone_median_s": statistics.median(small_fit),
        "cut_statsmodels_median_s": statistics.median(rival),
        "cut_statsmodels_ratio": statistics.median(rival) / statistics.median(small_fit),
        "cut_statsmodels_max_fixed_difference": float(
            np.max(np.abs(np.asarray(theirs.fe_params) - ours_small.fixed))
        ),
    }
    if lme4 is not None:
        figures.update(
            {
                "lme4_whole_s": lme4["whole_seconds"],
                "lme4_read_csv_s": lme4["read_seconds"],
                "lme4_lmer_s": lme4["lmer_seconds"],
                "lme4_ranef_condvar_s": lme4["ranef_seconds"],
                "lme4_whole_ratio": lme4["whole_seconds"] / figures["whole_command_median_s"],
                "lme4_whole_cpu_s": lme4["whole_cpu_seconds"],
                "lme4_whole_cpu_ratio": lme4["whole_cpu_seconds"]
                / figures["whole_command_cpu_median_s"],
                **differences(ours, lme4),
            }
        )
    report = render(figures)
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"impact-fit-{args.pupils}-{datetime.date.today().isoformat()}"
    stem.with_suffix(".json").write_text(json.dumps(figures, indent=1) + "\n")
    stem.with_suffix(".md").write_text(report + "\n")
    return 0


def render(f: dict) -> str:
    lines = [
        f"## netlearn impact fit: {f['pupils']:,} pupils in {f['schools']:,} schools",
        "",
        "| measure | median | goal |",
        "|---|---|---|",
        f"| whole command (read CSV, fit, school effects + SDs, write JSON) | "
        f"{f['whole_command_median_s']:.3f} s | ≈ {GOAL_WHOLE_SECONDS} s |",
        f"| the same, CPU time (user + system) | {f['whole_command_cpu_median_s']:.3f} s | |",
        f"| peak memory of the command | {f['whole_command_peak_mib']:.0f} MiB | "
        f"< {GOAL_MEMORY_MIB} MiB |",
        f"| fit alone ({f['fit_iterations']} evaluations of the criterion) | "
        f"{f['fit_alone_median_s']:.3f} s | |",
        f"| {f['cut_pupils']:,} / {f['cut_schools']:,} cut: fit alone | "
        f"{f['cut_fit_alone_median_s'] * 1000:.1f} ms | |",
        f"| same cut: statsmodels MixedLM fit(reml=True) | "
        f"{f['cut_statsmodels_median_s']:.2f} s | |",
        f"| ratio statsmodels / ours | {f['cut_statsmodels_ratio']:.0f}× | "
        f"≥ {GOAL_STATSMODELS_RATIO:.0f}× |",
    ]
    if "lme4_whole_s" in f:
        lines += [
            f"| lme4 whole process (read.csv {f['lme4_read_csv_s']:.1f} s, lmer "
            f"{f['lme4_lmer_s']:.1f} s, ranef condVar {f['lme4_ranef_condvar_s']:.1f} s) | "
            f"{f['lme4_whole_s']:.1f} s (1 run) | |",
            f"| ratio lme4 whole / ours whole | {f['lme4_whole_ratio']:.0f}× | ≥ 20× |",
            f"| the same in CPU time: lme4 {f['lme4_whole_cpu_s']:.1f} s | "
            f"{f['lme4_whole_cpu_ratio']:.0f}× | ≥ 20× |",
            f"| largest relative difference from lme4 (fixed effects, SEs, variances, logLik, "
            f"every school's SD) | {f['lme4_largest_relative_difference']:.1e} | < 1e-4 |",
            f"| largest difference in a school effect, in school SDs | "
            f"{f['lme4_largest_effect_difference_in_school_sds']:.1e} | |",
            f"| our logLik − lme4's (≥ 0: our optimum is at least as good) | "
            f"{f['lme4_loglik_ours_minus_theirs']:.1e} | |",
        ]
    else:
        lines.append(
            f"| lme4 not installed here; docs/benchmarks.md records "
            f"{LME4_WHOLE_SECONDS_RECORDED} s "
            f"whole process: ratio | "
            f"{LME4_WHOLE_SECONDS_RECORDED / f['whole_command_median_s']:.0f}× | ≥ 20× |"
        )
    lines += [
        "",
        f"statsmodels and ours differ by at most {f['cut_statsmodels_max_fixed_difference']:.1e} "
        "in the fixed effects on the cut.",
        f"Machine: {os.cpu_count()} cores; whole-command runs: "
        + ", ".join(f"{t:.3f}" for t in f["whole_command_runs_s"])
        + " s.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
