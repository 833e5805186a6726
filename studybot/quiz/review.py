"""Spaced repetition for missed questions, with the well-kept ``fsrs`` package.

A question a member gets wrong (daily, practice or review) enters their queue due in about a
day; each later review is rated Good (right) or Again (wrong) and FSRS spaces the next one.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import NamedTuple

from fsrs import Card, Rating, Scheduler

# Daily study, not flash-card drilling: the first look-again is the next day, not in minutes.
SCHEDULER = Scheduler(
    learning_steps=(timedelta(hours=20),),
    relearning_steps=(timedelta(hours=20),),
    enable_fuzzing=False,
)


class Scheduled(NamedTuple):
    card: dict
    due: datetime
    lapses: int


def after_answer(card_json: str | None, lapses: int, correct: bool, now: datetime) -> Scheduled | None:
    """The member's new card after an answer; None when a right answer needs no queue entry."""
    if card_json is None:
        if correct:
            return None
        # an explicit id: without one fsrs sleeps 1 ms (to make ids unique), blocking the event loop
        card = Card(card_id=int(now.timestamp() * 1_000_000), due=now)
    else:
        card = Card.from_dict(json.loads(card_json))
    card, _ = SCHEDULER.review_card(card, Rating.Good if correct else Rating.Again, now)
    return Scheduled(dict(card.to_dict()), card.due, lapses + (0 if correct else 1))
