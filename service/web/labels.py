"""Taxonomy labels in the reader's language, from the API's ``/taxonomies`` routes."""

from __future__ import annotations

from typing import Any

from service.web.api_client import ApiClient, ApiError

#: tag fields of a recommendation and the taxonomy that names their codes
TAXONOMY_OF_FIELD = {
    "sdg_goals": "sdg-goals",
    "sdg_targets": "sdg-targets",
    "themes": "themes",
    "affected_persons": "affected-persons",
}
#: responses of a state that the workspace names in each language
RESPONSES = ("accepted", "supported", "noted")
#: the fields a coordinator corrects on the recommendation page
EDITABLE_FIELDS = ("themes", "sdg_targets", "affected_persons")


async def taxonomy(api: ApiClient, name: str, lang: str, **params: Any) -> list[dict[str, Any]]:
    """The entries (``code``, ``label``...) of one taxonomy; empty when the API has none by that name."""
    try:
        body = await api.get(f"/taxonomies/{name}", lang=lang, **params)
    except ApiError as error:
        if error.status == 404:
            return []
        raise
    return body.get("items", []) if isinstance(body, dict) else list(body)


async def label_maps(api: ApiClient, lang: str, names: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """``{taxonomy: {code: label}}`` for each taxonomy named."""
    return {name: {entry["code"]: entry["label"] for entry in await taxonomy(api, name, lang)} for name in names}
