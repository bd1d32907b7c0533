"""Patrol benchmarks: scan throughput (rules only, and the full pipeline with the classifier),
memory with large keyword and hash lists, PDQ lookups.

    .venv/bin/python bench/patrol.py            # every part, each in its own process
    .venv/bin/python bench/patrol.py --part pdq # one part

Each part runs in a fresh process so its peak memory (getrusage) is its own. Not run by tests.
"""

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from io import StringIO
from typing import Any

import numpy as np

from frontstage.patrol.engine import (
    SHIPPED_RULES,
    Post,
    build_pack,
    load_pack,
    shipped_classifier,
    shipped_pack,
)
from frontstage.patrol.engine.classifier import BATCH, shared_encoder
from frontstage.patrol.engine.pdq_index import PdqIndex
from frontstage.patrol.jsonl import Line
from frontstage.patrol.scan import scan

POSTS = 100_000
FULL_POSTS = 20_000  # the classifier embeds every post: fewer posts make as steady a figure
KEYWORDS = 100_000
HASHES = 1_000_000
LOOKUPS = 2_000
SEED = 20260101

# Most of a real stream is harmless; one post in ten here is of a kind the pack flags.
_BENIGN = (
    "the meeting moved to friday; bring the slides and the budget numbers please",
    "lovely weather at the beach today, the kids built a sandcastle",
    "anyone know a good plumber near the station? our sink is leaking again",
    "beware of task job scams: never pay a deposit to get paid",
    "周末一起去爬山吗？天气预报说是晴天",
    "这家餐厅的红烧肉很好吃，推荐大家去试试",
    "警惕刷单诈骗，凡是刷单都是诈骗",
    "双色球开奖结果：01 05 12 18 22 30",
)
_FLAGGED = (
    "work from home part time job, pay deposit to start, earn daily, dm me",
    "selling cocaine and xanax, discreet delivery, telegram @plug_uk",
    "crypto casino bonus, no license, no kyc, sign up at luckyspin.top",
    "刷单返利，日结三百，加vx: task888",
    "出冰 同城配送 飞机 @dealer_bob",
    "菠菜平台 首充送彩金 注册就送",
)


class _Discard:
    """Output that is counted, not kept: the figures are of the patrol, not of a buffer."""

    def __init__(self) -> None:
        self.written = 0

    def write(self, text: str, /) -> int:
        self.written += len(text)
        return len(text)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _posts(count: int) -> list[Line]:
    rng = random.Random(SEED)  # noqa: S311 - repeatable test data, not secrets
    lines = []
    for i in range(count):
        text = " ".join(
            rng.choice(_FLAGGED if rng.random() < 0.1 else _BENIGN)
            for _ in range(rng.randint(1, 2))
        )
        lines.append(Line(i + 1, len(text), Post(id=str(i), text=text), None, None))
    return lines


def part_scan() -> dict[str, Any]:
    pack = load_pack(SHIPPED_RULES)  # rules only: no classifier
    lines = _posts(POSTS)
    started = time.perf_counter()
    count = scan(lines, pack, _Discard(), StringIO())
    seconds = time.perf_counter() - started
    return {
        "posts": count.posts,
        "flagged": count.flagged,
        "seconds": round(seconds, 2),
        "posts_per_second": round(count.posts / seconds),
        "peak_mb": round(_peak_mb()),
    }


def part_full() -> dict[str, Any]:
    """The shipped pack with the shipped classifier, as `patrol scan` runs it: the encoder
    embeds every post (a shadow rule reads each one's scores), BATCH posts at a time."""
    if shipped_classifier() is None:
        return {"skipped": "no model file; run `frontstage patrol train`"}
    pack = shipped_pack()
    lines = _posts(FULL_POSTS)
    started = time.perf_counter()
    shared_encoder().embed(["warm up"])  # loading the encoder is a one-off, timed apart
    loaded = time.perf_counter() - started
    texts = [line.post.text for line in lines[:2_000] if line.post]
    started = time.perf_counter()
    shared_encoder().embed(texts)
    embed_rate = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    count = scan(lines, pack, _Discard(), StringIO())
    seconds = time.perf_counter() - started
    return {
        "posts": count.posts,
        "flagged": count.flagged,
        "batch": BATCH,
        "encoder_load_seconds": round(loaded, 2),
        "embeddings_per_second": round(embed_rate),
        "seconds": round(seconds, 2),
        "posts_per_second": round(count.posts / seconds),
        "peak_mb": round(_peak_mb()),
    }


def _random_word(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 12)))
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(2, 4)))


def part_keywords() -> dict[str, Any]:
    rng = random.Random(SEED)  # noqa: S311 - repeatable test data, not secrets
    baseline = _peak_mb()
    words = list({_random_word(rng) for _ in range(KEYWORDS * 2)})[:KEYWORDS]
    sets = {f"set{i}": words[i::100] for i in range(100)}
    rules = [
        {
            "id": f"r{i}",
            "version": 1,
            "category": "scam_fraud",
            "score": 0.5,
            "mode": "live",
            "when": {"keywords": [f"set{i}"]},
        }
        for i in range(100)
    ]
    started = time.perf_counter()
    pack = build_pack([("bench.yaml", {"keywords": sets, "rules": rules})])
    built = time.perf_counter() - started
    lines = _posts(10_000)
    started = time.perf_counter()
    count = scan(lines, pack, _Discard(), StringIO())
    rate = count.posts / (time.perf_counter() - started)
    return {
        "keywords": len(words),
        "build_seconds": round(built, 2),
        "posts_per_second": round(rate),
        "peak_mb": round(_peak_mb()),
        "peak_mb_before_pack": round(baseline),
    }


def part_pdq() -> dict[str, Any]:
    rng = np.random.default_rng(SEED)
    baseline = _peak_mb()
    hashes = rng.integers(0, 256, size=(HASHES, 32), dtype=np.uint8)
    started = time.perf_counter()
    index = PdqIndex(hashes)
    built = time.perf_counter() - started
    queries = []
    for i in range(LOOKUPS):
        if i % 2:  # a re-encoded copy of a listed image: a few bits off
            bits = np.unpackbits(hashes[rng.integers(HASHES)])
            bits[rng.choice(256, size=int(rng.integers(0, 32)), replace=False)] ^= 1
            queries.append(np.packbits(bits))
        else:  # an image not on the list
            queries.append(rng.integers(0, 256, size=32, dtype=np.uint8))
    times = []
    for query in queries:
        started = time.perf_counter()
        index.query(query)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "hashes": HASHES,
        "build_seconds": round(built, 2),
        "lookup_ms_median": round(statistics.median(times), 3),
        "lookup_ms_p99": round(times[int(len(times) * 0.99)], 3),
        "peak_mb": round(_peak_mb()),
        "peak_mb_before_index": round(baseline),
    }


PARTS = {"scan": part_scan, "full": part_full, "keywords": part_keywords, "pdq": part_pdq}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", choices=sorted(PARTS))
    part = parser.parse_args().part
    if part:
        print(json.dumps({part: PARTS[part]()}))
        return
    for name in PARTS:
        done = subprocess.run(  # noqa: S603 - this script, one of its own parts
            [sys.executable, __file__, "--part", name], capture_output=True, text=True, check=True
        )
        print(done.stdout.strip(), flush=True)


if __name__ == "__main__":
    main()
