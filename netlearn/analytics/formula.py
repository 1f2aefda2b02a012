"""Reads the lme4 formulas Netlearn fits: `y ~ x1 + x2 + (1|school)`, `(1|authority/school)`.

What we accept, and why the rest is refused rather than guessed at:
- the response: one column name;
- fixed effects: column names joined by `+` (an explicit `1` is allowed); interactions,
  transformations and dropping the intercept are refused with a FormulaError naming the term;
- random effects: intercepts only, `(1|g)`, `(1|a/b)` (lme4 expands it to `(1|a) + (1|b:a)`) or
  `(1|a:b)`; at most two grouping factors, nested (checked against the data when fitting).
Names may be written in backticks, as in R, when they hold spaces or symbols.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netlearn.analytics.errors import FormulaError

_NAME = re.compile(r"[A-Za-z_.][A-Za-z0-9_.]*")
MAX_GROUPING_FACTORS = 2


@dataclass(frozen=True)
class RandomIntercept:
    """A random intercept `(1|name)`: one level per combination of `columns`' values.

    `name` is lme4's name for the term (`school`, or `school:authority` for `(1|authority/school)`),
    and its levels are labelled the way lme4 labels them, the columns' values joined by `:`.
    """

    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Formula:
    text: str
    response: str
    fixed: tuple[str, ...]  # columns of the fixed part, in the order written (intercept implied)
    random: tuple[RandomIntercept, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the model uses, each once, in the order the formula names them."""
        names = [self.response, *self.fixed]
        for term in self.random:
            names.extend(term.columns)
        return tuple(dict.fromkeys(names))

    @property
    def grouping_columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(column for term in self.random for column in term.columns))


def parse_formula(text: str) -> Formula:
    """Parses an lme4 formula with random intercepts; raises FormulaError saying what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("the formula is empty; write it as lme4 does: 'y ~ x + (1|school)'")
    if text.count("~") != 1:
        raise FormulaError(
            f"the formula {text!r} needs exactly one '~' between the outcome and the predictors, "
            "as in 'y ~ x + (1|school)'"
        )
    left, right = text.split("~")
    response = _name(left, what="the outcome (left of '~')", formula=text)
    fixed: list[str] = []
    random: list[RandomIntercept] = []
    for term in _split_terms(right, formula=text):
        if term.startswith("("):
            for intercept in _random_intercepts(term, formula=text):
                if intercept not in random:
                    random.append(intercept)
        elif term == "1":
            continue
        else:
            name = _name(term, what="a fixed-effect term", formula=text)
            if name not in fixed:
                fixed.append(name)
    if not random:
        raise FormulaError(
            f"the formula {text!r} has no random effect; add a random intercept such as "
            "'+ (1|school)'"
        )
    if response in fixed:
        raise FormulaError(f"'{response}' is both the outcome and a predictor in {text!r}")
    if len(random) > MAX_GROUPING_FACTORS:
        raise FormulaError(
            f"the formula {text!r} has {len(random)} grouping factors; at most "
            f"{MAX_GROUPING_FACTORS} nested ones are supported, e.g. (1|authority/school)"
        )
    grouping = {column for intercept in random for column in intercept.columns}
    if response in grouping:
        raise FormulaError(f"'{response}' is both the outcome and a grouping factor in {text!r}")
    for name in fixed:
        if name in grouping:
            raise FormulaError(
                f"'{name}' is both a fixed effect and a grouping factor in {text!r}; "
                "use it in one place only"
            )
    return Formula(text=text.strip(), response=response, fixed=tuple(fixed), random=tuple(random))


def _split_terms(right: str, *, formula: str) -> list[str]:
    """Splits the right-hand side on the `+` signs outside parentheses and backticks."""
    terms, depth, quoted, current = [], 0, False, []
    for char in right:
        if char == "`":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth < 0:
                raise FormulaError(f"unbalanced parentheses in the formula {formula!r}")
        elif not quoted and depth == 0 and char == "-":
            raise FormulaError(
                f"the formula {formula!r} removes a term with '-'; models without an intercept "
                "and removed terms are not supported"
            )
        if not quoted and depth == 0 and char == "+":
            terms.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    if quoted:
        raise FormulaError(f"a backtick is not closed in the formula {formula!r}")
    if depth != 0:
        raise FormulaError(f"unbalanced parentheses in the formula {formula!r}")
    terms.append("".join(current).strip())
    if any(not term for term in terms):
        raise FormulaError(f"the formula {formula!r} has an empty term (two '+' in a row?)")
    if "0" in terms:
        raise FormulaError(
            f"the formula {formula!r} drops the intercept with '0'; models without an "
            "intercept are not supported"
        )
    return terms


def _name(text: str, *, what: str, formula: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == "`" and "`" not in text[1:-1]:
        return text[1:-1]
    if _NAME.fullmatch(text):
        return text
    if not text:
        raise FormulaError(f"{what} is missing in the formula {formula!r}")
    raise FormulaError(
        f"{what} {text!r} in {formula!r} is not a column name; only column names joined by '+' "
        "are supported (no interactions such as a:b or a*b, and no functions such as log(x)); "
        "put names with spaces or symbols in backticks"
    )


def _random_intercepts(term: str, *, formula: str) -> list[RandomIntercept]:
    """`(1|g)`, `(1|a/b)`, `(1|a:b)`: the random intercepts the term stands for, outermost first."""
    if not term.endswith(")"):
        raise FormulaError(f"the term {term!r} in {formula!r} is not a random effect '(1|group)'")
    inner = term[1:-1].strip()
    if "||" in inner:
        raise FormulaError(
            f"the term {term!r} uses '||'; only random intercepts '(1|group)' are supported"
        )
    if inner.count("|") != 1:
        raise FormulaError(
            f"the term {term!r} in {formula!r} is not a random effect; write it as '(1|group)'"
        )
    effect, grouping = (part.strip() for part in inner.split("|"))
    if effect != "1":
        raise FormulaError(
            f"the random effect {term!r} asks for random slopes ('{effect}'); only random "
            "intercepts '(1|group)' are supported"
        )
    if "/" in grouping:
        # lme4's expandSlash: (1|a/b) is (1|a) + (1|b:a).
        levels = [
            _name(part, what="a grouping factor", formula=formula) for part in grouping.split("/")
        ]
        intercepts = []
        for depth in range(len(levels)):
            columns = tuple(reversed(levels[: depth + 1]))
            intercepts.append(RandomIntercept(name=":".join(columns), columns=columns))
        return intercepts
    columns = tuple(
        _name(part, what="a grouping factor", formula=formula) for part in grouping.split(":")
    )
    return [RandomIntercept(name=":".join(columns), columns=columns)]
