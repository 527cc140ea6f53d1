"""The question bank and the user's own form (samtaleskema).

The bank's content lives in :mod:`mus.question_bank`; here it becomes typed,
read-only values, and the form is edited by pure functions that return a new
:class:`~mus.model.ConversationForm`, so undo and storage stay trivial.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from types import MappingProxyType

from mus import question_bank
from mus.model import ConversationForm, OwnQuestion, Party

OWN_PREFIX = "own-"


class ThemeLevel(enum.StrEnum):
    """The flexible MUS concept's basic topics and the optional ones (tilvalg)."""

    BASIC = "basic"
    OPTIONAL = "optional"


@dataclass(frozen=True, slots=True)
class Theme:
    """A group of questions, named in both languages."""

    id: str
    level: ThemeLevel
    da: str
    en: str

    def name(self, language: str) -> str:
        return self.en if language == "en" else self.da


@dataclass(frozen=True, slots=True)
class Question:
    """A bank question; ``sensitive`` means the UI shows a privacy hint with it."""

    id: str
    theme_id: str
    audience: Party
    sensitive: bool
    da: str
    en: str

    def text(self, language: str) -> str:
        return self.en if language == "en" else self.da

    def suits(self, audience: Party) -> bool:
        """Whether the question belongs in ``audience``'s preparation."""
        return self.audience is Party.BOTH or self.audience is audience


@dataclass(frozen=True, slots=True)
class FormEntry:
    """One row of a form, bank or own, resolved for display."""

    id: str
    da: str
    en: str
    theme_id: str | None  # None for an own question
    sensitive: bool = False

    @property
    def own(self) -> bool:
        return self.theme_id is None

    def text(self, language: str) -> str:
        return self.en if language == "en" else self.da


THEMES: tuple[Theme, ...] = tuple(
    Theme(tid, ThemeLevel(level), da, en) for tid, level, da, en in question_bank.THEMES
)
QUESTIONS: tuple[Question, ...] = tuple(
    Question(qid, theme_id, Party(audience), sensitive, da, en)
    for qid, theme_id, audience, sensitive, da, en in question_bank.QUESTIONS
)
_THEMES = MappingProxyType({t.id: t for t in THEMES})
_QUESTIONS = MappingProxyType({q.id: q for q in QUESTIONS})
_DEFAULTS = MappingProxyType({Party(a): ids for a, ids in question_bank.DEFAULT_FORMS})
_LOOKING_BACK = frozenset({"A5", "A6"})  # need a previous plan to make sense


# ---------------------------------------------------------------- the bank


def theme(theme_id: str) -> Theme:
    """The theme with this id; ``KeyError`` for an unknown one."""
    return _THEMES[theme_id]


def themes(level: ThemeLevel | None = None) -> tuple[Theme, ...]:
    """All themes in display order, or those of one level."""
    return tuple(t for t in THEMES if level is None or t.level is level)


def question(question_id: str) -> Question:
    """The bank question with this id; ``KeyError`` for an unknown one."""
    return _QUESTIONS[question_id]


def find_question(question_id: str) -> Question | None:
    return _QUESTIONS.get(question_id)


def questions_by_theme(theme_id: str, audience: Party | None = None) -> tuple[Question, ...]:
    """A theme's questions in bank order, optionally only those suiting ``audience``."""
    return tuple(
        q for q in QUESTIONS if q.theme_id == theme_id and (audience is None or q.suits(audience))
    )


def mini_mus_questions() -> tuple[Question, ...]:
    """The few questions of the half-yearly mini-MUS."""
    return tuple(_QUESTIONS[qid] for qid in question_bank.MINI_MUS)


def default_form(
    audience: Party = Party.EMPLOYEE, *, first_conversation: bool = False
) -> ConversationForm:
    """A sensible starting form; a first conversation skips questions about a last plan."""
    ids = _DEFAULTS[audience]
    if first_conversation:
        ids = tuple(i for i in ids if i not in _LOOKING_BACK)
    return ConversationForm(question_ids=ids)


# ---------------------------------------------------------------- the form


def entries(form: ConversationForm) -> tuple[FormEntry, ...]:
    """The form's questions resolved for display, in order; unknown ids are skipped."""
    rows: list[FormEntry] = []
    for qid in form.question_ids:
        if (q := _QUESTIONS.get(qid)) is not None:
            rows.append(FormEntry(q.id, q.da, q.en, q.theme_id, q.sensitive))
        elif (own := form.own(qid)) is not None:
            rows.append(FormEntry(own.id, own.text, own.text, None))
    return tuple(rows)


def add_question(form: ConversationForm, question_id: str) -> ConversationForm:
    """Append a bank question; a question already in the form stays where it is."""
    question(question_id)  # KeyError for an unknown id: a programming error
    if question_id in form.question_ids:
        return form
    return replace(form, question_ids=(*form.question_ids, question_id))


def next_own_id(form: ConversationForm) -> str:
    """A fresh own-question id: ``own-`` and one more than the highest in use.

    A removed last question's number can come back, so removing an own question
    from a record goes through ``mus.plans.drop_question``, which forgets its notes.
    """
    used = [
        int(q.id.removeprefix(OWN_PREFIX))
        for q in form.own_questions
        if q.id.removeprefix(OWN_PREFIX).isdigit()
    ]
    return f"{OWN_PREFIX}{max(used, default=0) + 1}"


def add_own_question(form: ConversationForm, text: str) -> ConversationForm:
    """Append an own question; its id is the form's last ``question_ids`` entry."""
    own = OwnQuestion(next_own_id(form), text.strip())
    return replace(
        form,
        question_ids=(*form.question_ids, own.id),
        own_questions=(*form.own_questions, own),
    )


def edit_own_question(form: ConversationForm, question_id: str, text: str) -> ConversationForm:
    """Change an own question's wording; unknown ids leave the form as it is."""
    return replace(
        form,
        own_questions=tuple(
            replace(q, text=text.strip()) if q.id == question_id else q for q in form.own_questions
        ),
    )


def remove_question(form: ConversationForm, question_id: str) -> ConversationForm:
    """Drop a question (an own one is forgotten entirely)."""
    return replace(
        form,
        question_ids=tuple(i for i in form.question_ids if i != question_id),
        own_questions=tuple(q for q in form.own_questions if q.id != question_id),
    )


def move_to(form: ConversationForm, question_id: str, index: int) -> ConversationForm:
    """Move a question to ``index`` (clamped to the form); unknown ids are a no-op."""
    ids = list(form.question_ids)
    if question_id not in ids:
        return form
    ids.remove(question_id)
    ids.insert(max(0, min(index, len(ids))), question_id)
    return replace(form, question_ids=tuple(ids))


def move_up(form: ConversationForm, question_id: str) -> ConversationForm:
    """One place earlier; the first question stays first."""
    if question_id not in form.question_ids:
        return form
    return move_to(form, question_id, form.question_ids.index(question_id) - 1)


def move_down(form: ConversationForm, question_id: str) -> ConversationForm:
    """One place later; the last question stays last."""
    if question_id not in form.question_ids:
        return form
    return move_to(form, question_id, form.question_ids.index(question_id) + 1)
