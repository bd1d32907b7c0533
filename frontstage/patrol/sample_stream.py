"""Writes the demo's sample stream: public posts in English and Chinese, a few percent of them
harmful, generated from these tables with a fixed seed (not from the training corpus).

    .venv/bin/python -m frontstage.patrol.sample_stream > frontstage/patrol/data/sample-stream.jsonl
"""

import json
import random
import sys
from datetime import UTC, datetime, timedelta

BENIGN_EN = [
    "Anyone know a good dumpling place near {place}? Asking for a friend.",
    "The {team} game last night was unbelievable, what a finish!",
    "Reminder: the library in {place} closes early on {day}.",
    "Just finished a 10k run along the river in {place}. Legs are jelly.",
    "Our bakery in {place} has fresh mooncakes from {day}, come early!",
    "Police in {place} warn: nobody from the bank will ask for your PIN. Stay safe.",
    "Traffic on the ring road is terrible again this {day} morning.",
    "Selling my old bike, good condition, pick up in {place}. Price negotiable.",
    "Anyone watching the lottery draw tonight? The numbers are on the news.",
    "Our shooting club in {place} has an open day for licensed members on {day}.",
]
BENIGN_ZH = [
    "{place}今天天气真好，周末一起去爬山吧。",
    "昨晚{team}的比赛太精彩了！",
    "提醒：{place}图书馆{day}提前闭馆。",
    "警方提醒：刷单返利都是诈骗，不要相信“高佣金”兼职。",
    "{place}新开了一家火锅店，味道不错，推荐！",
    "孩子的数学作业太难了，家长也不会做。",
    "{place}地铁{day}早高峰又挤爆了。",
    "转让二手婴儿车，九成新，{place}自提。",
    "今晚体彩开奖，祝大家好运！",
    "{place}中医推拿馆，正规经营，欢迎预约。",
]
HARMFUL = [
    ("刷单返利，日赚{n}元，在家就能做，加vx: job{n}了解", "http://task-{n}.example/join"),
    (
        "Simple online tasks, earn {n} USD daily! Pay a small deposit to unlock, DM @earn{n}",
        "http://earn-{n}.example/",
    ),
    ("冰 叶子 货到付款 飞机 @ice{n} 老客户优惠", ""),
    ("菠菜平台 首充送{n}% 正规大平台 加薇信 bc{n}", "http://bocai-{n}.example/"),
    (
        "Guaranteed returns of {n}% per week, risk free investment, message me on whatsapp",
        "http://invest-{n}.example/",
    ),
    ("仿真枪 气枪 全国包邮 需要的私聊 vx: gun{n}", ""),
    ("Ghost gun 80% parts kit, no serial, ships discreetly, DM @parts{n}", ""),
    (
        "I will kill you and your family if you go to the police, I know where you live in {place}",
        "",
    ),
]
PLACES_EN = ["Shenzhen", "Guangzhou", "Shanghai", "Hangzhou", "Beijing", "Nanning"]
PLACES_ZH = ["深圳", "广州", "上海", "杭州", "北京", "南宁"]
TEAMS = ["Guangzhou FC", "Shanghai Port", "国安", "申花"]
DAYS_EN = ["Monday", "Friday", "Saturday", "Sunday"]
DAYS_ZH = ["周一", "周五", "周六", "周日"]


def posts(
    count: int = 3000, harmful_share: float = 0.04, seed: int = 2026
) -> list[dict[str, object]]:
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not secrets
    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    made = []
    for i in range(count):
        at = start + timedelta(minutes=3 * i)
        if rng.random() < harmful_share:
            text, url = rng.choice(HARMFUL)
            n = rng.randint(100, 999)
            made.append(
                _post(i, text.format(n=n, place=rng.choice(PLACES_EN)), url.format(n=n), at)
            )
        elif rng.random() < 0.5:
            text = rng.choice(BENIGN_EN).format(
                place=rng.choice(PLACES_EN), team=rng.choice(TEAMS), day=rng.choice(DAYS_EN)
            )
            made.append(_post(i, text, "", at, lang="en"))
        else:
            text = rng.choice(BENIGN_ZH).format(
                place=rng.choice(PLACES_ZH), team=rng.choice(TEAMS), day=rng.choice(DAYS_ZH)
            )
            made.append(_post(i, text, "", at, lang="zh"))
    return made


def _post(i: int, text: str, url: str, at: datetime, lang: str | None = None) -> dict[str, object]:
    post: dict[str, object] = {"id": f"sample-{i:05d}", "text": text, "posted_at": at.isoformat()}
    if url:
        post["urls"] = [url]
    if lang:
        post["lang"] = lang
    return post


if __name__ == "__main__":
    for post in posts():
        sys.stdout.write(json.dumps(post, ensure_ascii=False) + "\n")
