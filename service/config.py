"""One settings object for paths and flags, read from ``TAWSIYA_*`` environment variables or ``.env``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from corpora.paths import PROJECT_ROOT, default_data_dir

DEFAULT_MODEL = PROJECT_ROOT / "models" / "use-multilingual-v3"


def _default_home() -> Path:
    return Path("~/.local/share/tawsiya").expanduser()


class Settings(BaseSettings):
    """Tawsiya's configuration.

    ``TAWSIYA_HOME`` is the store folder (database and index), ``TAWSIYA_DATA_DIR`` the public data
    folder, ``TAWSIYA_EMBEDDING_MODEL`` a local sentence-transformers model folder.
    """

    model_config = SettingsConfigDict(env_prefix="TAWSIYA_", env_file=".env", extra="ignore")

    home: Path = Field(default_factory=_default_home)
    data_dir: Path = Field(default_factory=default_data_dir)
    embedding_model: Path = DEFAULT_MODEL
    #: the UPR Info issue head; default: the latest models/upr-issues/vN
    issue_model: Path | None = None
    #: read French and Arabic vectors through the latest models/language-alignment/vN (used when it was
    #: learnt for the configured embedding model) and, with the shipped issue heads, by the head learnt
    #: with their translations (models/upr-issues-fr-ar/vN); otherwise by the English-trained head
    align_languages: bool = True
    #: add the latest models/sdg-goals/vN (per-goal classifiers) to the SDG goals' evidence (used when
    #: it was learnt for the configured embedding model)
    sdg_goal_head: bool = True
    #: in cross-lingual search, order near-twin wordings by how well their words translate the query's
    #: (the latest models/word-translation/vN)
    word_translation: bool = True
    #: tag every recommendation at import (SDG goals and targets, themes, issues, affected persons)
    tag_on_import: bool = True
    embedding_batch_size: int = Field(default=256, ge=1)
    #: BLAS threads of the encoder per call; default: the model folder's setting (2 for USE-m3)
    encoder_threads: int | None = Field(default=None, ge=1, le=64)
    #: the same for the web service, where concurrent requests already fill the cores
    service_encoder_threads: int = Field(default=1, ge=1, le=64)
    #: the service serves concurrent searches together; a search may wait this long for companions
    search_batch_window_ms: float = Field(default=0.0, ge=0.0, le=100.0)
    #: searches served at once (each on one core: the encoder and the index release the interpreter)
    search_workers: int = Field(default=2, ge=1, le=64)
    import_batch_size: int = Field(default=512, ge=1)
    #: the service runs each import in a worker process of its own (searches keep the interpreter);
    #: false: on a thread of the service
    import_worker_process: bool = True
    max_text_chars: int = Field(default=20_000, ge=100)
    #: the ministry directory: a country code of corpora/ministries/ (``ma``, ``tn``) or a YAML file path
    ministry_directory: str = "ma"
    #: start the mapper from the example decisions shipped beside the directory (``<country>_examples.jsonl``)
    ministry_examples: bool = True
    #: let the labelled examples of ``corpora/taxonomies/tagging_examples.jsonl`` vote for themes, persons and SDGs
    tagging_examples: bool = True
    #: propose the lead and supporting bodies of every recommendation at import
    map_on_import: bool = True
    #: re-cluster the states an import touched, at the end of each import
    cluster_on_import: bool = True
    # limits of the web service (each breach answers a 4xx naming the field)
    max_upload_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    max_import_rows: int = Field(default=200_000, ge=1)
    max_batch_size: int = Field(default=1_000, ge=1)
    max_page_size: int = Field(default=200, ge=1)
    #: origins allowed by CORS; empty (the default) allows none
    cors_origins: list[str] = Field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_top_k: int = Field(default=100, ge=1)
    # duplicate clustering, as chosen by `python -m evaluation.dedup` (see docs/clustering.md)
    dedup_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    dedup_linkage: str = "complete"
    dedup_mismatch_penalty: float = Field(default=0.3, ge=0.0)
    dedup_cross_language_bonus: float = Field(default=0.15, ge=0.0)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
