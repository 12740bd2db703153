"""Build the core pipeline from settings (shared by the CLI and the web service)."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import re
from pathlib import Path

from corpora.paths import PROJECT_ROOT
from nlp.clustering import ClusterManager
from nlp.dedup import DuplicateClusterer
from nlp.embedding import CachedEmbedder, Embedder, HashingEmbedder, SentenceTransformerEmbedder
from nlp.embedding_text import embed_texts
from nlp.language_alignment import LanguageAlignment
from nlp.ministries import MinistryMapper
from nlp.pipeline import Pipeline
from nlp.store.vector_cache import StoreVectorCache
from nlp.tagging.crosswalk import Calibration
from nlp.tagging.goal_head import GoalHead
from nlp.tagging.issues import UprIssueTagger
from nlp.tagging.tagger import RecommendationTagger
from nlp.word_translation import WordTranslation
from service.config import Settings

logger = logging.getLogger(__name__)
ISSUE_MODELS = PROJECT_ROOT / "models" / "upr-issues"
FRENCH_ARABIC_ISSUE_MODELS = PROJECT_ROOT / "models" / "upr-issues-fr-ar"
ALIGNMENT_MODELS = PROJECT_ROOT / "models" / "language-alignment"
GOAL_HEAD_MODELS = PROJECT_ROOT / "models" / "sdg-goals"
WORD_TRANSLATION_MODELS = PROJECT_ROOT / "models" / "word-translation"


def lead_model_root(country: str) -> Path:
    """Where the versions of ``country``'s lead classifier live (``python -m training.ministry_lead``)."""
    return PROJECT_ROOT / "models" / f"ministry-lead-{country.lower()}"


def supporting_model_root(country: str) -> Path:
    """Where the versions of ``country``'s supporting-body classifier live (``training.ministry_supporting``)."""
    return PROJECT_ROOT / "models" / f"ministry-supporting-{country.lower()}"


def latest_version(root: Path) -> Path:
    """The highest ``vN`` folder under ``root``."""
    versions = sorted((p for p in root.glob("v*") if p.name[1:].isdigit()), key=lambda p: int(p.name[1:]))
    if not versions:
        raise FileNotFoundError(f"no trained model under {root}")
    return versions[-1]


_HASHING = re.compile(r"hashing(?::(\d+))?")


def build_embedder(settings: Settings) -> Embedder:
    """The configured embedder: a local sentence-transformers folder, or ``hashing[:DIM]``.

    ``hashing`` is the tiny deterministic embedder used by the unit tests; it has no notion of
    meaning across languages and is not for real use.
    """
    match = _HASHING.fullmatch(str(settings.embedding_model))
    if match:
        return HashingEmbedder(dim=int(match.group(1) or 64))
    return SentenceTransformerEmbedder(
        settings.embedding_model, batch_size=settings.embedding_batch_size, threads=settings.encoder_threads
    )


def build_clusterer(settings: Settings, threshold: float | None = None) -> DuplicateClusterer:
    """The duplicate clusterer with the configured (evaluated) settings; ``threshold`` overrides one."""
    return DuplicateClusterer(
        threshold=settings.dedup_threshold if threshold is None else threshold,
        linkage=settings.dedup_linkage,
        mismatch_penalty=settings.dedup_mismatch_penalty,
        cross_language_bonus=settings.dedup_cross_language_bonus,
    )


def build_cluster_manager(settings: Settings, pipeline: Pipeline, threshold: float | None = None) -> ClusterManager:
    return ClusterManager(pipeline.store, pipeline.embedder.name, build_clusterer(settings, threshold))


