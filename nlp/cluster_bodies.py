"""The responsible bodies of a cluster of recommendations, from those of its members."""

from __future__ import annotations

from collections.abc import Sequence


def aggregate(member_bodies: Sequence[dict | None], max_supporting: int = 3, share: float = 0.5) -> dict | None:
    """The bodies of a cluster from its members' (``{"lead", "supporting"}`` with ``{"id", "score"}``): the
    cluster's lead is the body that leads the most members (ties: the larger sum of those lead scores); supporting
    bodies are the other bodies that more than ``share`` of the members name, as lead or supporting, most named
    first, so a cluster of one recommendation has its bodies. A body's score is the sum of its scores in the
    members divided by their number; the reason says how many members named it."""
    named = [bodies for bodies in member_bodies if bodies and bodies.get("lead")]
    if not named:
        return None
    led: dict[str, list[float]] = {}
    naming: dict[str, list[float]] = {}
    for bodies in named:
        lead = bodies["lead"]
        led.setdefault(lead["id"], []).append(float(lead["score"]))
        for body in [lead, *(bodies.get("supporting") or [])]:
            naming.setdefault(body["id"], []).append(float(body["score"]))
    n = len(named)
    cluster_lead = min(led, key=lambda body: (-len(led[body]), -sum(led[body]), body))
    others = [body for body in naming if body != cluster_lead and len(naming[body]) > share * n]
    others.sort(key=lambda body: (-len(naming[body]), -sum(naming[body]), body))

    def entry(body: str, reason: str) -> dict:
        return {"id": body, "score": round(sum(naming[body]) / n, 4), "reason": reason}

    return {
        "lead": entry(cluster_lead, f"lead for {len(led[cluster_lead])} of {n} members"),
        "supporting": [entry(body, f"named by {len(naming[body])} of {n} members") for body in others[:max_supporting]],
        "source": "members",
    }
