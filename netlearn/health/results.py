"""Survey results as they may be published: every figure through the one disclosure module.

docs/health.md#results: a group (a school, a role) with fewer responses than the survey's threshold
shows `c`, and because the network's figure is published beside the groups', secondary
suppression hides a second group wherever one hidden group could be recovered by subtraction.
Pages, CSV, charts and the API all read these figures, so they agree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from netlearn.analytics import disclosure

from .models import QuestionKind, Survey

ROLE_LABELS = {
    "leader": "Leaders",
    "staff": "Staff",
    "governor": "Governors",
    "pupil": "Pupils",
    "parent": "Parents and whānau",
}
Z95 = 1.959964


@dataclass(frozen=True)
class Row:
    """One group's figure: its mean with a 95% interval, and the n it rests on."""

    label: str
    mean: disclosure.Figure
    lower: disclosure.Figure
    upper: disclosure.Figure
    n: disclosure.Figure

    def as_json(self) -> dict:
        return {
            "group": self.label,
            "n": self.n.as_json(),
            "mean": self.mean.as_json(),
            "lower": self.lower.as_json(),
            "upper": self.upper.as_json(),
        }

    def as_csv(self) -> list[str]:
        return [self.label, self.n.shown, self.mean.shown, self.lower.shown, self.upper.shown]


@dataclass
class QuestionResult:
    question_id: int
    text: str
    kind: str
    dimension: str
    overall: Row | None = None
    by_school: list[Row] = field(default_factory=list)
    by_role: list[Row] = field(default_factory=list)
    options: list[Row] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def _stats(values: list[float]) -> tuple[float | None, float | None, float | None, int]:
    n = len(values)
    if n == 0:
        return None, None, None, 0
    mean = sum(values) / n
    if n < 2:
        return mean, None, None, n
    variance = sum((value - mean) ** 2 for value in values) / (n - 1)
    half = Z95 * math.sqrt(variance / n)
    return mean, mean - half, mean + half, n


def rows(groups: list[tuple[str, list[float]]], rules: disclosure.Rules) -> list[Row]:
    """Each group's row, with secondary suppression across the groups: their total is
    published beside them."""
    stats = [_stats(values) for _, values in groups]
    counts = [n for *_, n in stats]
    hidden = disclosure.protect(counts, [list(range(len(groups)))], rules)
    made = []
    for (label, _), (mean, lower, upper, n), hide in zip(groups, stats, hidden, strict=True):
        hide = bool(hide)
        made.append(
            Row(
                label=label,
                mean=disclosure.figure(mean, n, rules, decimals=2, hidden=hide),
                lower=disclosure.figure(lower, n, rules, decimals=2, hidden=hide),
                upper=disclosure.figure(upper, n, rules, decimals=2, hidden=hide),
                n=disclosure.count(n, rules, key=label, hidden=hide),
            )
        )
    return made


def overall_row(label: str, values: list[float], rules: disclosure.Rules) -> Row:
    return rows([(label, values)], rules)[0]


def rules_of(survey: Survey) -> disclosure.Rules:
    return disclosure.Rules(threshold=survey.threshold)


