"""A backtest as a table for people or as JSON for tools; both carry the same figures."""

from typing import Any

from frontstage.patrol.backtest import Backtest


def as_json(result: Backtest, *, max_ids: int) -> dict[str, Any]:
    return {
        "posts": result.posts,
        "benign": result.benign,
        "benign_flagged": result.benign_flagged,
        "false_positive_rate": _round(result.false_positive_rate),
        "macro_f1": _round(result.macro_f1),
        "counted_shadow": result.counted_shadow,
        "categories": {
            code: {
                "precision": _round(f.precision),
                "recall": _round(f.recall),
                "f1": _round(f.f1),
                "support": f.support,
                "flagged": f.flagged,
                "correct": f.correct,
                "missed": f.missed[:max_ids],
            }
            for code, f in result.categories.items()
        },
        "rules": {
            rule_id: {
                "version": r.version,
                "mode": r.mode.value,
                "category": r.category.value,
                "hits": r.hits,
                "correct": r.correct,
                "precision": _round(r.precision),
                "wrong": r.wrong[:max_ids],
                "wrong_count": len(r.wrong),
            }
            for rule_id, r in result.rules.items()
        },
    }


def as_text(result: Backtest, *, max_ids: int) -> str:
    lines = [
        f"{result.posts} posts, {result.benign} labelled benign; "
        + ("live and shadow rules counted" if result.counted_shadow else "live rules counted"),
        "",
        f"{'category':<20}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}{'flagged':>9}",
    ]
    for code, f in result.categories.items():
        lines.append(
            f"{code:<20}{_cell(f.precision):>10}{_cell(f.recall):>8}{_cell(f.f1):>7}"
            f"{f.support:>9}{f.flagged:>9}"
        )
    lines += [
        "",
        f"macro-F1: {_cell(result.macro_f1)}",
        f"false-positive rate on benign: {_cell(result.false_positive_rate)} "
        f"({result.benign_flagged} of {result.benign})",
        "",
        f"{'rule':<34}{'version':>8}{'mode':>8}{'hits':>6}{'precision':>11}  wrong",
    ]
    for rule_id, r in result.rules.items():
        shown = ", ".join(r.wrong[:max_ids]) + (" …" if len(r.wrong) > max_ids else "")
        lines.append(
            f"{rule_id:<34}{r.version:>8}{r.mode.value:>8}{r.hits:>6}{_cell(r.precision):>11}"
            f"  {shown}".rstrip()
        )
    missed = [(code, f.missed) for code, f in result.categories.items() if f.missed]
    if missed:
        lines += ["", "missed (labelled, not flagged):"]
        lines += [
            f"  {code}: {', '.join(ids[:max_ids])}{' …' if len(ids) > max_ids else ''}"
            for code, ids in missed
        ]
    return "\n".join(lines) + "\n"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
