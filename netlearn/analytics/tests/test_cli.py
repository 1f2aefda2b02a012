"""`netlearn impact fit`: once as the real command, otherwise in-process."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netlearn.analytics.cli import main

REFERENCES = Path(__file__).parent / "references"
LME4 = json.loads((REFERENCES / "lme4.json").read_text())["models"]
EXAM = str(REFERENCES / "exam.csv")


def netlearn_command() -> list[str]:
    script = Path(sys.executable).with_name("netlearn")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "netlearn"]


def test_the_real_command_writes_lme4s_estimates_keyed_by_school(tmp_path):
    out = tmp_path / "va.json"
    reference = LME4["exam_context_ml"]
    completed = subprocess.run(
        [
            *netlearn_command(),
            "impact",
            "fit",
            EXAM,
            "--formula",
            reference["formula"],
            "--ml",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "fitted by maximum likelihood" in completed.stdout
    assert "schgendmixed" in completed.stdout
    document = json.loads(out.read_text())
    assert list(document["fixed_effects"]) == reference["fixed_names"]
    assert document["loglik"] == pytest.approx(reference["loglik"], rel=1e-4)
    expected = reference["effects"]["school"]
    assert set(document["effects"]["school"]) == set(expected["ids"])
    for k, school in enumerate(expected["ids"]):
        assert document["effects"]["school"][school]["se"] == pytest.approx(
            expected["se"][k], rel=1e-4
        )


def test_the_command_starts_neither_django_nor_pandas():
    """Start-up is most of the command's time: Django and pandas (which Arrow's to_numpy pulls
    in) would each add a fifth of a second."""
    code = (
        "import sys\n"
        f"sys.argv = ['netlearn', 'impact', 'fit', {EXAM!r}, '--formula',"
        " 'normexam ~ standLRT + sex + (1|school)']\n"
        "from netlearn.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0\n"
        "assert 'django' not in sys.modules, 'django was imported'\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported'\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert "fitted by REML" in completed.stdout


def test_a_summary_is_printed_and_json_written(tmp_path, capsys):
    out = tmp_path / "out.json"
    assert main([EXAM, "--formula", "normexam ~ standLRT + (1|school)", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "fitted by REML" in printed
    assert "4059 rows used, 0 dropped" in printed
    assert "65 groups of 'school'" in printed
    assert f"written to {out}" in printed
    document = json.loads(out.read_text())
    assert document["method"] == "REML"
    assert document["variances"]["school"] == pytest.approx(
        LME4["exam_lrt_reml"]["variances"]["school"], rel=1e-4
    )


def test_json_to_stdout_prints_nothing_else(capsys):
    assert main([EXAM, "--formula", "normexam ~ standLRT + (1|school)", "--json", "-"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["n_obs"] == 4059


def test_rows_dropped_for_missing_values_are_reported(capsys):
    gcsemv = str(REFERENCES / "gcsemv.csv")
    assert main([gcsemv, "--formula", "written ~ gender + (1|school)"]) == 0
    assert "1703 rows used, 202 dropped for missing values" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, formula, message",
    [
        (
            "score,school\n1,a\n",
            "score ~ gcsescore + (1|school)",
            "column 'gcsescore' not found in {path}; columns are: score, school",
        ),
        (
            "y,school\n" + "".join(f"{i},s{i % 3}\n" for i in range(30)).replace("\n7,", "\nabc,"),
            "y ~ 1 + (1|school)",
            "{path}, row 8 (line 9): 'abc' in column 'y' is not a number",
        ),
        (
            "y,x,school\n1,2\n",
            "y ~ x + (1|school)",
            "{path} is not a well-formed CSV file: line 2 has 2 fields where the header has 3",
        ),
        ("y,school\n1,a\n", "y ~ x + (x|school)", "only random intercepts"),
    ],
)
def test_bad_input_exits_1_with_one_line(tmp_path, capsys, content, formula, message):
    path = tmp_path / "data.csv"
    path.write_text(content)
    assert main([str(path), "--formula", formula]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    error = captured.err
    assert error.count("\n") == 1
    assert error.startswith("netlearn impact fit: error: ")
    assert message.format(path=path) in error


def test_an_unwritable_output_is_a_clear_error(tmp_path, capsys):
    target = tmp_path / "missing-folder" / "out.json"
    assert main([EXAM, "--formula", "normexam ~ standLRT + (1|school)", "--json", str(target)]) == 1
    assert f"cannot write {target}" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as raised:
        main([EXAM])
    assert raised.value.code == 2
    assert "--formula" in capsys.readouterr().err


def test_help_describes_the_command(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["--help"])
    assert raised.value.code == 0
    assert "lme4" in capsys.readouterr().out
