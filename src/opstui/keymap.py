"""The user's keymap (`[keymap]` in config.toml), checked against the app before it is used.

An entry maps a binding id (`bugs.priority_0`) to the keys to use instead (`0,!`). An entry
whose keys cannot be parsed is left out, so the binding keeps its own keys rather than
losing them to a key that can never be pressed; an entry that names no binding of the app
(a typo, a binding since renamed) is reported. Either way the user is told which entry.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping

from textual.binding import Binding
from textual.keys import Keys, key_to_character

BINDING_PACKAGES = ("opstui.screens", "opstui.modals", "opstui.widgets")
"""Where every binding with an id is declared (besides the app itself)."""

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
"""The modifiers a key may carry, as Textual spells them."""

_NAMED_KEYS = frozenset(
    name
    for name in (key.value.rpartition("+")[2] for key in Keys)
    if len(name) > 1 and not name.startswith("<")
)
"""Keys with a name rather than a character: `escape`, `f5`, `pageup`, `space`…"""


def key_problem(key: str) -> str | None:
    """Why `key` (one key, e.g. `ctrl+s`, `?`, `question_mark`) cannot be bound, or None."""
    if not key:
        return "an empty key"
    if len(key) == 1:
        return None if key.isprintable() else f"{key!r} is not a key"
    *modifiers, name = key.split("+")
    unknown = [modifier for modifier in modifiers if modifier not in MODIFIERS]
    if unknown:
        return f"{key!r}: {unknown[0]!r} is not a modifier ({', '.join(sorted(MODIFIERS))})"
    if len(set(modifiers)) != len(modifiers):
        return f"{key!r} repeats a modifier"
    if not name:
        return f"{key!r} has no key after its modifiers"
    if len(name) == 1 or name in _NAMED_KEYS:
        return None
    if name == name.lower() and key_to_character(name) is not None:
        return None  # A character by name: `question_mark`, `slash`, `full_stop`…
    return f"{key!r} is not a key"


def keys_problem(keys: str) -> str | None:
    """Why a keymap value (keys separated by commas) cannot be used, or None."""
    for key in keys.split(","):
        problem = key_problem(key.strip())
        if problem is not None:
            return problem
    return None


def usable_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The entries whose keys parse, and a warning for each entry left out."""
    usable: dict[str, str] = {}
    warnings: list[str] = []
    for binding_id, keys in keymap.items():
        problem = keys_problem(keys)
        if problem is None:
            usable[binding_id] = keys
        else:
            warnings.append(
                f"keymap entry {binding_id} = {keys!r}: {problem}; the binding keeps its keys"
            )
    return usable, warnings


def known_binding_ids(extra_classes: Iterable[type] = ()) -> frozenset[str]:
    """Every binding id declared by the app's screens, dialogs and widgets (and by
    `extra_classes`, e.g. the app), read from the classes: nothing is instantiated.

    Imports every screen and dialog module, so it belongs after start-up, not before the
    first frame.
    """
    classes: list[type] = list(extra_classes)
    for package_name in BINDING_PACKAGES:
        package = importlib.import_module(package_name)
        for module_info in pkgutil.iter_modules(package.__path__, f"{package_name}."):
            module = importlib.import_module(module_info.name)
            classes.extend(value for value in vars(module).values() if isinstance(value, type))
    ids: set[str] = set()
    for cls in classes:
        for ancestor in cls.__mro__:
            for binding in ancestor.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id is not None:
                    ids.add(binding.id)
    return frozenset(ids)


def unknown_binding_warnings(keymap: Mapping[str, str], known: frozenset[str]) -> list[str]:
    """A warning for each entry that names no binding of the app."""
    return [
        f"keymap entry {binding_id} = {keys!r}: opstui has no binding {binding_id!r}; ignored"
        for binding_id, keys in keymap.items()
        if binding_id not in known
    ]
