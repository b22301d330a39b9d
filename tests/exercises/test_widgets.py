"""Drive every kind of exercise widget: right, wrong and odd answers, show answer, retry."""

from __future__ import annotations

from peaceops.bank import Criterion, Question
from peaceops.exercises.widgets import (
    ChoiceExercise,
    EntryExercise,
    MatchingExercise,
    OrderingExercise,
    Scoreboard,
    exercise_for,
)


def q(**fields) -> Question:
    base = {"id": "t-1", "chapter": "book/x", "objective": 1, "prompt": "Which?",
            "explanation": "Because the Charter says so."}  # fmt: skip
    return Question(**{**base, **fields})


SINGLE = q(
    id="t-single",
    type="single",
    options=("Article 51", "Article 53(1)", "Article 54"),
    answer="Article 53(1)",
    feedback={"Article 51": "That is self-defence.", "Article 54": "That is reporting."},
)
MULTIPLE = q(
    id="t-multiple",
    type="multiple",
    options=("NATO", "AU", "SCO"),
    answer=["NATO", "AU"],
    feedback={"NATO": "Led IFOR.", "AU": "Led AMISOM.", "SCO": "Never deployed one."},
)
MATCHING = q(
    id="t-matching",
    type="matching",
    pairs={"IFOR": "NATO", "AMISOM": "AU", "Concordia": "EU"},
)
ORDERING = q(id="t-ordering", type="ordering", items=("UNTSO", "UNEF I", "IFOR", "KFOR"))
NUMERIC = q(id="t-numeric", type="numeric", answer=32.0, tolerance=0.0, unit="members")
DATE = q(id="t-date", type="date", answer="1999-06-10", tolerance=0.0)


def text(widget) -> str:
    return widget.feedback.value


def test_single_choice_right_wrong_and_empty() -> None:
    board = Scoreboard()
    ex = exercise_for(SINGLE, board)
    assert isinstance(ex, ChoiceExercise)
    ex.check_button.click()
    assert "choose one of the options" in text(ex) and board.score == 0
    ex.choice.value = "Article 51"
    ex.check_button.click()
    assert "Not quite" in text(ex) and "self-defence" in text(ex)
    ex.retry_button.click()
    assert text(ex) == "" and ex.choice.value is None
    ex.choice.value = "Article 53(1)"
    ex.check_button.click()
    assert "Right." in text(ex) and "Charter says so" in text(ex)
    assert board.score == 1 and board.first_try_score == 0
    assert "Score: 1 / 1" in board.value


def test_multiple_choice_explains_each_wrong_tick() -> None:
    ex = exercise_for(MULTIPLE)
    ex.check_button.click()
    assert "at least one" in text(ex)
    for box in ex.boxes:
        box.value = box.description in ("NATO", "SCO")
    ex.check_button.click()
    assert "Never deployed one" in text(ex) and "One right option is not ticked yet" in text(ex)
    assert "Led AMISOM" not in text(ex) and "Led IFOR" not in text(ex)  # keys not given away
    for box in ex.boxes:
        box.value = box.description in ("NATO", "AU")
    assert ex.check() is True


def test_matching() -> None:
    ex = exercise_for(MATCHING)
    assert isinstance(ex, MatchingExercise)
    ex.check_button.click()
    assert "match every item" in text(ex)
    for left, select in ex.selects.items():
        select.value = {"IFOR": "AU", "AMISOM": "NATO", "Concordia": "EU"}[left]
    ex.check_button.click()
    assert "2 of 3 pairs are wrong" in text(ex)
    for left, select in ex.selects.items():
        select.value = MATCHING.pairs[left]
    ex.check_button.click()
    assert "Right." in text(ex)


def test_ordering() -> None:
    ex = exercise_for(ORDERING)
    assert isinstance(ex, OrderingExercise)
    ex.check_button.click()
    assert "position number" in text(ex)
    for select in ex.positions.values():
        select.value = 1
    ex.check_button.click()
    assert "only once" in text(ex)
    right = list(ORDERING.items)
    for item, select in ex.positions.items():
        select.value = len(right) - right.index(item)
    ex.check_button.click()
    assert "out of place" in text(ex)
    for item, select in ex.positions.items():
        select.value = right.index(item) + 1
    ex.check_button.click()
    assert "Right." in text(ex)


