"""Names reduced to keys that ignore spelling noise: typography, letters, connectors, synonyms, vowels."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

# -- typography -------------------------------------------------------------------------------

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_QUOTES = '\u2018\u2019\u201a\u201b\u2032\u02bc\u02bb\u00b4`\u201c\u201d\u201e\u2033"'
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u0640"
_TYPOGRAPHY = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_QUOTES, "'"), **dict.fromkeys(_INVISIBLE)})
# Arabic letter forms typed on Arabic keyboards, folded to the Persian ones the boundary file uses.
_ARABIC_FORMS = str.maketrans(
    {"ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ؤ": "و", "أ": "ا", "إ": "ا", "ٱ": "ا"}
)
_NUMBER_MARK = re.compile(r"\b(?:s\.\s?)?(?:no|nr|num|number)\b\.?\s*(?=\d)|#\s*(?=\d)")
_WORD_PIECES = re.compile(r"\d+|[^\W\d_]+")
_CONNECTORS = frozenset({"e", "i", "ye", "yi", "y", "ee", "ie"})
_DOUBLED = re.compile(r"(.)\1+")
_TRAILING_H = re.compile(r"(?<=[aeiou])h$")
# Transliteration variants folded to one letter: Jurm/Jorm, Kunduz/Kondoz, Qaisar/Qaysar, Faizabad/Fayzabad.
_VOWEL_FOLDS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ai", "ay"), ("ei", "ay"), ("o", "u"), ("e", "i"))
# Consonant spellings that Dari and Pashto transliterations mix up, folded for the phonetic key.
_CONSONANT_FOLDS = (
    ("dh", "z"),
    ("dj", "j"),
    ("zh", "j"),
    ("gh", "g"),
    ("kh", "x"),
    ("sh", "$"),
    ("ch", "c"),
    ("ph", "f"),
    ("q", "k"),
    ("ck", "k"),
    ("v", "w"),
)
# Words glued in spreadsheets: 'HeratCenter', 'DehSabz', 'awaliBehsud'.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_PART_SEPARATORS = re.compile(r"[()\[\]{}/\\,;|]|\b(?:or|aka|alias|formerly)\b", re.IGNORECASE)


def clean_typography(text: str) -> str:
    """Unicode dashes to '-', curly quotes to ', invisible marks removed, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return " ".join(text.split())


@dataclass(frozen=True)
class _Words:
    synonyms: dict[str, str]
    dropped: frozenset[str]
    centre: frozenset[str]


def name_words_path() -> Path:
    """The word list shipped with the package: synonyms, dropped words, provincial-centre words."""
    return Path(str(resources.files("districtcontrol.data").joinpath("name_words.csv")))


@lru_cache(maxsize=1)
def _words() -> _Words:
    synonyms: dict[str, str] = {}
    dropped, centre = set(), set()
    with open(name_words_path(), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            word = _fold_letters(row["word"])
            if row["kind"] == "synonym":
                synonyms[word] = row["means"]
            elif row["kind"] == "drop":
                dropped.add(word)
            elif row["kind"] == "centre":
                centre.add(word)
    return _Words(synonyms, frozenset(dropped), frozenset(centre))


def _fold_letters(text: str) -> str:
    text = unicodedata.normalize("NFKD", _CAMEL.sub(" ", clean_typography(text)))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return text.translate(_ARABIC_FORMS)


@lru_cache(maxsize=200_000)
def _tokens(name: str) -> tuple[str, ...]:
    """The words of a name: letters folded, connectors dropped, synonyms mapped (generic words kept)."""
    text = re.sub(r"['`]", "", _fold_letters(name))
    text = _NUMBER_MARK.sub(" ", text)
    synonyms = _words().synonyms
    pieces = (p for p in _WORD_PIECES.findall(text) if p not in _CONNECTORS)
    return tuple(synonyms.get(p, p) for p in pieces)


def _key_of(tokens: Iterable[str]) -> str:
    dropped = _words().dropped
    words, digits = [], []
    for token in tokens:
        if token.isdecimal():
            digits.append(str(int(token)))
        elif token not in dropped:
            words.append(_TRAILING_H.sub("", token))
    key = _DOUBLED.sub(r"\1", "".join(words))
    for variant, folded in _VOWEL_FOLDS:
        key = key.replace(variant, folded)
    return key + "".join(sorted(digits))


@lru_cache(maxsize=200_000)
def normalise(name: str) -> str:
    """Reduce a place name to a key that ignores spelling noise.

    Folds typography, case, diacritics and Arabic letter forms; drops apostrophes, generic
    words ("district"), the Persian connectors -e-, -i-, -ye- and wa/-o-, word-final h after a
    vowel (Darah/Dara), hyphens, spaces and punctuation, doubled letters (Teppa/Tepa); maps
    synonyms (Payin/Sufla, Bala/Ulya, Awal/1, Center/Markaz) and folds vowel spellings that
    transliterations mix up (o/u, e/i, ai/ay). Numbers go last, so Kohistan 1 and
    Hisa-e-Awal-e-Kohistan share a key.
    """
    return _key_of(_tokens(name))


@lru_cache(maxsize=200_000)
def phonetic_key(key: str) -> str:
    """A consonant skeleton of a normalised key: k/q, z/dh, j/dj/zh, w/v folded, vowels dropped.

    A leading vowel is kept as 'a' (Urgo/Argo share 'arg'); numbers stay at the end.
    """
    letters = key.rstrip("0123456789")
    digits = key[len(letters) :]
    for variant, folded in _CONSONANT_FOLDS:
        letters = letters.replace(variant, folded)
    if not letters:
        return digits
    head = "a" if letters[0] in "aeiouy" else letters[0]
    body = re.sub(r"(?<=[aeiouy])h", "", letters[1:])
    body = re.sub(r"[aeiouyw]", "", body)
    return _DOUBLED.sub(r"\1", head + body) + digits


@lru_cache(maxsize=200_000)
def _word_keys(text: str) -> dict[str, int]:
    """The phonetic key of each word of a name, with the number of letters of the word."""
    out = {}
    for token in _tokens(text):
        key = _key_of([token])
        if key:
            out[phonetic_key(key)] = len(key)
    return out


def _digits(key: str) -> str:
    return key[len(key.rstrip("0123456789")) :]


def _name_parts(text: str) -> list[str]:
    """The parts of a name written as alternatives: 'Yamgan (Girwan)', 'Nesay / Darwaz-e-Bala'."""
    parts = [p.strip(" -'.") for p in _PART_SEPARATORS.split(clean_typography(text))]
    parts = [p for p in parts if normalise(p)]
    return parts if len(parts) > 1 else []
