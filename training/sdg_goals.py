"""Train the SDG goal head: ``python -m training.sdg_goals [--regularisation 0.25 1 4 16] [--folds 5]``.

Learns :class:`nlp.tagging.goal_head.GoalHead` from

- ``training/data/sdg_paragraphs.jsonl``: paragraphs in the style of development reports, research
  abstracts and policy documents, written for the project (they are not real documents), each with
  the goals it is about (``sdgs``), the goal it was written for (``focus_goal``) and whether it is
  about that goal (``kind``: ``positive``) or only uses its words (``near_miss``);
- with ``--paragraphs``, more files of the same fields: ``training/data/sdg_paragraphs_b.jsonl`` and
  ``_c.jsonl`` were written as excerpts cut out of longer documents (starting mid-argument, with
  footnote numbers, citations and figures; a third of the positives about their goal only implicitly;
  file c from other kinds of documents), and are not in the shipped head (:data:`EXCERPT_PARAGRAPHS`);
- the official goal, target and indicator texts in Arabic, French and English (data directory), each
  about its own goal.

The regularisation is chosen by cross-validation on the paragraphs (folds by seed; the official texts
always train): the accuracy of the yes/no decision "about its focus goal" at probability 0.5. Writes
a new versioned folder ``models/sdg-goals/vN/`` (``head.npz``, ``config.json`` with the sources,
their SHA-256, the cross-validation figures and the git commit). Never reads the SDG benchmark.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from corpora.paths import PROJECT_ROOT, project_relative
from corpora.sdg import load_sdg
from nlp.embedding_text import embed_texts
from nlp.tagging.goal_head import GoalHead
from service.config import Settings
from service.factory import build_embedder
from training import TRAINING_DATA
from training.themes import git_commit, next_version

MODEL_ROOT = PROJECT_ROOT / "models" / "sdg-goals"
PARAGRAPHS = TRAINING_DATA / "sdg_paragraphs.jsonl"
#: excerpt-style paragraphs, not learnt from by the shipped head: with them the per-goal decisions on the
#: tuning half of the annotated set fell (docs/tagging.md, "Themes, affected persons and SDGs"); ``--paragraphs``
#: with all three files learns that head again
EXCERPT_PARAGRAPHS = (TRAINING_DATA / "sdg_paragraphs_b.jsonl", TRAINING_DATA / "sdg_paragraphs_c.jsonl")
GOAL_CODES = [str(goal) for goal in range(1, 18)]
KINDS = ("positive", "near_miss")


def read_paragraphs(path: Path) -> list[dict]:
    """The paragraphs of ``path``; a line that breaks the format raises ``ValueError`` naming it and its field."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}, line {number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{where}: not JSON ({error.msg})") from error
        text, goals, focus = item.get("text"), item.get("sdgs"), item.get("focus_goal")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{where}: `text` must be a non-empty string")
        if not isinstance(goals, list) or not goals or not all(str(g) in GOAL_CODES for g in goals):
            raise ValueError(f"{where}: `sdgs` must be a non-empty list of goal numbers 1-17, not {goals!r}")
        if str(focus) not in GOAL_CODES:
            raise ValueError(f"{where}: `focus_goal` must be a goal number 1-17, not {focus!r}")
        if item.get("kind") not in KINDS:
            raise ValueError(f"{where}: `kind` must be one of {KINDS}, not {item.get('kind')!r}")
        if (focus in goals) != (item["kind"] == "positive"):
            must = "must" if item["kind"] == "positive" else "must not"
            raise ValueError(f"{where}: a {item['kind']} paragraph {must} list its focus goal {focus} in `sdgs`")
        out.append(item)
    return out


def goal_matrix(goal_lists: list[list]) -> np.ndarray:
    """``n × 17``: 1 where the text is about the goal."""
    labels = np.zeros((len(goal_lists), len(GOAL_CODES)), dtype=np.int8)
    for row, goals in enumerate(goal_lists):
        labels[row, [GOAL_CODES.index(str(g)) for g in goals]] = 1
    return labels


def focus_accuracy(probabilities: np.ndarray, paragraphs: list[dict]) -> float:
    """Share of paragraphs whose focus-goal decision (probability ≥ 0.5) matches its kind."""
    focus = [GOAL_CODES.index(str(p["focus_goal"])) for p in paragraphs]
    said_yes = probabilities[np.arange(len(paragraphs)), focus] >= 0.5
    return float(np.mean(said_yes == np.array([p["kind"] == "positive" for p in paragraphs])))


def cross_validated(vectors, labels, fixed_vectors, fixed_labels, paragraphs, regularisation, folds, seed=0):
    """Out-of-fold focus accuracy of a head with this regularisation (the fixed texts train in every fold)."""
    fold = np.random.default_rng(seed).permutation(len(paragraphs)) % folds
    probabilities = np.zeros(labels.shape, dtype=np.float32)
    for k in range(folds):
        train = fold != k
        head = GoalHead.learn(
            np.vstack([fixed_vectors, vectors[train]]),
            np.vstack([fixed_labels, labels[train]]),
            GOAL_CODES,
            "cv",
            regularisation,
        )
        probabilities[~train] = head.probabilities(vectors[~train])
    return focus_accuracy(probabilities, paragraphs)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=Path, nargs="+", default=[PARAGRAPHS])
    parser.add_argument("--regularisation", type=float, nargs="+", default=[0.25, 1.0, 4.0, 16.0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    settings = Settings()
    embedder = build_embedder(settings)
    paragraphs = [paragraph for path in args.paragraphs for paragraph in read_paragraphs(path)]
    vectors = embed_texts(embedder, [p["text"] for p in paragraphs], "en")
    labels = goal_matrix([p["sdgs"] for p in paragraphs])
    official = load_sdg(settings.data_dir)
    official_vectors = np.vstack(
        [embed_texts(embedder, [entry.text[lang] for entry in official], lang) for lang in ("en", "fr", "ar")]
    )
    official_labels = goal_matrix([[entry.goal] for entry in official] * 3)
    scores = {}
    for regularisation in args.regularisation:
        scores[regularisation] = cross_validated(
            vectors, labels, official_vectors, official_labels, paragraphs, regularisation, args.folds
        )
        print(f"regularisation C={regularisation}: cross-validated focus-goal accuracy {scores[regularisation]:.4f}")
    chosen = max(scores, key=lambda c: (scores[c], -c))
    head = GoalHead.learn(
        np.vstack([official_vectors, vectors]),
        np.vstack([official_labels, labels]),
        GOAL_CODES,
        embedder.name,
        chosen,
        sources={
            **{project_relative(path): sha256(path) for path in args.paragraphs},
            "sdg/sdg_goals_targets_multilingual.csv (ar, fr, en)": len(official),
        },
        paragraphs=len(paragraphs),
        cross_validation={"folds": args.folds, "focus_accuracy": {str(c): s for c, s in scores.items()}},
        git_commit=git_commit(),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    folder = next_version(MODEL_ROOT)
    head.save(folder)
    print(
        f"chosen C={chosen}; {len(paragraphs)} paragraphs + {3 * len(official)} official texts; "
        f"written {folder.relative_to(PROJECT_ROOT)}"
    )
    return folder


if __name__ == "__main__":
    main()