def build_pipeline(settings: Settings, with_index: bool = True) -> Pipeline:
    """The pipeline over the store, with what the settings ask for at import: tags (when the issue head
    fits the embedder's vectors), responsible bodies (learning from the stored corrections) and
    re-clustering of the states an import touched. ``with_index=False``: for an import worker beside
    the process that serves the index (see :meth:`Pipeline.open`)."""
    embedder = build_embedder(settings)
    pipeline = Pipeline.open(settings.home, embedder, with_index=with_index)
    pipeline.word_translation = build_word_translation(settings)
    # label texts and mandates: embedded once per store, then read back at every start
    labels_embedder = CachedEmbedder(embedder, StoreVectorCache(pipeline.store, embedder.name))
    tagger = None
    if settings.tag_on_import:
        tagger = build_tagger(settings, labels_embedder)
        expected = tagger.issues.head.layers_[0][0].shape[0]
        if expected == embedder.dim:
            pipeline.tagger = tagger
        else:
            tagger = None
            logger.warning(
                "no tagging at import: the issue head expects %d-dim vectors, %s gives %d",
                expected,
                embedder.name,
                embedder.dim,
            )
    if settings.map_on_import:
        pipeline.mapper = build_mapper(settings, labels_embedder, tagger.issues.alignment if tagger else None)
        pipeline.learn_from_corrections()
    if settings.cluster_on_import:
        pipeline.clusters = build_cluster_manager(settings, pipeline)
    keep_out_of_garbage_collection()
    return pipeline


def keep_out_of_garbage_collection() -> None:
    """Collect, then move every object still alive (the encoder's vocabulary, the models, taxonomies,
    directory and caches, which live as long as the process) out of the collector's reach: tagging
    and requests allocate many small objects, and each full collection they trigger would walk all
    of these again (about 0.6 s of collection per 10,000 texts imported with tags, 0.08 s once they
    are out of reach)."""
    gc.collect()
    gc.freeze()


def load_configured_directory(settings: Settings):
    """The ministry directory named by ``settings.ministry_directory`` (a country code or a YAML path), its
    rules checked against the issue, theme and SDG target vocabularies (a typo is an error, not a rule that
    never fires)."""
    from corpora.ministries import load_directory, rule_vocabularies

    known = rule_vocabularies(settings.data_dir)
    path = Path(settings.ministry_directory)
    if path.suffix in (".yaml", ".yml"):
        return load_directory(path.stem, folder=path.parent, **known)
    return load_directory(settings.ministry_directory, **known)


def build_mapper(settings: Settings, embedder: Embedder, alignment: LanguageAlignment | None = None) -> MinistryMapper:
    """The mapper of the configured directory; ``alignment``: the language alignment already loaded (for the
    tagger), else the mapper loads it when it has a lead classifier to read French and Arabic through it."""
    from corpora.ministry_examples import load_example_decisions
    from corpora.taxonomies import load_taxonomy

    issue_labels = [label.names["en"] for label in load_taxonomy("upr_issues")]
    directory = load_configured_directory(settings)
    examples = None
    decisions = load_example_decisions(directory, settings.data_dir) if settings.ministry_examples else []
    if decisions:
        vectors = embed_texts(embedder, [decision.text for decision in decisions], "en")
        leads, supporting = [d.lead for d in decisions], [list(d.supporting) for d in decisions]
        texts = [d.text for d in decisions]
        examples = MinistryMapper.example_memory(directory, vectors, leads, supporting, texts)
    lead_model = build_lead_model(directory, embedder) if decisions else None
    supporting_model = build_supporting_model(directory, embedder) if decisions else None
    if lead_model is None and supporting_model is None:
        alignment = None
    elif alignment is None:
        alignment = build_language_alignment(settings, embedder)
    return MinistryMapper(
        directory,
        embedder,
        issue_labels,
        examples=examples,
        lead_model=lead_model,
        alignment=alignment,
        supporting_model=supporting_model,
    )


def build_lead_model(directory, embedder: Embedder):
    """The latest lead classifier shipped for ``directory``'s country and learnt for ``embedder`` (None
    without one: the mapper then learns a logistic regression on the example decisions). The mapper
    checks its bodies against the directory."""
    from nlp.lead_blend import BlendedLeadModel

    return latest_for_embedder(lead_model_root(directory.country), BlendedLeadModel.load, "lead model", embedder)


def build_supporting_model(directory, embedder: Embedder):
    """The latest supporting-body classifier shipped for ``directory``'s country and learnt for ``embedder``
    (None without one: supporting bodies then come from the evidence and the lead's usual partners)."""
    from nlp.supporting_model import SupportingModel

    return latest_for_embedder(
        supporting_model_root(directory.country), SupportingModel.load, "supporting model", embedder
    )


