"""Checks of users' alias tables against the boundary file: every alias must be one the resolver can honour.

An alias is refused, naming its file and line, when the resolver would ignore it or would
have to pick between two readings:

* its spelling is already a name of another district (or province) where it applies: names are
  read before aliases, so the alias would not be used there (without ``alias_province``, it
  would be used in some provinces and not in others);
* the same spelling, where it applies, means two different districts (or provinces), in one
  file or in two;
* its ``alias_province``, ``name_province`` or province ``name`` is not a province of the file.

The shipped ``aliases.csv`` is held to the same rules by a test.
"""

from __future__ import annotations

from collections.abc import Iterable

from districtcontrol import DistrictControlError
from districtcontrol.geo.names._normalise import normalise


def check_aliases(resolver, aliases: Iterable) -> None:
    """Raise :class:`DistrictControlError` for the first alias of ``aliases`` that ``resolver`` cannot honour."""
    seen: dict[str, list[tuple[object, object]]] = {}  # spelling -> [(alias, what it means)]
    for alias in aliases:
        _check_provinces(resolver, alias)
        target = _target(resolver, alias)
        _check_not_a_name(resolver, alias, target)
        key = f"{alias.level}:{normalise(alias.alias)}"
        for other, other_target in seen.get(key, []):
            if _overlap(resolver, alias, other) and _id(other_target) != _id(target):
                raise _refusal(
                    alias,
                    f"alias '{alias.alias}' means {_describe(target)}, but {other.where} reads the same spelling "
                    f"as {_describe(other_target)}; keep one, or give each an alias_province where it applies",
                )
        seen.setdefault(key, []).append((alias, target))


def _refusal(alias, message: str) -> DistrictControlError:
    return DistrictControlError(message, alias.source or "alias", alias.line or None)


def _check_provinces(resolver, alias) -> None:
    for column in ("alias_province", "name_province"):
        value = getattr(alias, column)
        if value and resolver._province_named(value) is None:
            raise _refusal(
                alias, f"{column} '{value}' is not a province of the boundary file; correct it or leave it empty"
            )


def _target(resolver, alias):
    """The district (or province) an alias means; an alias naming none is refused."""
    if alias.level == "district":
        target = resolver._alias_target(alias)
        if target is None:
            raise _refusal(
                alias,
                f"alias '{alias.alias}' names '{alias.name}' ({alias.name_province or alias.alias_province}), "
                "which is not a district of the boundary file; correct 'name' and 'name_province'",
            )
        return target
    found = resolver._province_keys.get(normalise(alias.name))
    if not found or found[1] != "name":
        raise _refusal(
            alias, f"alias '{alias.alias}' names the province '{alias.name}', which the boundary file does not have"
        )
    return found[0]


def _check_not_a_name(resolver, alias, target) -> None:
    """An alias whose spelling the boundary file already has as a name of another district (or province)
    is never used where that name applies: names are read before aliases."""
    key = normalise(alias.alias)
    if alias.level == "province":
        found = resolver._province_keys.get(key)
        if found and found[1] != "alias" and found[0] is not target:
            raise _refusal(
                alias,
                f"alias '{alias.alias}' means the province {target.name}, but it is already the name of the "
                f"province {found[0].name}, and names are read before aliases; remove it",
            )
        return
    scope = resolver._province_named(alias.alias_province) if alias.alias_province else None
    named = [e.district for e in resolver._index(scope).by_key.get(key, []) if e.district.pcode != target.pcode]
    if named:
        where = "" if scope else " (without alias_province it applies in every province)"
        raise _refusal(
            alias,
            f"alias '{alias.alias}' means {_describe(target)}, but it is already a name of {_describe(named[0])}"
            f"{where}, and names are read before aliases, so the alias is not used there; remove it, or give an "
            "alias_province where the spelling names no other district",
        )


def _overlap(resolver, alias, other) -> bool:
    """Whether two aliases of one spelling can apply to the same row (the same province, or one without)."""
    if not alias.alias_province or not other.alias_province:
        return True
    return resolver._province_named(alias.alias_province) is resolver._province_named(other.alias_province)


def _id(target) -> str:
    return target.pcode


def _describe(target) -> str:
    province = getattr(target, "province", None)
    return f"{target.name} ({province}, {target.pcode})" if province else f"the province {target.name} ({target.pcode})"
