"""The fields of each wheel element, one module per element, keyed by the wheel's ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from views.steps.s0_strategy import StrategyStep
from views.steps.s1_process import ProcessStep
from views.steps.s2_form import FormStep
from views.steps.s3_preparation import PreparationStep
from views.steps.s4_dialogue import DialogueStep
from views.steps.s5_feedback import FeedbackStep
from views.steps.s6_goals import GoalsStep
from views.steps.s7_evaluation import EvaluationStep
from views.steps.s8_follow_up import FollowUpStep

STEP_BODIES: dict[str, Callable[[], Any]] = {
    "strategy": StrategyStep,
    "process": ProcessStep,
    "form": FormStep,
    "preparation": PreparationStep,
    "dialogue": DialogueStep,
    "feedback": FeedbackStep,
    "goals": GoalsStep,
    "evaluation": EvaluationStep,
    "follow_up": FollowUpStep,
}