def survey_results(
    survey: Survey,
    *,
    questions,
    sheets: list[dict],
    school_names: dict[int, str],
    only_school_ids: frozenset[int] | None = None,
    with_texts: bool = False,
) -> list[QuestionResult]:
    """Results per question. `only_school_ids`: a school lead's view, their schools alone (the
    network's figure is then not shown beside them)."""
    rules = rules_of(survey)
    if only_school_ids is not None:
        sheets = [sheet for sheet in sheets if sheet.get("school") in only_school_ids]
    results = []
    for question in questions:
        key = str(question.pk)
        result = QuestionResult(
            question_id=question.pk,
            text=question.text,
            kind=question.kind,
            dimension=question.dimension.name if question.dimension else "",
        )
        answered = [sheet for sheet in sheets if key in sheet["answers"]]
        if question.kind == QuestionKind.LIKERT:
            values = [float(sheet["answers"][key]) for sheet in answered]
            by_school, by_role = defaultdict(list), defaultdict(list)
            for sheet in answered:
                by_school[sheet.get("school")].append(float(sheet["answers"][key]))
                by_role[sheet.get("role")].append(float(sheet["answers"][key]))
            label = "Your school" if only_school_ids is not None else "Whole network"
            result.overall = overall_row(label, values, rules)
            schools = sorted(by_school, key=lambda pk: school_names.get(pk, "~"))
            result.by_school = rows(
                [(school_names.get(pk, "No school"), by_school[pk]) for pk in schools], rules
            )
            roles = sorted(by_role, key=lambda role: ROLE_LABELS.get(role, role))
            result.by_role = rows(
                [(ROLE_LABELS.get(role, role), by_role[role]) for role in roles], rules
            )
        elif question.kind == QuestionKind.RANKING:
            places = [sheet["answers"][key] for sheet in answered]
            result.options = [
                overall_row(option, [float(sheet_places[index]) for sheet_places in places], rules)
                for index, option in enumerate(question.options)
            ]
        elif question.kind == QuestionKind.NAME_GENERATOR:
            mentions = defaultdict(list)
            for sheet in answered:
                for chosen in sheet["answers"][key]:
                    mentions[chosen].append(1.0)
            if question.names == "schools":
                result.options = [
                    Row(
                        label=school_names.get(pk, "A school"),
                        mean=disclosure.Figure(None, None, ""),
                        lower=disclosure.Figure(None, None, ""),
                        upper=disclosure.Figure(None, None, ""),
                        n=disclosure.count(len(mentions[pk]), rules, key=f"{key}/{pk}"),
                    )
                    for pk in sorted(mentions, key=lambda pk: school_names.get(pk, "~"))
                ]
        elif question.kind == QuestionKind.FREE_TEXT and with_texts:
            if not disclosure.is_hidden(len(answered), rules):
                # Alphabetical: the order says nothing of who answered when.
                result.texts = sorted(str(sheet["answers"][key]) for sheet in answered)
        results.append(result)
    return results


@dataclass(frozen=True)
class DimensionTable:
    """A framework's dimensions down, waves (or schools, or roles) across."""

    framework: str
    columns: list[str]
    lines: list[tuple[str, list[Row]]]


def _sheet_scores(sheets, questions) -> dict[int, list[tuple[dict, float]]]:
    """dimension id → (sheet, the sheet's mean over the dimension's agree-or-disagree items)."""
    by_dimension = defaultdict(list)
    for question in questions:
        if question.kind == QuestionKind.LIKERT and question.dimension_id:
            by_dimension[question.dimension_id].append(str(question.pk))
    scores = defaultdict(list)
    for dimension_id, keys in by_dimension.items():
        for sheet in sheets:
            values = [sheet["answers"][key] for key in keys if key in sheet["answers"]]
            if values:
                scores[dimension_id].append((sheet, sum(values) / len(values)))
    return scores


def dimensions_by_wave(framework, dimensions, waves, *, rules) -> DimensionTable:
    """`waves`: [(wave, sheets, questions)] in order. Each cell stands alone: no total is
    published across waves, so only primary suppression applies."""
    per_wave = [_sheet_scores(sheets, questions) for _, sheets, questions in waves]
    lines = []
    for dimension in dimensions:
        cells = [
            overall_row(wave, [score for _, score in scores.get(dimension.pk, [])], rules)
            for (wave, _, _), scores in zip(waves, per_wave, strict=True)
        ]
        lines.append((dimension.name, cells))
    return DimensionTable(framework.name, [wave for wave, _, _ in waves], lines)


def dimensions_by_group(
    framework, dimensions, sheets, questions, *, key: str, labels: dict, rules
) -> DimensionTable:
    """Dimensions by school (`key="school"`) or role (`key="role"`) in one wave, each line
    protected as a whole (the network's figure is published in the wave table)."""
    scores = _sheet_scores(sheets, questions)
    groups = sorted(
        {sheet.get(key) for sheet in sheets}, key=lambda value: str(labels.get(value, value))
    )
    lines = []
    for dimension in dimensions:
        by_group = defaultdict(list)
        for sheet, score in scores.get(dimension.pk, []):
            by_group[sheet.get(key)].append(score)
        lines.append(
            (
                dimension.name,
                rows([(str(labels.get(group, group)), by_group[group]) for group in groups], rules),
            )
        )
    return DimensionTable(
        framework.name, [str(labels.get(group, group)) for group in groups], lines
    )
