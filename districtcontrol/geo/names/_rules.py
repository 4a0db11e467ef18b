"""The thresholds of name resolution and the small decisions built on them (one place to review them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from districtcontrol.geo.names._normalise import _digits, clean_typography

if TYPE_CHECKING:
    from districtcontrol.geo.names._records import _Entry


FUZZY_MIN_SCORE = 85.0
FUZZY_MIN_MARGIN = 5.0
# A candidate in the given province at least this close turns an exact name elsewhere into an error.
PLAUSIBLE_SCORE = 75.0
# A fuzzy score elsewhere at least this high counts as a near-exact name in another province.
NEAR_EXACT_SCORE = 95.0
# A part of a name that points elsewhere this strongly contradicts the part that matched.
CONTRADICTING_SCORE = 90.0
# Points taken from a candidate whose numbers (Kohistan 1, Yakawlang No 2) differ from the query's.
NUMBER_MISMATCH_PENALTY = 30.0
# Phonetic keys shorter than this match too many names to decide anything alone (within a province: 2).
MIN_SKELETON = 3
MIN_SKELETON_IN_PROVINCE = 2
# The words a partial name shares with a district must have at least this many letters.
MIN_PARTIAL_LETTERS = 5
# A refused name this long is suggested the districts whose name (or a word of it) starts with it.
MIN_PREFIX_LETTERS = 3


def _combined_score(key: str, skeleton: str, entry: _Entry, key_score: float) -> float:
    """The key's fuzzy score, raised halfway towards the phonetic key's score; numbers must agree."""
    score = max(key_score, (key_score + fuzz.ratio(skeleton, entry.skeleton)) / 2)
    if _digits(key) != _digits(entry.key):
        score -= NUMBER_MISMATCH_PENALTY
    return score


def _exact_or_normalised(query: str, name: str) -> str:
    return "exact" if clean_typography(query).casefold() == clean_typography(name).casefold() else "normalised"


def _confident(scores: list[float]) -> bool:
    """A best score high enough, and clearly ahead of the next candidate."""
    if not scores or scores[0] < FUZZY_MIN_SCORE:
        return False
    return len(scores) == 1 or scores[0] - scores[1] >= FUZZY_MIN_MARGIN


def _is_partial(query: dict[str, int], words: frozenset[str]) -> bool:
    """The query's words are some of the name's words (Murghab / Bala Murghab), with enough letters.

    Never the other way round: extra words may name another unit (Laja Mangal is not Mangal).
    """
    asked = set(query)
    if not asked < words:
        return False
    return sum(query[w] for w in asked if not w.isdecimal()) >= MIN_PARTIAL_LETTERS
