"""Registries that apps fill in their ``AppConfig.ready()``.

A lower layer shows what higher apps hold (dashboard cards, the orphans page,
a component's "delivered by", the pickers) without importing them: the lower
code reads a registry and each app adds its entries when Django starts. A new
module's entries appear the day it lands; no lower code changes.

Entries have a key, so registering again (``ready()`` may run twice in tests)
replaces an entry instead of doubling it, and an order, lower first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

__all__ = ["UNKNOWN_KEY", "Registry"]

T = TypeVar("T")

UNKNOWN_KEY = "Nothing is registered as {key!r} in the {name}"


class Registry(Generic[T]):
    """Named, ordered entries of one kind.

    >>> colours = Registry[str]("colours")
    >>> colours.add("b", "blue", order=20)
    'blue'
    >>> colours.add("r", "red", order=10)
    'red'
    >>> list(colours), colours.get("b")
    (['red', 'blue'], 'blue')
    >>> colours.add("r", "rose", order=10)
    'rose'
    >>> len(colours)
    2
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, tuple[int, T]] = {}

    def add(self, key: str, entry: T, *, order: int = 100) -> T:
        """Register ``entry`` under ``key``, replacing what was there."""
        self._entries[key] = (order, entry)
        return entry

    def register(self, key: str, *, order: int = 100) -> Callable[[T], T]:
        """The decorator form of :meth:`add`."""

        def decorator(entry: T) -> T:
            return self.add(key, entry, order=order)

        return decorator

    def get(self, key: str) -> T:
        """The entry under ``key``; :class:`KeyError` names the registry when there is none."""
        try:
            return self._entries[key][1]
        except KeyError:
            raise KeyError(UNKNOWN_KEY.format(key=key, name=self.name)) from None

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        return [key for key, _ in self._items()]

    def items(self) -> list[tuple[str, T]]:
        return [(key, entry) for key, (_, entry) in self._items()]

    def _items(self) -> list[tuple[str, tuple[int, T]]]:
        return sorted(self._entries.items(), key=lambda pair: (pair[1][0], pair[0]))

    def __iter__(self) -> Iterator[T]:
        return iter([entry for _, entry in self.items()])

    def __len__(self) -> int:
        return len(self._entries)

    def remove(self, key: str) -> None:
        """Forget ``key`` (for tests that register an entry of their own)."""
        self._entries.pop(key, None)
