"""A rule-based review of a learning focus against the criteria of successful foci.

docs/seed-practices.md#learning-foci: a good focus is clearly put, specific, reaches every pupil
and teacher, states its goals as the difference to pupils, says what will be visible when it is
achieved, and links what adults learn to what pupils learn.

Each criterion is checked by a plain rule, written out in `rule` so the page can show it. No
language model: the rules look for words and lengths, so they can be fooled, and they say so. They
point co-leaders at what is missing; they do not grade the focus.
"""

import re
from dataclasses import dataclass

# The seed's closing remark on why foci matter: "Many networks revisited their original decisions
# after the first few months, because they realised their initial thinking had been too general."
TOO_GENERAL = (
    "“Many networks revisited their original decisions after the first few months, because they "
    "realised their initial thinking had been too general.”"
)

MIN_DESCRIPTION_WORDS = 20
MIN_VISIBLE_WORDS = 10
MIN_LINK_WORDS = 10

# Words that name no particular thing to improve: a title made only of them is too general.
GENERIC_WORDS = frozenset(
    """a an and the of in on for to with by at all our every through across improve improving
    improvement raise raising standards standard achievement attainment outcome outcomes learning
    teaching quality better good high higher pupil pupils student students children learners
    school schools network networks develop developing development focus work""".split()
)

