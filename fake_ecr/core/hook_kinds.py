"""The three kinds of hook, by how their subscribers' answers combine (see ``fake_ecr.core.hooks``)."""

from __future__ import annotations

from typing import Any, Callable, Generic, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Hook(Generic[F]):
    """One extension point: its name, its kind and what its subscribers are called with."""

    kind = ""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.doc = doc

    def __repr__(self) -> str:
        return f"<{type(self).__name__} hook {self.name}>"


class Notify(Hook[F]):
    kind = "notify"


class Veto(Hook[F]):
    kind = "veto"


class FirstAnswer(Hook[F]):
    kind = "first-answer"
