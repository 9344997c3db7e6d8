"""Forms on the guest page: one post-it note per submission."""

from __future__ import annotations

import re
import uuid

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import HiddenInput

from ..services.notes import clean_text

# Server-made keys are uuid4 hex; browsers send crypto.randomUUID() with dashes.
CLIENT_KEY = re.compile(r"^[A-Za-z0-9-]{16,64}$")


def new_client_key() -> str:
    """A fresh idempotency key for one note form."""
    return uuid.uuid4().hex


class NoteForm(FlaskForm):
    """A note for one question. `website` is a honeypot that people never see."""

    question_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    client_key = HiddenField()
    text = TextAreaField(_l("Your note"))
    website = StringField(_l("Leave this field empty"))

    def validate_text(self, field) -> None:
        text = clean_text(field.data or "")
        if not text:
            raise ValidationError(_l("Write something on the note before you send it."))
        limit = current_app.config["NOTE_MAX_LENGTH"]
        if len(text) > limit:
            raise ValidationError(
                _l(
                    "The note is %(count)s characters long. Please shorten it to %(limit)s.",
                    count=len(text),
                    limit=limit,
                )
            )

    @property
    def is_spam(self) -> bool:
        """True when the honeypot was filled in: only robots do that."""
        return bool((self.website.data or "").strip())

    @property
    def csrf_failed(self) -> bool:
        return bool(self.errors.get("csrf_token"))

    def usable_client_key(self) -> str:
        """The submitted key if it looks like one of ours, else a fresh one (nothing is lost)."""
        key = (self.client_key.data or "").strip()
        return key if CLIENT_KEY.match(key) else new_client_key()