# cut-offs and tag counts as chosen on the tuning half; spread, order_decay and the labelled examples'
# weight likewise. Goals take no direct vote of the examples (they get them through their targets):
# direct votes raised the goal cut-off chosen on UPR texts and cost texts from other fields (see docs/tagging.md)
EXAMPLE_WEIGHT = 1.0
THEMES_CALIBRATION = Calibration(min_score=0.7, max_tags=3, spread=0.05, example_weight=EXAMPLE_WEIGHT)
PERSONS_CALIBRATION = Calibration(min_score=0.8, max_tags=4, example_weight=EXAMPLE_WEIGHT)
TARGETS_CALIBRATION = Calibration(min_score=0.7, max_tags=2, order_decay=0.9, example_weight=EXAMPLE_WEIGHT)
GOALS_CALIBRATION = Calibration(min_score=0.8, max_tags=2, example_weight=0.0)


def build_tagger(
    settings: Settings,
    embedder: Embedder,
    themes_calibration=None,
    persons_calibration=None,
    targets_calibration=None,
    goals_calibration=None,
) -> RecommendationTagger:
    """The taggers over the shipped taxonomies, the trained issue head, the crosswalks and phrase rules.

    The calibrations default to the shipped ones: cut-offs, tag counts and weights chosen by
    ``python -m evaluation.tagging_taxonomies`` on the tuning half of the annotated set.
    """
    from corpora.crosswalks import instruments_to_sdg_targets, themes_to_sdg_targets
    from corpora.taxonomies import load_all, sdg_indicators, sdg_taxonomies
    from nlp.tagging.crosswalk import CrosswalkTagger
    from nlp.tagging.label_similarity import GroupSimilarity, LabelSimilarity
    from nlp.tagging.rules import PhraseRules

    themes_calibration = themes_calibration or THEMES_CALIBRATION
    persons_calibration = persons_calibration or PERSONS_CALIBRATION
    targets_calibration = targets_calibration or TARGETS_CALIBRATION
    goals_calibration = goals_calibration or GOALS_CALIBRATION

    taxonomies = load_all()
    issues = list(taxonomies["upr_issues"])
    goals, targets = sdg_taxonomies(settings.data_dir)
    codes = {
        "themes": [label.code for label in taxonomies["uhri_themes"]],
        "affected_persons": [label.code for label in taxonomies["affected_persons"]],
        "sdg_targets": [label.code for label in targets],
        "sdg_goals": [label.code for label in goals],
    }
    examples = build_tagging_examples(settings, embedder, codes)

    def from_issues(taxonomy: str, calibration: Calibration, field: str) -> CrosswalkTagger:
        """A tagger fed by the issue probabilities through the crosswalk field named like the taxonomy."""
        crosswalk = [label.extra.get(taxonomy) or [] for label in issues]
        names = [label.names["en"] for label in issues]
        labels = taxonomies[taxonomy]
        rules = PhraseRules(labels.keyword_rules(), labels.keyword_exclude) if labels.keyword_rules() else None
        similarity = LabelSimilarity(labels, embedder)
        return CrosswalkTagger(labels, crosswalk, names, similarity, calibration, rules, examples=examples.get(field))

    themes = from_issues("uhri_themes", themes_calibration, "themes")
    persons = from_issues("affected_persons", persons_calibration, "affected_persons")
    theme_labels = list(taxonomies["uhri_themes"])
    target_codes = {label.code for label in targets}
    to_targets = themes_to_sdg_targets(target_codes)
    instruments = instruments_to_sdg_targets(target_codes)
    sdg = CrosswalkTagger(
        targets,
        [to_targets.get(label.code, []) for label in theme_labels],
        [label.names["en"] for label in theme_labels],
        LabelSimilarity(targets, embedder),
        targets_calibration,
        PhraseRules({i.code: i.match for i in instruments}),
        {i.code: i.sdg_targets for i in instruments},
        examples=examples.get("sdg_targets"),
    )
    goal_texts = [*goals, *targets, *sdg_indicators(settings.data_dir)]
    return RecommendationTagger(
        build_issue_tagger(settings, embedder, issues),
        themes,
        persons,
        sdg,
        list(goals),
        GroupSimilarity(goal_texts, [label.group for label in goal_texts], [goal.code for goal in goals], embedder),
        goals_calibration,
        examples.get("sdg_goals"),
        build_goal_head(settings, embedder),
    )


