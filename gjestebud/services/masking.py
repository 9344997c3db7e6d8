"""Masking of phone numbers and e-mail addresses in note text, for analyst pages and exports."""

from __future__ import annotations

# A plain regex function: importing it loads no language models (checked: no spaCy, scikit-learn
# or numpy come with it), so the web app can use the pipeline's own masking rules.
from analysis.preprocess import mask_personal_data


def mask_text(text: str | None) -> str:
    """The text with phone numbers and e-mail addresses replaced by placeholders."""
    return mask_personal_data(text or "")
