"""``{% form_guard %}``: the hidden fields every POST form carries besides its CSRF token.

* a one-time token, so a second submission of the form does not act again
  (:mod:`goldenthread.kit.submissions`);
* on an edit page, the version of the record the form was read at, so a save
  over someone else's change is refused (:mod:`goldenthread.accounts.versions`).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from goldenthread.accounts.versions import VERSION_FIELD
from goldenthread.kit.submissions import TOKEN_FIELD, new_token

register = template.Library()


@register.simple_tag(takes_context=True)
def form_guard(context: Any) -> SafeString:
    fields = [format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, new_token())]
    version = context.get("record_version")
    if version is not None:
        fields.append(
            format_html('<input type="hidden" name="{}" value="{}">', VERSION_FIELD, version)
        )
    return mark_safe("".join(fields))  # each part is built by format_html