def latest_for_embedder(root: Path, load, what: str, embedder: Embedder):
    """The latest ``vN`` folder under ``root`` loaded with ``load``, when it was learnt for ``embedder``
    (None when there is none or it was learnt for another model; a model of another size is an error)."""
    try:
        folder = latest_version(root)
    except FileNotFoundError:
        return None
    model = load(folder)
    if model.embedder_name != embedder.name:
        logger.info("no %s: it was learnt for %s, not %s", what, model.embedder_name, embedder.name)
        return None
    if model.dim not in (None, embedder.dim):
        raise ValueError(f"{what} {folder}: learnt on {model.dim}-dim vectors, the encoder gives {embedder.dim}")
    return model


def build_issue_tagger(settings: Settings, embedder: Embedder, issues: list) -> UprIssueTagger:
    """The issue head (``settings.issue_model`` or the latest shipped one) and, with the shipped heads and
    the language alignment, the head that reads French and Arabic through it."""
    from nlp.tagging.supervised import MultiLabelHead

    head = MultiLabelHead.load(settings.issue_model or latest_version(ISSUE_MODELS), len(issues))
    alignment = build_language_alignment(settings, embedder)
    translated_head = None
    if alignment is not None and settings.issue_model is None:
        with contextlib.suppress(FileNotFoundError):  # none shipped: the English head reads every language
            translated_head = MultiLabelHead.load(latest_version(FRENCH_ARABIC_ISSUE_MODELS), len(issues))
    return UprIssueTagger(head, issues, alignment, translated_head)


def build_language_alignment(settings: Settings, embedder: Embedder) -> LanguageAlignment | None:
    """The latest language alignment when the settings ask for it and it was learnt for ``embedder``."""
    if not settings.align_languages:
        return None
    return latest_for_embedder(ALIGNMENT_MODELS, LanguageAlignment.load, "language alignment", embedder)


def build_word_translation(settings: Settings) -> WordTranslation | None:
    """The latest word translation tables when the settings ask for them and one is shipped."""
    if not settings.word_translation:
        return None
    try:
        return _word_translation(latest_version(WORD_TRANSLATION_MODELS))
    except FileNotFoundError:
        logger.info("no word translation tables under %s", WORD_TRANSLATION_MODELS)
        return None


@functools.lru_cache(maxsize=2)
def _word_translation(folder: Path) -> WordTranslation:
    """Tables are read once per process (searches only read them)."""
    return WordTranslation.load(folder)


def build_goal_head(settings: Settings, embedder: Embedder) -> GoalHead | None:
    """The latest SDG goal head when the settings ask for it and it was learnt for ``embedder``."""
    if not settings.sdg_goal_head:
        return None
    return latest_for_embedder(GOAL_HEAD_MODELS, GoalHead.load, "SDG goal head", embedder)


def build_tagging_examples(settings: Settings, embedder: Embedder, codes: dict[str, list[str]]) -> dict:
    """Votes of the labelled examples (``corpora/taxonomies/tagging_examples.jsonl``) per tag field,
    over the labels ``codes[field]``; empty when the settings leave them out or none can be read."""
    from corpora.tagging_examples import load_tagging_examples
    from nlp.tagging.example_votes import ExampleNeighbours, ExampleVotes

    if not settings.tagging_examples:
        return {}
    examples = load_tagging_examples({field: set(values) for field, values in codes.items()}, settings.data_dir)
    if not examples:
        return {}
    vectors = embed_texts(embedder, [example.text for example in examples], "en")
    neighbours = ExampleNeighbours(vectors, [example.row_id for example in examples])
    return {
        field: ExampleVotes(neighbours, [example.labels[field] for example in examples], values)
        for field, values in codes.items()
    }