STAGE = re.compile(
    r"\b(key\s*stage\s*\d|ks\s*\d|years?\s*\d+|y\d+|year\s*levels?\s*\d+|foundation|reception|"
    r"nursery|early\s*(years|learning)|infants?|juniors?|primary|secondary|middle|first|high|"
    r"intermediate|college|sixth\s*form|post-?16|tier|transition|phase|kindergarten|kura|"
    r"wharekura|levels?\s*\d)",
    re.IGNORECASE,
)
ALL_PUPILS = re.compile(
    r"\b(all|every|each)\s+(of\s+the\s+)?(pupils?|students?|children|learners?|teachers?|"
    r"schools?|class(es)?|staff|kaiako|ākonga|akonga|tamariki)\b|network-?wide|whole[- ]school|"
    r"across\s+(the|our|all)\s+(network|schools|community|kāhui ako)",
    re.IGNORECASE,
)
PUPIL_WORDS = re.compile(
    r"\b(pupils?|students?|children|child|learners?|ākonga|akonga|tamariki|boys|girls|readers|"
    r"writers)\b",
    re.IGNORECASE,
)
ADULT_WORDS = re.compile(
    r"\b(teachers?|staff|adults?|cpd|inset|professional|lesson\s+study|coach(es|ing)?|mentor(s|ing)?|"
    r"training|leaders?|kaiako|practitioners?|teaching\s+assistants?|enquiry|inquiry|triads?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Criterion:
    key: str
    quote: str
    why: str
    rule: str


@dataclass(frozen=True)
class CheckResult:
    criterion: Criterion
    passed: bool
    missing: str = ""


CRITERIA = (
    Criterion(
        "clear",
        "were clearly articulated",
        "“making it easier to generate purposeful activity and target resources”",
        f"The description has at least {MIN_DESCRIPTION_WORDS} words.",
    ),
    Criterion(
        "specific",
        "were specific and explicit",
        TOO_GENERAL,
        "The title names something beyond general words such as “improve”, “standards” or "
        "“learning”, and “which pupils” names a phase, a stage or a year.",
    ),
    Criterion(
        "all",
        "had the potential to involve all students and teachers",
        "“examples might be innovative uses of information technology in the classroom or a "
        "network-wide focus on writing”",
        "“Which pupils”, the description or the groups say how all (every, each) pupils, "
        "teachers or schools take part, or call the focus network-wide or whole-school.",
    ),
    Criterion(
        "benefit",
        "had goals that were expressed in terms of benefit to/effect on students",
        "“setting the moral agenda”",
        "The focus has at least one goal, and every goal's measure names pupils, students, "
        "children or learners (ākonga, tamariki).",
    ),
    Criterion(
        "visible",
        "set clear expectations for what would be visible when goals were achieved",
        "“It was difficult to engage colleagues outside the original working group in activity "
        "that seemed to lack clearly defined goals.”",
        f"“What will be visible when it is achieved” has at least {MIN_VISIBLE_WORDS} words.",
    ),
    Criterion(
        "link",
        "made explicit links between adult and pupil learning activities",
        "“for example, by linking continuing professional development to pupil learning "
        "objectives and replicating or modifying adult learning processes in work with students”",
        f"“How adult learning links to pupil learning” has at least {MIN_LINK_WORDS} words and "
        "names both adults (teachers, staff, CPD, lesson study, coaching…) and pupils.",
    ),
)
CRITERIA_BY_KEY = {criterion.key: criterion for criterion in CRITERIA}


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’'-]+", text or "")


def _specific_title(title: str) -> bool:
    return any(word.lower() not in GENERIC_WORDS for word in _words(title) if not word.isdigit())


def check_focus(
    *,
    title,
    description,
    pupils,
    pupil_groups,
    visible_when_achieved,
    adult_learning_link,
    goal_measures,
) -> list[CheckResult]:
    """The six criteria in the seed's order, each passed or with what is missing."""
    results = []

    count = len(_words(description))
    results.append(
        CheckResult(
            CRITERIA_BY_KEY["clear"],
            count >= MIN_DESCRIPTION_WORDS,
            f"The description has {count} words: say what the focus is, why the network chose "
            "it and what the schools will do.",
        )
    )

    missing = []
    if not _specific_title(title):
        missing.append("The title uses only general words: name what will improve, in what.")
    if not STAGE.search(pupils or ""):
        missing.append("“Which pupils” names no phase, stage or year.")
    results.append(CheckResult(CRITERIA_BY_KEY["specific"], not missing, " ".join(missing)))

    everyone = " ".join([pupils or "", description or "", pupil_groups or ""])
    results.append(
        CheckResult(
            CRITERIA_BY_KEY["all"],
            bool(ALL_PUPILS.search(everyone)),
            "Nothing says how every school's pupils and teachers can take part.",
        )
    )

    measures = list(goal_measures)
    if not measures:
        benefit, missing_text = False, "The focus has no measurable goal yet."
    else:
        off = [measure for measure in measures if not PUPIL_WORDS.search(measure)]
        benefit = not off
        missing_text = "These goals measure something other than pupils: " + "; ".join(
            f"“{measure}”" for measure in off
        )
    results.append(CheckResult(CRITERIA_BY_KEY["benefit"], benefit, missing_text))

    count = len(_words(visible_when_achieved))
    results.append(
        CheckResult(
            CRITERIA_BY_KEY["visible"],
            count >= MIN_VISIBLE_WORDS,
            "Describe what a visitor would see in classrooms, pupils' work or results when the "
            f"focus is achieved ({count} words so far).",
        )
    )

    link = adult_learning_link or ""
    missing = []
    if len(_words(link)) < MIN_LINK_WORDS:
        missing.append(
            f"Say in at least {MIN_LINK_WORDS} words how adults' learning leads to "
            "pupils' learning."
        )
    if not ADULT_WORDS.search(link):
        missing.append("Name the adults' learning (CPD, lesson study, coaching…).")
    if not PUPIL_WORDS.search(link):
        missing.append("Name the pupils whose learning it serves.")
    results.append(CheckResult(CRITERIA_BY_KEY["link"], not missing, " ".join(missing)))
    return results


def check(focus, goals=None) -> list[CheckResult]:
    """Checks a `LearningFocus`; `goals` defaults to its goals still in the charter."""
    if goals is None:
        goals = [goal for goal in focus.goals.all() if goal.dropped_at is None]
    return check_focus(
        title=focus.title,
        description=focus.description,
        pupils=focus.pupils,
        pupil_groups=focus.pupil_groups,
        visible_when_achieved=focus.visible_when_achieved,
        adult_learning_link=focus.adult_learning_link,
        goal_measures=[goal.measure for goal in goals],
    )
