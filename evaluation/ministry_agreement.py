"""How far annotators agree on the ministry evaluation set, and the mapper read against each of them.

``evaluation/data/ministries_agreement.jsonl`` holds, for every row of ``ministries_eval.jsonl``, two
more annotations made with the same guideline and directory (``second`` and ``third``), each by
annotating sessions that saw only the texts: not the set's annotation, not each other's, no mapper
output. The lead a coordinator would choose is a judgement; how often two careful annotators choose the
same one bounds what any mapper can be expected to match (``evaluation.ministries`` prints it).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

import numpy as np

from corpora.ministry_examples import checked_bodies
from evaluation.common import EVAL_DATA, print_table, read_jsonl
from evaluation.mapping_bench import MappingBench, scores, supporting_f1
from nlp.ministries import MapperWeights

AGREEMENT = "ministries_agreement.jsonl"
#: the further annotations of each row, besides the set's own ("first")
ANNOTATIONS = ("second", "third")


def read_agreement(items: Sequence[dict], ids) -> dict[str, list[dict]]:
    """Per further annotation, its ``{"lead", "supporting"}`` for each of ``items`` (in their order), the
    bodies checked against ``ids``; a line that breaks the format, or a row left out, raises ``ValueError``."""
    known, by_row = set(ids), {}
    for number, row in enumerate(read_jsonl(EVAL_DATA / AGREEMENT), start=1):
        where = f"{AGREEMENT} line {number}"
        key = (row.get("row_id"), row.get("language"))
        if key in by_row:
            raise ValueError(f"{where}: row {key[0]} ({key[1]}) is annotated on an earlier line too")
        for name in ANNOTATIONS:
            if not isinstance(row.get(name), dict):
                raise ValueError(f"{where}: field '{name}' must hold a lead and its supporting bodies")
            checked_bodies(row[name], f"{where}, {name}", known)
        by_row[key] = row
    wanted = [(item["row_id"], item["language"]) for item in items]
    missing = [f"{row_id} ({language})" for row_id, language in wanted if (row_id, language) not in by_row]
    if missing:
        raise ValueError(f"{AGREEMENT}: no annotation for rows {', '.join(missing[:5])}")
    return {name: [by_row[key][name] for key in wanted] for name in ANNOTATIONS}


def between(one: Sequence[dict], other: Sequence[dict]) -> dict[str, float]:
    """How two annotations of the same rows agree: same lead, one's lead among the other's bodies (both
    ways), and supporting F1 (symmetric)."""
    pairs = list(zip(one, other, strict=True))
    return {
        "same_lead": float(np.mean([a["lead"] == b["lead"] for a, b in pairs])),
        "lead_among_bodies": float(
            np.mean(
                [
                    a["lead"] in [b["lead"], *b["supporting"]] and b["lead"] in [a["lead"], *a["supporting"]]
                    for a, b in pairs
                ]
            )
        ),
        "supporting_f1": supporting_f1([set(a["supporting"]) for a in one], [set(b["supporting"]) for b in other]),
    }


def majority_leads(annotations: Sequence[Sequence[dict]]) -> list[str | None]:
    """Per row, the lead at least two of the annotations chose (``None`` where all differ)."""
    out = []
    for row in zip(*annotations, strict=True):
        lead, count = Counter(a["lead"] for a in row).most_common(1)[0]
        out.append(lead if count >= 2 else None)
    return out


def print_agreement(bench: MappingBench, weights: MapperWeights, rows: np.ndarray, further: dict, what: str) -> dict:
    """Agreement between the three annotations of ``rows``, and the lead accuracy of a mapper with nothing
    fed against each annotation and against the majority lead (printed and returned)."""
    annotations = {
        "first": [bench.items[i] for i in rows],
        **{name: [further[name][i] for i in rows] for name in further},
    }
    pairwise = {
        f"{a} / {b}": between(annotations[a], annotations[b]) for a, b in itertools.combinations(annotations, 2)
    }
    print(f"\nannotators on {what} ({len(rows)} rows; first = the set's own annotation):")
    print_table(
        ("annotations", "same lead", "each lead among the other's bodies", "supporting F1"),
        [(name, *figures.values()) for name, figures in pairwise.items()],
    )
    assignments = bench.run(bench.mapper(weights), rows)
    mapper = {name: scores(assignments, annotated) for name, annotated in annotations.items()}
    majority = majority_leads(list(annotations.values()))
    decided = [k for k, lead in enumerate(majority) if lead is not None]
    mapper["majority"] = scores(
        [assignments[k] for k in decided], [{"lead": majority[k], "supporting": []} for k in decided]
    ) | {"rows": len(decided)}
    print(
        f"the mapper (nothing fed) against each annotation, and against the lead two of the three chose "
        f"({len(decided)} of {len(rows)} rows have one):"
    )
    print_table(
        ("reference", "lead acc@1", "lead acc@3", "supporting F1"),
        [
            (
                name,
                figures["lead_accuracy@1"],
                figures["lead_accuracy@3"],
                figures["supporting_f1"] if name != "majority" else "",
            )
            for name, figures in mapper.items()
        ],
    )
    return {"annotators": pairwise, "mapper": mapper}
