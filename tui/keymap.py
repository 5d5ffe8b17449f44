"""Key bindings by id: what each id is bound to, and what is wrong with a ``[keys]`` table.

Pure functions over the classes that declare bindings (``BriefingApp.binding_contexts``),
so the help screen, the app's start-up check and ``config --check`` share one rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from textual.binding import Binding

Contexts = Sequence[tuple[str, type]]  # (where the keys work, a class with BINDINGS)


@dataclass(frozen=True, slots=True)
class KeyRow:
    where: str
    id: str
    keys: str  # the keys in force, as the footer would show them
    description: str


def _bindings(cls: type) -> list[Binding]:
    return [b for b in getattr(cls, "BINDINGS", []) if isinstance(b, Binding) and b.id]


def key_rows(contexts: Contexts, keymap: Mapping[str, str],
             display: Callable[[Binding], str]) -> list[KeyRow]:
    """One row per binding id and place, with the keys in force shown by ``display``."""
    rows = []
    for where, cls in contexts:
        for binding in _bindings(cls):
            assert binding.id is not None
            keys = keymap.get(binding.id, binding.key)
            shown = ", ".join(display(Binding(k.strip(), binding.action)) for k in keys.split(","))
            rows.append(KeyRow(where, binding.id, shown, binding.description))
    return rows


def keymap_problems(keymap: Mapping[str, str], contexts: Contexts) -> list[str]:
    """Ids in ``[keys]`` that no binding has, and keys two bindings of one place share."""
    known = {b.id for _, cls in contexts for b in _bindings(cls)}
    problems = [f"[keys] {name}: no key binding has this id (see ? for the ids)"
                for name in keymap if name not in known]
    for where, cls in contexts:
        owner: dict[str, str] = {}
        for binding in _bindings(cls):
            assert binding.id is not None
            for key in keymap.get(binding.id, binding.key).split(","):
                key = key.strip()
                if key in owner and owner[key] != binding.id:
                    problems.append(f"[keys] {binding.id} and {owner[key]} both use "
                                    f"{key!r} in the {where}")
                owner.setdefault(key, binding.id)
    return problems
