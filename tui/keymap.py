"""Key bindings by id: what each id is bound to, and what is wrong with a ``[keys]`` table.

Pure functions over the classes that declare bindings (``BriefingApp.binding_contexts``),
so the help screen, the app's start-up check and ``config --check`` share one rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

Contexts = Sequence[tuple[str, type]]  # (where the keys work, a class with BINDINGS)


@dataclass(frozen=True, slots=True)
class KeyRow:
    where: str
    id: str
    keys: str  # the keys in force, as the footer would show them
    description: str


def _bindings(cls: type) -> list[Binding]:
    return [b for b in getattr(cls, "BINDINGS", []) if isinstance(b, Binding) and b.id]


def key_rows(
    contexts: Contexts, keymap: Mapping[str, str], display: Callable[[Binding], str]
) -> list[KeyRow]:
    """One row per binding id and place, with the keys in force shown by ``display``."""
    rows = []
    for where, cls in contexts:
        for binding in _bindings(cls):
            assert binding.id is not None
            keys = keymap.get(binding.id, binding.key)
            shown = ", ".join(display(Binding(k.strip(), binding.action)) for k in keys.split(","))
            rows.append(KeyRow(where, binding.id, shown, binding.description))
    return rows


def _keys_of(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return [k.strip() for k in keys.split(",") if k.strip()]


def _all_bindings(cls: type) -> list[Binding]:
    """Every binding the class has, inherited and built-in ones (without ids) included."""
    merge = getattr(cls, "_merge_bindings", None)
    if merge is None:
        return _bindings(cls)
    return [b for group in merge().key_to_bindings.values() for b in group]


def _inner(outer: type, inner: type) -> bool:
    """Whether ``inner``'s keys win over ``outer``'s where both apply.

    The app's keys work everywhere, under every screen and widget; a main (not modal)
    screen's keys work under the widgets of that screen, which are the widgets listed.
    """
    if outer is inner:
        return False
    if issubclass(outer, App):
        return True
    return (
        issubclass(outer, Screen)
        and not issubclass(outer, ModalScreen)
        and not issubclass(inner, (Screen, App))
    )


def keymap_problems(keymap: Mapping[str, str], contexts: Contexts) -> list[str]:
    """Ids in ``[keys]`` that no binding has, keys two bindings of one place share, and
    keys an inner place (a focused widget) takes before an outer binding gets them.

    ``refresh = "j"`` is refused: the list and the reader use ``j`` themselves, so the
    help would say "j Refresh" while ``j`` still moves.
    """
    known = {b.id for _, cls in contexts for b in _bindings(cls)}
    problems = [
        f"[keys] {name}: no key binding has this id (see ? for the ids)"
        for name in keymap
        if name not in known
    ]
    for where, cls in contexts:
        owner: dict[str, str] = {}
        for binding in _bindings(cls):
            assert binding.id is not None
            for key in _keys_of(binding, keymap):
                if key in owner and owner[key] != binding.id:
                    problems.append(
                        f"[keys] {binding.id} and {owner[key]} both use {key!r} in the {where}"
                    )
                owner.setdefault(key, binding.id)
    for _, outer in contexts:
        for binding in _bindings(outer):
            if binding.id not in keymap:  # the defaults are chosen not to clash
                continue
            for key in _keys_of(binding, keymap):
                taker = _taken_by(key, outer, contexts, keymap)
                if taker is not None:
                    problems.append(
                        f"[keys] {binding.id} = {key!r}: the {taker[0]} uses "
                        f"{key!r} for {taker[1]}, so {binding.id} would not work "
                        "there"
                    )
    return problems


def _taken_by(
    key: str, outer: type, contexts: Contexts, keymap: Mapping[str, str]
) -> tuple[str, str] | None:
    """(place, what) of the first inner binding of ``key``, built-in ones included."""
    for where, cls in contexts:
        if not _inner(outer, cls):
            continue
        for binding in _all_bindings(cls):
            if key in _keys_of(binding, keymap):
                return where, binding.description or binding.action
    return None
