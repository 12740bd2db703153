"""Checks shared by the data files that carry text in Arabic, French and English."""

from __future__ import annotations

from typing import Any

LANGUAGES = ("ar", "fr", "en")


def trilingual(where: str, value: Any, field_name: str, error: type[ValueError]) -> dict[str, str]:
    """``value`` as ``{ar, fr, en}`` texts; raises ``error`` naming ``where`` and the field otherwise."""
    if not isinstance(value, dict):
        raise error(f"{where}: field {field_name!r} must map ar/fr/en to text")
    missing = [lang for lang in LANGUAGES if not str(value.get(lang) or "").strip()]
    if missing:
        raise error(f"{where}: field {field_name!r} has no text in {', '.join(missing)}")
    return {lang: str(value[lang]).strip() for lang in LANGUAGES}
