"""Items without cues: the checks catch each cue, and the bank and the pool have none."""

from __future__ import annotations

from conftest import ROOT

from peaceops import bank
from peaceops.bank import Question
from peaceops.bank.cues import cues


def single(qid: str, key: str, others: list[str]) -> Question:
    return Question(id=qid, chapter="c", objective=1, type="single", prompt="?",
                    explanation=".", options=(key, *others), answer=key)  # fmt: skip


def multiple(qid: str, keys: list[str], others: list[str]) -> Question:
    return Question(id=qid, chapter="c", objective=1, type="multiple", prompt="?",
                    explanation=".", options=(*keys, *others), answer=keys)  # fmt: skip


def test_a_key_that_is_always_the_longest_option_is_reported() -> None:
    long_keys = [single(f"q{n}", "the long and careful right answer", ["short", "brief"])
                 for n in range(4)]  # fmt: skip
    fair = [single(f"f{n}", "right", ["a much longer wrong option", "wrong"]) for n in range(8)]
    assert [str(c) for c in cues(long_keys + fair[:4], "set")][0].startswith(
        "-: set: the key is the longest option in 4 of 8"
    )
    assert cues(long_keys + fair, "set") == []  # 4 of 12: a third at most


def test_multiple_choice_items_must_vary_their_number_of_keys() -> None:
    threes = [multiple(f"m{n}", ["a", "b", "c"], ["d", "e"]) for n in range(5)]
    [cue] = cues(threes, "set")
    assert "5 of 5 multiple-choice items have exactly 3 right options" in cue.message
    varied = threes[:2] + [multiple("m8", ["a"], ["b", "c", "d"]),
                           multiple("m9", ["a", "b"], ["c", "d"])]  # fmt: skip
    assert cues(varied, "set") == []


def test_most_dates_must_not_demand_the_exact_day() -> None:
    def date(qid: str, precision: str = "day", tolerance: float = 0) -> Question:
        return Question(id=qid, chapter="c", objective=1, type="date", prompt="?",
                        explanation=".", answer="1999-06-10", precision=precision,
                        tolerance=tolerance)  # fmt: skip

    [cue] = cues([date("d1"), date("d2"), date("d3", "year")], "set")
    assert "2 of 3 date items demand the exact day" in cue.message
    assert cues([date("d1"), date("d2", tolerance=3), date("d3", "month")], "set") == []


def test_a_date_is_judged_to_its_precision() -> None:
    import datetime as dt

    from peaceops.bank.dates import judge_date

    year = Question(id="y", chapter="c", objective=1, type="date", prompt="?",
                    explanation=".", answer="1999-06-10", precision="year")  # fmt: skip
    assert judge_date(year, dt.date(1999, 1, 1)) == (True, "")
    assert judge_date(year, dt.date(2001, 6, 10)) == (False, "That is 2 years too late.")
    month = Question(**{**year.__dict__, "precision": "month"})
    assert judge_date(month, dt.date(1999, 6, 30))[0]
    assert judge_date(month, dt.date(1999, 5, 30)) == (False, "That is 1 month too early.")


def test_an_option_that_points_at_the_others_is_reported() -> None:
    [cue] = cues([single("q1", "All of the above", ["a longer first option", "y"])], "set")
    assert cue.question == "q1" and "points at the other options" in cue.message


def test_the_practice_bank_and_the_sample_pool_have_no_cues() -> None:
    practice = bank.load_bank()
    pool = bank.load_pool([ROOT / "questions" / "assessment"], ROOT, {q.id for q in practice})
    found = cues(practice, "practice bank") + cues(pool, "assessment pool")
    assert found == [], "\n".join(str(c) for c in found)


def test_every_question_names_its_level_and_use() -> None:
    practice = bank.load_bank()
    pool = bank.load_pool([ROOT / "questions" / "assessment"], ROOT, {q.id for q in practice})
    assert {q.use for q in practice} == {"practice"}
    assert {q.use for q in pool} == {"assessment"}
    assert [q.id for q in practice + pool if not q.level] == []


def test_options_that_do_not_read_as_answers_to_the_stem_are_reported() -> None:
    q = Question(id="q1", chapter="c", objective=1, type="single",
                 prompt="The force was deployed by an", explanation=".",
                 options=("alliance", "regional body", "Alliance"), answer="alliance")  # fmt: skip
    messages = [c.message for c in cues([q], "set")]
    assert any("stem ends in 'an', which option 'regional body'" in m for m in messages)
    assert any("'Alliance' appears twice" in m for m in messages)
    assert not any("option 'alliance' does not" in m for m in messages)


def test_a_key_that_echoes_the_stem_too_often_is_reported() -> None:
    echo = [single(f"e{n}", "a mandate from the council", ["a treaty", "a summit"])
            for n in range(2)]  # fmt: skip
    for q in echo:
        object.__setattr__(q, "prompt", "Which council gave the mandate?")
    fair = [single(f"f{n}", "right", ["a longer wrong option", "wrong"]) for n in range(5)]
    [cue] = cues(echo + fair, "set")
    assert "a key repeats a word of the stem" in cue.message and "e0, e1" in cue.message
    assert cues(echo[:1] + fair, "set") == []  # 1 of 6: under a quarter


def test_absolute_words_only_in_the_distractors_are_reported() -> None:
    absolute = [single(f"a{n}", "usually the host", ["always the council", "never anyone"])
                for n in range(3)]  # fmt: skip
    fair = [single(f"f{n}", "right", ["a longer wrong option", "wrong"]) for n in range(6)]
    [cue] = cues(absolute + fair, "set")
    assert "only the distractors use absolute words" in cue.message and "3 of 9" in cue.message
    assert cues(absolute[:2] + fair, "set") == []  # 2 of 8: a quarter at most
