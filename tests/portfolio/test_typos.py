"""The typo rule for a client's words: where a correction ends and a rewrite begins."""

import pytest

from portfolio.typos import MAX_CHARACTERS_PER_WORD, MAX_WORDS_CORRECTED, typo_fix_problem

ORIGINAL = "I would recomend the the clinic to anyone, they took alot of care with my hairline."


@pytest.mark.parametrize(
    "edited",
    [
        ORIGINAL,
        # one letter added
        "I would recommend the the clinic to anyone, they took alot of care with my hairline.",
        # a word typed twice loses its copy
        "I would recomend the clinic to anyone, they took alot of care with my hairline.",
        # a word split in two
        "I would recomend the the clinic to anyone, they took a lot of care with my hairline.",
        # a capital and a full stop count as characters, like any other
        "I would recomend the the clinic to anyone. They took alot of care with my hairline.",
        # spaces and line breaks between words are not words
        "I would recomend the the clinic to anyone,\n\nthey took alot  of care with my hairline.",
    ],
    ids=["unchanged", "letter-added", "doubled-word", "split-word", "punctuation", "spacing"],
)
def test_a_typo_fix_is_accepted(edited):
    assert typo_fix_problem(ORIGINAL, edited) is None


def test_two_letters_swapped_in_a_word_are_a_typo_fix():
    assert typo_fix_problem("The resluts are great", "The results are great") is None


def test_a_word_may_change_by_up_to_two_characters():
    assert MAX_CHARACTERS_PER_WORD == 2
    assert typo_fix_problem("It was wonderfl", "It was wonderful") is None  # one
    assert typo_fix_problem("It was wondrfl", "It was wonderful") is None  # two


def test_a_word_changed_by_three_characters_is_a_different_word():
    problem = typo_fix_problem("It was wndrfl", "It was wonderful")
    assert problem == "“wndrfl” becomes “wonderful”, a different word."


def test_a_word_swapped_for_another_is_refused():
    problem = typo_fix_problem("The result is good", "The result is great")
    assert problem == "“good” becomes “great”, a different word."


def test_three_words_may_be_corrected():
    assert MAX_WORDS_CORRECTED == 3
    original = "Teh staff wre kind adn patient."
    assert typo_fix_problem(original, "The staff were kind and patient.") is None


def test_a_fourth_corrected_word_is_more_than_a_typo_fix():
    original = "Teh staff wre kind adn patiant."
    problem = typo_fix_problem(original, "The staff were kind and patient.")
    assert problem == "4 words are changed; a typo fix corrects at most 3 words."


def test_a_dropped_doubled_word_counts_as_a_correction():
    original = "Teh staff wre kind and and patient."
    assert typo_fix_problem(original, "The staff were kind and patient.") is None
    problem = typo_fix_problem(original + " Thnks", "The staff were kind and patient. Thanks")
    assert problem == "4 words are changed; a typo fix corrects at most 3 words."


def test_adding_a_word_is_refused_however_short():
    problem = typo_fix_problem("I would go back", "I would not go back")
    assert problem == "“not” adds words the client did not write."


def test_adding_a_word_beside_a_correction_is_refused():
    problem = typo_fix_problem("I would recomend them", "I would not recommend them")
    assert problem == "“recomend” becomes “not recommend”, different words."


def test_removing_a_word_is_refused():
    problem = typo_fix_problem("It hurt a little at first", "It hurt at first")
    assert problem == "“a little” removes words the client wrote."


def test_a_one_letter_change_that_changes_the_meaning_passes_the_rule():
    """The rule's limit, stated: the admin shows the change beside the original for staff."""
    assert typo_fix_problem("I would now go anywhere else", "I would not go anywhere else") is None
