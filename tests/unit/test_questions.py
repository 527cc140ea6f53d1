"""The question bank's content and the pure edits of the user's form."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mus import question_bank, questions
from mus.model import ConversationForm, OwnQuestion, Party
from mus.questions import (
    QUESTIONS,
    THEMES,
    ThemeLevel,
    add_own_question,
    add_question,
    default_form,
    edit_own_question,
    entries,
    find_question,
    mini_mus_questions,
    move_down,
    move_to,
    move_up,
    next_own_id,
    question,
    questions_by_theme,
    remove_question,
    theme,
    themes,
)

BASIC = ("since_last", "coming_year", "wellbeing", "cooperation", "feedback", "skills")
OPTIONAL = ("mobility", "career", "balance", "innovation")


# ---------------------------------------------------------------- the bank


def test_the_bank_holds_every_question_of_the_shared_list() -> None:
    assert len(QUESTIONS) >= 46
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)


def test_every_question_has_both_languages_and_is_a_question() -> None:
    for q in QUESTIONS:
        assert q.da.strip().endswith("?"), q.id
        assert q.en.strip().endswith("?"), q.id
        assert q.text("da") == q.da
        assert q.text("en") == q.en
        assert q.text("xx") == q.da  # unknown language falls back to Danish


def test_every_question_belongs_to_a_known_theme_and_every_theme_has_questions() -> None:
    theme_ids = {t.id for t in THEMES}
    assert {q.theme_id for q in QUESTIONS} == theme_ids
    assert len(theme_ids) == len(THEMES)


def test_themes_are_basic_or_optional_as_in_the_flexible_concept() -> None:
    assert {t.id for t in themes(ThemeLevel.OPTIONAL)} == set(OPTIONAL)
    assert set(BASIC) <= {t.id for t in themes(ThemeLevel.BASIC)}
    assert themes() == THEMES
    assert theme("career").name("en") == "Talent and career"
    assert theme("career").name("da") == "Talent og karriere"


def test_sensitive_questions_are_the_private_life_ones() -> None:
    assert {q.id for q in QUESTIONS if q.sensitive} == {"C5", "H3"}


def test_lookup_by_id() -> None:
    assert question("A1").theme_id == "since_last"
    assert find_question("nope") is None
    with pytest.raises(KeyError):
        question("nope")
    with pytest.raises(KeyError):
        theme("nope")


def test_questions_by_theme_keeps_bank_order_and_filters_by_audience() -> None:
    ids = [q.id for q in questions_by_theme("feedback")]
    assert ids == ["E1", "E2", "E3", "E4", "E5"]
    assert [q.id for q in questions_by_theme("feedback", Party.LEADER)] == ["E2", "E3"]
    assert "E2" not in [q.id for q in questions_by_theme("feedback", Party.EMPLOYEE)]
    assert questions_by_theme("nope") == ()


def test_a_both_question_suits_everyone_and_a_leader_question_only_the_leader() -> None:
    assert question("A1").suits(Party.EMPLOYEE)
    assert question("A1").suits(Party.LEADER)
    assert question("B6").suits(Party.LEADER)
    assert not question("B6").suits(Party.EMPLOYEE)


def test_mini_mus_questions_exist_in_order() -> None:
    assert [q.id for q in mini_mus_questions()] == list(question_bank.MINI_MUS)


# ---------------------------------------------------------------- default form


@pytest.mark.parametrize("audience", list(Party))
def test_default_form_uses_known_questions_that_suit_its_audience(audience: Party) -> None:
    form = default_form(audience)
    assert form.question_ids
    assert len(set(form.question_ids)) == len(form.question_ids)
    for qid in form.question_ids:
        q = question(qid)
        assert audience is Party.BOTH or q.suits(audience), qid
    assert form.own_questions == ()


def test_default_form_covers_every_basic_theme_for_the_employee() -> None:
    covered = {question(qid).theme_id for qid in default_form().question_ids}
    assert set(BASIC) <= covered


def test_a_first_conversation_skips_questions_about_a_last_plan() -> None:
    assert "A5" in default_form().question_ids
    assert "A5" not in default_form(first_conversation=True).question_ids


# ---------------------------------------------------------------- editing the form


def test_add_question_appends_once() -> None:
    form = add_question(ConversationForm(), "A1")
    form = add_question(form, "B1")
    assert add_question(form, "A1") is form
    assert form.question_ids == ("A1", "B1")
    with pytest.raises(KeyError):
        add_question(form, "nope")


def test_own_questions_get_fresh_ids_and_trimmed_text() -> None:
    form = add_own_question(ConversationForm(question_ids=("A1",)), "  Min egen?  ")
    form = add_own_question(form, "Og en til?")
    assert form.question_ids == ("A1", "own-1", "own-2")
    assert form.own_questions == (
        OwnQuestion("own-1", "Min egen?"),
        OwnQuestion("own-2", "Og en til?"),
    )


def test_removing_an_earlier_own_question_does_not_reuse_a_later_id() -> None:
    form = add_own_question(add_own_question(ConversationForm(), "a"), "b")
    form = remove_question(form, "own-1")
    assert next_own_id(form) == "own-3"


def test_edit_own_question_changes_only_that_one() -> None:
    form = add_own_question(add_own_question(ConversationForm(), "a"), "b")
    form = edit_own_question(form, "own-2", " c ")
    assert [q.text for q in form.own_questions] == ["a", "c"]
    assert edit_own_question(form, "nope", "x") == form


def test_remove_question_forgets_an_own_question_entirely() -> None:
    form = add_own_question(ConversationForm(question_ids=("A1",)), "mine")
    form = remove_question(form, "own-1")
    assert form == ConversationForm(question_ids=("A1",))
    assert remove_question(form, "nope") == form


def test_move_up_and_down_stop_at_the_edges() -> None:
    form = ConversationForm(question_ids=("A1", "B1", "C1"))
    assert move_up(form, "B1").question_ids == ("B1", "A1", "C1")
    assert move_down(form, "B1").question_ids == ("A1", "C1", "B1")
    assert move_up(form, "A1").question_ids == form.question_ids
    assert move_down(form, "C1").question_ids == form.question_ids
    assert move_up(form, "nope") is form
    assert move_down(form, "nope") is form
    assert move_to(form, "nope", 0) is form


def test_move_to_clamps_the_index() -> None:
    form = ConversationForm(question_ids=("A1", "B1", "C1"))
    assert move_to(form, "A1", 99).question_ids == ("B1", "C1", "A1")
    assert move_to(form, "C1", -5).question_ids == ("C1", "A1", "B1")


def test_entries_resolve_bank_and_own_questions_in_order() -> None:
    form = add_own_question(ConversationForm(question_ids=("C5", "gone")), "Min?")
    rows = entries(form)
    assert [r.id for r in rows] == ["C5", "own-1"]
    bank, own = rows
    assert bank.sensitive
    assert not bank.own
    assert bank.theme_id == "wellbeing"
    assert bank.text("en") == question("C5").en
    assert own.own
    assert own.text("da") == own.text("en") == "Min?"


# ---------------------------------------------------------------- properties

_ids = st.lists(st.sampled_from([q.id for q in QUESTIONS]), unique=True, max_size=12)
_ops = st.lists(
    st.tuples(st.sampled_from(["up", "down", "to"]), st.integers(0, 15), st.integers(-3, 20)),
    max_size=20,
)


@given(_ids, _ops)
def test_reordering_keeps_the_same_questions(
    ids: list[str], ops: list[tuple[str, int, int]]
) -> None:
    form = ConversationForm(question_ids=tuple(ids))
    for op, which, index in ops:
        if not ids:
            break
        qid = ids[which % len(ids)]
        if op == "up":
            form = move_up(form, qid)
        elif op == "down":
            form = move_down(form, qid)
        else:
            form = move_to(form, qid, index)
    assert Counter(form.question_ids) == Counter(ids)


@given(_ids, st.integers(0, 11))
def test_down_then_up_is_identity_away_from_the_end(ids: list[str], which: int) -> None:
    if len(ids) < 2:
        return
    qid = ids[which % (len(ids) - 1)]  # never the last one
    form = ConversationForm(question_ids=tuple(ids))
    assert move_up(move_down(form, qid), qid) == form


@given(st.lists(st.text(max_size=5), max_size=8), st.data())
def test_own_question_ids_stay_unique_under_adds_and_removes(
    texts: list[str], data: st.DataObject
) -> None:
    form = ConversationForm()
    for text in texts:
        form = add_own_question(form, text)
        remove: bool = data.draw(st.booleans())
        if form.own_questions and remove:
            victim = data.draw(st.sampled_from([q.id for q in form.own_questions]))
            form = remove_question(form, victim)
        ids = [q.id for q in form.own_questions]
        assert len(set(ids)) == len(ids)
        assert set(ids) <= set(form.question_ids)


def test_module_exposes_no_mutable_lookup() -> None:
    with pytest.raises(TypeError):
        questions._QUESTIONS["X"] = question("A1")  # type: ignore[index]
