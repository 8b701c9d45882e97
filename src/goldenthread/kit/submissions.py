"""Every POST form acts once: a one-time token, and a second submission joins the first.

Each form the kit renders carries a signed random token (``{% form_guard %}``
in :mod:`goldenthread.kit.templatetags.kit_forms`). :class:`SubmitOnceMiddleware`
records the token in the same transaction as the action it submits: a second
POST with that token (a double click, a resent form, a retry after a slow
answer) waits for the first to finish, does nothing, and is sent where the
first was sent, with :data:`ALREADY_SUBMITTED`. A submission whose answer is
not a redirect (a form shown again with its errors) releases its token, so
correcting the form and sending it again works.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from goldenthread.accounts.services import Actor, acting_user

from .models import Submission

__all__ = [
    "ALREADY_SUBMITTED",
    "TOKEN_FIELD",
    "SubmitOnceMiddleware",
    "new_token",
    "submission_claim",
    "submission_finish",
]

#: The hidden field holding a form's one-time token.
TOKEN_FIELD = "submission_token"
ALREADY_SUBMITTED = "This was already submitted"
BAD_TOKEN = "The form's one-time token has been tampered with"
_SALT = "goldenthread.kit.submissions"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def new_token() -> str:
    """A new signed random token for one form."""
    return signing.Signer(salt=_SALT).sign(secrets.token_urlsafe(18))


def _valid(token: str) -> bool:
    try:
        signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return False
    return True


def submission_claim(*, token: str, by: Actor) -> Submission | None:
    """Record ``token`` as used, or return the earlier submission that used it.

    Inside the caller's transaction: a concurrent claim of the same token
    waits for this one's transaction to end (the token is unique), then finds it.
    Tokens older than ``GOLDENTHREAD_SUBMISSION_KEEP_HOURS`` are forgotten here.
    """
    keep = timedelta(hours=settings.GOLDENTHREAD_SUBMISSION_KEEP_HOURS)
    Submission.objects.filter(created_at__lt=timezone.now() - keep).delete()
    try:
        with transaction.atomic():
            Submission.objects.create(token=token, user=acting_user(by))
    except IntegrityError:
        return Submission.objects.get(token=token)
    return None


def submission_finish(*, token: str, redirect_to: str | None) -> None:
    """Keep where the submission went; a submission that went nowhere frees its token."""
    claimed = Submission.objects.filter(token=token)
    if redirect_to:
        claimed.update(redirect_to=redirect_to)
    else:
        claimed.delete()


class SubmitOnceMiddleware:
    """Run each POST that carries a one-time token at most once (see the module's notes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else ""
        if not token:
            return self.get_response(request)
        if not _valid(token):
            raise SuspiciousOperation(BAD_TOKEN)
        with transaction.atomic():
            first = submission_claim(token=token, by=getattr(request, "user", None))
            if first is not None:
                if first.user_id is not None and first.user_id != request.user.pk:
                    raise SuspiciousOperation(BAD_TOKEN)
                messages.info(request, ALREADY_SUBMITTED)
                return redirect(first.redirect_to or request.get_full_path())
            response = self.get_response(request)
            went = response["Location"] if response.status_code in _REDIRECTS else None
            submission_finish(token=token, redirect_to=went)
        return response