def test_numeric_entry_accepts_kind_input_and_rejects_text() -> None:
    ex = exercise_for(NUMERIC)
    assert isinstance(ex, EntryExercise)
    ex.entry.value = "thirty-two"
    ex.check_button.click()
    assert "is not a number" in text(ex) and "Traceback" not in text(ex)
    ex.entry.value = "31"
    ex.check_button.click()
    assert "Too low" in text(ex)
    ex.entry.value = " 32 "
    ex.check_button.click()
    assert "Right." in text(ex)


def test_date_entry_with_tolerance() -> None:
    ex = exercise_for(DATE)
    ex.entry.value = "10 June 1999"
    ex.check_button.click()
    assert "not a date" in text(ex) and "YYYY-MM-DD" in text(ex)
    ex.entry.value = "1999-06-12"
    ex.check_button.click()
    assert "2 days too late" in text(ex)
    lenient = exercise_for(q(id="t-date2", type="date", answer="1999-06-10", tolerance=3.0))
    lenient.entry.value = "1999-06-12"
    assert lenient.check() is True


def test_show_answer_reveals_and_stops_scoring() -> None:
    board = Scoreboard()
    ex = exercise_for(SINGLE, board)
    ex.answer_button.click()
    assert "Answer:" in text(ex) and "Article 53(1)" in text(ex)
    ex.choice.value = "Article 53(1)"
    ex.check_button.click()
    assert board.score == 0 and "1 answers shown" in board.value


def test_scoreboard_counts_first_tries_across_a_notebook() -> None:
    board = Scoreboard()
    first = exercise_for(SINGLE, board)
    second = exercise_for(NUMERIC, board)
    first.choice.value = "Article 53(1)"
    first.check()
    second.entry.value = "30"
    second.check()
    second.entry.value = "32"
    second.check()
    assert (board.score, board.first_try_score, board.total) == (2, 1, 2)


def test_data_exploration_filters_update_the_view_and_check_the_count() -> None:
    from peaceops import data
    from peaceops.exercises.widgets import DataExercise
    from peaceops.exercises.widgets.explore import matching_rows

    question = q(id="t-data", type="data", table="operations", where={"lead": "EU"},
                 years=(2003, 2010))  # fmt: skip
    ex = exercise_for(question)
    assert isinstance(ex, DataExercise)
    everything = len(data.load_all()["operations"])
    assert len(ex.selected()) == everything
    ex.category.value = "EU"
    ex.years.value = (2003, 2010)
    right = len(matching_rows(question))
    assert len(ex.selected()) == right > 0
    assert f"{right} rows selected" in ex.summary.value
    assert ex.table_view.value.count("</tr>") == min(right, 12) + 1
    assert bytes(ex.chart.value).startswith(b"\x89PNG")
    ex.check_button.click()
    assert "type the number" in text(ex)
    ex.entry.value = "many"
    ex.check_button.click()
    assert "is not a number" in text(ex)
    ex.entry.value = str(right + 1)
    ex.check_button.click()
    assert "Too high" in text(ex)
    ex.entry.value = str(right)
    ex.check_button.click()
    assert "Right." in text(ex)
    ex.answer_button.click()
    assert f"{right} (lead = EU, 2003-2010)" in text(ex)


def test_a_written_answer_shows_the_mark_scheme_and_is_not_scored() -> None:
    scoreboard = Scoreboard()
    scheme = (Criterion(2, "Names resolution 1244."), Criterion(1, "Uses Article 51."))
    essay = q(id="t-written", type="written", mark_scheme=scheme,
              explanation="Resolution 1244 gave KFOR its basis.")  # fmt: skip
    exercise = exercise_for(essay, scoreboard)
    assert scoreboard.total == 0
    assert not exercise.check()
    assert "write your answer" in text(exercise)
    exercise.text.value = "KFOR rested on resolution 1244 (1999)."
    assert exercise.check()
    assert "Mark scheme (3 points)" in text(exercise) and "Names resolution 1244." in text(exercise)
    assert "6-word answer" in text(exercise)
    exercise.show_answer()
    assert "Resolution 1244 gave KFOR its basis." in text(exercise)
    assert scoreboard.score == 0 and scoreboard.total == 0
