from netlearn.charter.focus_check import CRITERIA, check_focus

from .factories import GOOD_FOCUS


def test_a_vague_focus_fails_every_criterion():
    results = check_focus(
        title="Raising standards",
        description="Improve learning.",
        pupils="",
        pupil_groups="",
        visible_when_achieved="",
        adult_learning_link="",
        goal_measures=[],
    )
    assert [result.passed for result in results] == [False] * 6
    assert [result.criterion for result in results] == list(CRITERIA)
    assert all(result.missing for result in results)


def test_a_well_written_focus_meets_every_criterion():
    results = check_focus(
        **GOOD_FOCUS, goal_measures=["Pupils at the expected standard in writing"]
    )
    assert [result.criterion.key for result in results if not result.passed] == []


def test_a_goal_that_measures_adults_is_not_a_benefit_to_pupils():
    results = check_focus(**GOOD_FOCUS, goal_measures=["Number of triad meetings held"])
    benefit = next(result for result in results if result.criterion.key == "benefit")
    assert not benefit.passed and "triad meetings" in benefit.missing
