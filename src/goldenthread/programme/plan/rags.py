"""How an action's RAG reads everywhere: one GOV.UK tag colour and one word for each rating."""

from __future__ import annotations

from goldenthread.programme.models import ActionStatus, Rag

#: The GOV.UK tag class of each RAG: amber is orange, complete is blue, no RAG is grey.
TAG_CLASSES = {
    Rag.RED: "govuk-tag--red",
    Rag.AMBER: "govuk-tag--orange",
    Rag.GREEN: "govuk-tag--green",
    Rag.BLUE: "govuk-tag--blue",
    "": "govuk-tag--grey",
}
#: An action with no RAG yet.
NOT_RATED = "Not rated"
#: A cancelled action, which the rules never rate.
NOT_RATED_CANCELLED = "Not rated (cancelled)"


def tag_class(rag: str) -> str:
    """ "govuk-tag--orange" for amber; grey for no RAG."""
    return TAG_CLASSES.get(rag, TAG_CLASSES[""])


def label(rag: str, status: str = "") -> str:
    """ "Red", "Amber", "Green", "Complete", "Not rated", or "Not rated (cancelled)"."""
    if rag:
        return str(Rag(rag).label)
    return NOT_RATED_CANCELLED if status == ActionStatus.CANCELLED else NOT_RATED
