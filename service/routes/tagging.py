from fastapi import APIRouter, HTTPException

from nlp.text import detect_language
from service.auth import Reader
from service.deps import PipelineDep, ReferenceDep, SettingsDep
from service.presenters import annotation_ministries, annotation_tags
from service.routes.filters import LabelLanguage
from service.schemas import TagRequest, TagResponse, TextAnnotation

router = APIRouter(tags=["tagging"])


@router.post("/tag", response_model=TagResponse)
def tag_texts(
    _: Reader,
    pipeline: PipelineDep,
    settings: SettingsDep,
    reference: ReferenceDep,
    body: TagRequest,
    label_lang: LabelLanguage = "en",
) -> TagResponse:
    """Tags (SDG goals and targets, themes, issues, affected persons) and bodies of free texts; nothing is stored."""
    if len(body.texts) > settings.max_batch_size:
        raise HTTPException(422, f"texts: at most {settings.max_batch_size} per request")
    if body.languages is not None and len(body.languages) != len(body.texts):
        raise HTTPException(422, "languages: give one per text, or none")
    for position, text in enumerate(body.texts):
        if not text.strip():
            raise HTTPException(422, f"texts[{position}]: empty text")
        if len(text) > settings.max_text_chars:
            raise HTTPException(422, f"texts[{position}]: at most {settings.max_text_chars} characters")
    if pipeline.tagger is None and pipeline.mapper is None:
        raise HTTPException(503, "tagging is not configured on this server (tag_on_import and map_on_import off)")
    given = body.languages or [None] * len(body.texts)
    languages = [language or detect_language(text) for text, language in zip(body.texts, given, strict=True)]
    annotations = pipeline.annotate_texts(body.texts, languages)
    return TagResponse(
        results=[
            TextAnnotation(
                text=text,
                language=language,
                tags=annotation_tags(reference, annotation, label_lang),
                ministries=annotation_ministries(reference, annotation, label_lang),
            )
            for text, language, annotation in zip(body.texts, languages, annotations, strict=True)
        ]
    )
