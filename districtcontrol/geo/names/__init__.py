"""Resolve district and province names, as tables spell them, to the boundary file's districts.

A name is first cleaned of typography (Unicode dashes and quotes, invisible marks, spacing,
case, Arabic and Persian letter forms) and read into words: connectors (-e-, -i-, wa, -o-),
synonyms (payin/sufla, bala/ulya, awal/1 …, from ``data/name_words.csv``) and generic words
("district") are folded. Then, in a fixed order, every decision keeping its evidence (method,
score, runner-up, warning):

1. the province: normalised name, Dari name, curated alias, then fuzzy among provinces;
2. the district, as a whole, within the province: its name; then the crosswalk of districts
   that are not in the boundary file (``data/districts_not_in_boundaries.csv``: a newer district
   resolves to its parent as ``part-of``, an older one split since is refused with its
   successors); the boundary file's alternative and Dari names, aliases (user files first,
   then ``data/aliases.csv``); 'X wa Y' naming two districts is refused with both;
3. the parts of the name: parenthesised or slashed alternatives (``Yamgan (Girwan)``), a
   province named as qualifier (``BAHARAK (BADAKHSHAN)``), provincial-centre phrases
   (``province Center (Maimana)``, ``Markaz-e-Wilayat``) and a province's name used for its
   capital; every part that matches must point at the same district, and a province named
   in the text must be the table's;
4. rapidfuzz on the normalised and phonetic keys, accepted only when high enough and clearly
   ahead of the runner-up (numbers must agree: Yakawlang No 2 is not Yakawlang);
5. a phonetic key (consonant skeleton; k/q, z/dh, j/dj/zh, w/v and vowels folded) that is
   unique in the province;
6. a partial name: the only district whose name contains all the query's words.

A (near-)exact name in another province never wins silently: against a plausible candidate in
the given province it is an error naming both; alone it is refused naming it (an alias accepts
it). A province's name alone is its centre only when the province column names that province.
Spreadsheet error cells (#REF!, #N/A …) are refused with their own message. Without a
province the whole country is searched and a name found in several provinces is an error
listing each. Anything less certain is unresolved, with the best candidates first.

Modules: ``_normalise`` (keys), ``_records`` (districts, aliases, resolutions, indexes),
``_aliases`` (alias tables), ``_editions`` (the crosswalk), ``_rules`` (thresholds), ``_resolver`` (indexes and primitives),
``_decision`` (the order of evidence), ``_columns`` (the match columns).
"""

from __future__ import annotations

from districtcontrol.geo.names._aliases import ALIAS_COLUMNS, load_aliases
from districtcontrol.geo.names._columns import MATCH_COLUMNS, match_columns, match_rows, one_district_spellings
from districtcontrol.geo.names._normalise import clean_typography, name_words_path, normalise, phonetic_key
from districtcontrol.geo.names._records import Alias, District, Resolution
from districtcontrol.geo.names._resolver import Resolver

__all__ = [
    "ALIAS_COLUMNS",
    "MATCH_COLUMNS",
    "Alias",
    "District",
    "Resolution",
    "Resolver",
    "clean_typography",
    "load_aliases",
    "match_columns",
    "match_rows",
    "name_words_path",
    "normalise",
    "one_district_spellings",
    "phonetic_key",
]
