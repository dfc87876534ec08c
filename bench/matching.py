"""The matching engine (demands.matching) at scale, without Django.

Generates n synthetic resources (seeded; ~60 % Chinese, 40 % English, composed from phrase pools of providers,
offers, audiences and conditions, on a province → 10 cities → 10 districts → 10 streets region tree, with some
availability windows and capacities), then times:

* jieba start-up and tokenising all n texts;
* building the index from the tokens (no tokenising inside);
* top-10 search latency (p50/p95/p99) over mixed zh/en demand queries with kinds, region and a date, query
  tokenising included — on the fresh index and again after the updates below (pending block non-empty);
* upsert of new docs, upsert replacing existing docs, and remove (mean/p95/max, tokenising included): no rebuild,
  the row count grows by one per upsert and the pending block is merged every ``pending_limit`` rows;
* the naive keyword baseline (substring count over all n texts, as ``icontains`` would) per query, for comparison;
* the labelled evaluation set: engine, engine on text alone, keyword baseline.

Usage::

    .venv/bin/python bench/matching.py --n 100000 --out bench/results/matching.json

``run(n, seed)`` returns the figures as a dict, for a harness.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import scipy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from demands.matching.engine import Doc, MatchIndex, Query  # noqa: E402
from demands.matching.evaluation import keywords, report  # noqa: E402
from demands.matching.text import tokens_with_surface, warm_up  # noqa: E402

TARGET_P95_MS = 10.0
KINDS = {"venue": 1, "policy_advice": 2, "expert": 3, "volunteers": 4, "training": 5, "funding": 6, "channel": 7,
         "other": 8}
CATEGORY_KINDS = {"policy": ["policy_advice", "expert"], "financing": ["funding", "policy_advice"],
                  "talent": ["channel", "training", "expert"], "premises": ["venue", "channel"],
                  "legal": ["expert", "policy_advice"], "training": ["training", "expert"], "market": ["channel"],
                  "public": ["volunteers", "venue"], "other": []}

# -- phrase pools ---------------------------------------------------------------------------------------------------

ZH_PLACES = ["丰和区", "高新区", "锦城区", "临港区", "东湖街道", "滨江街道", "春熙街道", "创业园", "科创园", "经开区",
             "港湾街道", "解放街道", "城东片区", "CBD总部"]
ZH_PROVIDERS = {
    "venue": ["党群服务中心", "社区邻里中心", "楼宇党委", "街道文化站", "市委党校", "产业园管委会", "孵化器", "职业技术学院"],
    "policy_advice": ["区税务局党支部", "市人社局", "区科创局", "市工信局", "区市场监管局", "营商环境办", "区住建局", "商务局"],
    "expert": ["律师事务所党支部", "会计师事务所", "高校教授团队", "知识产权服务站", "安全生产专家组", "心理咨询中心", "退休海关关员"],
    "volunteers": ["党员志愿服务队", "青年志愿者协会", "大学生志愿者", "医院党支部", "巾帼志愿队", "退役军人志愿队"],
    "training": ["职业培训学校", "市委党校", "电商直播基地", "商学院", "就业服务站", "安全生产培训中心"],
    "funding": ["农商银行", "城商行支行", "融资担保公司", "产业引导基金", "小额贷款公司", "天使投资联盟"],
    "channel": ["人力资源市场", "招商服务中心", "金融办", "农业农村局", "电商公共服务中心", "楼宇联盟", "区融媒体中心"],
    "other": ["机关食堂", "教育局", "交通运输局", "普惠托育中心", "机关大院", "物业公司"],
}
ZH_OFFERS = {
    "venue": ["会议室预约", "多功能厅借用", "标准厂房出租", "共享工位", "仓库租赁", "报告厅开放", "直播间出租", "展厅使用"],
    "policy_advice": ["税费优惠政策宣讲", "稳岗补贴申领辅导", "高新技术企业认定辅导", "专精特新申报指导", "惠企政策解读",
                      "出口退税指导", "人才补贴政策咨询", "加装电梯政策咨询"],
    "expert": ["免费法律门诊", "劳动合同审查", "专利申请与维权", "财税健康体检", "数字化转型诊断", "隐患排查", "出口合规咨询",
               "员工心理疏导"],
    "volunteers": ["助老陪伴", "社区义诊", "垃圾分类宣传", "四点半课堂", "活动签到引导", "外语翻译服务", "法律援助"],
    "training": ["直播带货实战培训", "数控技能培训", "电工焊工考证班", "支部书记培训班", "跨境电商培训", "财务知识讲座",
                 "家政服务员培训", "安全管理人员培训"],
    "funding": ["科技贷", "创业担保贷款", "知识产权质押融资", "应急转贷资金", "惠农贷款", "绿色信贷", "股权投资", "信用贷款"],
    "channel": ["专场招聘会", "校园招聘对接", "银企对接会", "产销对接会", "政府采购辅导", "厂房租售信息发布", "供需对接平台",
                "媒体宣传推广"],
    "other": ["食堂开放", "子女入学协调", "通勤班车", "托育服务", "停车位共享", "旧办公家具捐赠"],
}
ZH_AUDIENCES = ["面向小微企业", "面向科技型企业", "面向两新组织", "面向联盟成员单位", "面向个体工商户", "面向合作社和家庭农场",
                "面向初创企业", "面向社区居民", "面向外贸企业", "面向制造企业"]
ZH_DETAILS = ["最高500万元，无需抵押", "可容纳50人，配投影音响", "可容纳200人", "每周六举办", "每月一期，免费参加",
              "结业颁发证书", "工作日免费预约", "需提前一周预约", "财政给予贴息", "专人一对一辅导", "名额有限，先到先得",
              "线上线下同步", "审批最快3个工作日", "可上门服务", "按小时计费", "租金减半"]

EN_PLACES = ["Fenghe", "the high-tech zone", "Jincheng", "Lingang", "Donghu", "Binjiang", "the innovation park",
             "the CBD", "Zhongyu", "the port area"]
EN_PROVIDERS = {
    "venue": ["The neighbourhood centre", "The party school", "A building party committee", "The incubator",
              "The industrial park"],
    "policy_advice": ["The district tax office", "The human resources bureau", "The science bureau",
                      "The commerce bureau", "The one-stop service desk"],
    "expert": ["A law firm's party branch", "An accounting firm", "A university team", "A retired customs officer",
               "A patent attorney", "A food safety auditor"],
    "volunteers": ["A student volunteer team", "Hospital doctors", "Party member volunteers",
                   "A youth volunteer association"],
    "training": ["The vocational school", "The business school", "The e-commerce base", "The training centre"],
    "funding": ["A rural commercial bank", "The guarantee company", "An angel investor network",
                "A state-owned bank branch", "The industry fund"],
    "channel": ["The HR market", "The investment promotion office", "The media centre", "A supermarket chain",
                "The business alliance"],
    "other": ["The canteen", "The transport bureau", "A moving company", "The childcare centre"],
}
EN_OFFERS = {
    "venue": ["meeting rooms", "a 300-seat auditorium", "factory space for lease", "hot desks", "warehouse space",
              "cold storage", "an exhibition hall"],
    "policy_advice": ["tax break briefings", "guidance on hiring subsidies", "help with high-tech recognition",
                      "export tax rebate guidance", "business licence advice"],
    "expert": ["free legal advice", "labour law consultations", "patent filing help", "export compliance advice",
               "bookkeeping check-ups", "smart manufacturing consulting", "employee counselling"],
    "volunteers": ["home visits for elderly residents", "free health checks", "tutoring for schoolchildren",
                   "event sign-in and crowd control", "recycling campaigns"],
    "training": ["a digital marketing course", "a cross-border e-commerce bootcamp", "business English classes",
                 "CNC operator training", "a leadership workshop", "financial basics for founders"],
    "funding": ["unsecured loans", "loan guarantees", "seed investment", "trade finance", "green credit",
                "microloans"],
    "channel": ["a weekly job fair", "an online job board", "free promotion", "supplier matchmaking",
                "trade fair booths", "bank-enterprise meetings"],
    "other": ["cheap lunches", "a shuttle bus", "free office furniture", "after-school care", "parking spaces"],
}
EN_AUDIENCES = ["for small businesses", "for startups", "for member organisations", "for exporters",
                "for manufacturers", "for cooperatives", "for community residents", "for social organisations"]
EN_DETAILS = ["free of charge", "up to 5 million yuan", "no collateral needed", "every Saturday", "book a week ahead",
              "certificate on completion", "weekdays only", "first three months free", "limited places",
              "online and offline", "approval within three days", "for up to 200 people"]

ZH_DEMANDS = {
    "financing": ["小公司想贷款扩大生产，没有抵押", "贷款快到期了，续贷资金周转困难", "有发明专利，想用专利贷款", "初创团队想找天使投资",
                  "合作社想贷款买农机"],
    "premises": ["急需租用1500平米厂房", "找个能坐30人的会议室开会", "想借场地搞活动", "刚成立公司想找便宜的办公地方",
                 "需要冷库存放海鲜"],
    "talent": ["急招数控技工20名", "想招几个外贸业务员", "需要持证电工和焊工", "想招应届毕业生", "寻找研发负责人"],
    "legal": ["员工要仲裁，想咨询劳动法", "专利被仿冒想维权", "工友被拖欠工资", "合同纠纷需要律师"],
    "training": ["想做直播带货，员工没经验", "新任支部书记想参加培训", "员工食品安全知识欠缺", "想学财务知识"],
    "market": ["柑橘滞销，想对接超市和电商", "想参加进出口交易会", "想参与政府采购", "新店开业想免费宣传"],
    "public": ["社区独居老人需要志愿者探望", "想组织义诊", "垃圾分类需要志愿者宣传", "周末活动需要志愿者签到"],
    "policy": ["申报高新技术企业需要什么条件", "稳岗补贴怎么申请", "小微企业有哪些减税政策", "老小区加装电梯有补贴吗"],
    "other": ["员工孩子放学后没人管", "工人上下班没有班车", "社会组织缺办公桌椅"],
}
EN_DEMANDS = {
    "financing": ["need a loan to expand but have no collateral", "looking for angel investors",
                  "working capital for export orders", "cheap loans for energy-saving boilers"],
    "premises": ["looking for a venue for 200 people", "need a 2,000 square metre factory", "cold storage near the port",
                 "cheap office with a registration address"],
    "talent": ["hiring fresh graduates, any job fairs?", "need a senior R&D director", "looking for CNC technicians"],
    "legal": ["employee threatens arbitration over dismissal", "export control question from a US customer",
              "our patent was copied"],
    "training": ["sales team needs to learn Amazon", "engineers need smart manufacturing training",
                 "managers need business English"],
    "market": ["free promotion for a new tea shop", "want booths at a trade fair", "looking for supermarket buyers"],
    "public": ["volunteers to visit elderly people living alone", "free health checks for residents",
               "volunteers for a weekend fair"],
    "policy": ["what tax breaks can a small business get", "how to apply for hiring subsidies"],
    "other": ["no bus for night-shift workers", "counselling for stressed employees"],
}


def region_tree() -> list[tuple[int, ...]]:
    """Street-level paths of a province → 10 cities → 10 districts → 10 streets tree (ids unique per level)."""
    return [(1, 10 + c, 1000 + c * 10 + d, 100000 + c * 1000 + d * 10 + s)
            for c in range(10) for d in range(10) for s in range(10)]


def make_docs(n: int, rng: random.Random) -> list[Doc]:
    streets = region_tree()
    today = dt.date(2025, 6, 1).toordinal()
    kinds = list(KINDS)
    docs = []
    for i in range(1, n + 1):
        kind = rng.choice(kinds)
        if rng.random() < 0.6:
            text = (f"{rng.choice(ZH_PLACES)}{rng.choice(ZH_PROVIDERS[kind])}{rng.choice(ZH_OFFERS[kind])}："
                    f"{rng.choice(ZH_AUDIENCES)}，{rng.choice(ZH_OFFERS[kind])}，{rng.choice(ZH_DETAILS)}，"
                    f"{rng.choice(ZH_DETAILS)}。编号{i}")
        else:
            text = (f"{rng.choice(EN_OFFERS[kind]).capitalize()} in {rng.choice(EN_PLACES)}. "
                    f"{rng.choice(EN_PROVIDERS[kind])} offers {rng.choice(EN_OFFERS[kind])} "
                    f"{rng.choice(EN_AUDIENCES)}, {rng.choice(EN_DETAILS)}; {rng.choice(EN_DETAILS)}. Ref {i}")
        region = rng.choice(streets)[: rng.choice((1, 2, 3, 3, 4, 4, 4))]
        start = end = None
        if rng.random() < 0.2:
            start = today + rng.randint(-200, 100)
            end = start + rng.randint(10, 300)
        capacity = rng.choice((None, None, None, None, None, None, 0, 5, 20, 100))
        docs.append(Doc(id=i, text=text, kind=KINDS[kind], region=region, available_from=start,
                        available_until=end, capacity=capacity))
    return docs


def make_queries(count: int, rng: random.Random) -> list[Query]:
    streets = region_tree()
    today = dt.date(2025, 6, 1).toordinal()
    queries = []
    for _ in range(count):
        category = rng.choice(list(CATEGORY_KINDS))
        zh = rng.random() < 0.6
        pool = (ZH_DEMANDS if zh else EN_DEMANDS)[category]
        text = rng.choice(pool)
        if rng.random() < 0.5:  # some demands are longer
            text += ("，" if zh else ". ") + rng.choice(pool)
        queries.append(Query(text=text, kinds=frozenset(KINDS[k] for k in CATEGORY_KINDS[category]),
                             region=rng.choice(streets)[: rng.choice((2, 3, 4, 4))],
                             on=today + rng.randint(0, 60)))
    return queries


def _ms(samples: list[float]) -> dict[str, float]:
    arr = np.asarray(samples) * 1000
    return {"count": len(samples), "mean": round(float(arr.mean()), 4), "p50": round(float(np.percentile(arr, 50)), 4),
            "p95": round(float(np.percentile(arr, 95)), 4), "p99": round(float(np.percentile(arr, 99)), 4),
            "max": round(float(arr.max()), 4)}


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux
        return float("nan")


def _time_searches(index: MatchIndex, queries: list[Query]) -> dict[str, float]:
    for query in queries[:50]:  # warm caches
        index.search(query, k=10)
    samples = []
    for query in queries:
        start = time.perf_counter()
        index.search(query, k=10)
        samples.append(time.perf_counter() - start)
    return _ms(samples)


def run(n: int, seed: int = 1, *, queries: int = 2000, updates: int = 1000) -> dict[str, Any]:
    rng = random.Random(seed)
    jieba_s = warm_up()
    docs = make_docs(n, rng)
    qs = make_queries(queries, rng)

    gc.collect()
    start = time.perf_counter()
    analyzed = {doc.text: tokens_with_surface(doc.text) for doc in docs}
    tokenize_s = time.perf_counter() - start

    def analyzer(text: str) -> list[tuple[str, str]]:
        found = analyzed.get(text)
        return found if found is not None else tokens_with_surface(text)

    gc.collect()
    rss_before = _rss_mb()
    start = time.perf_counter()
    index = MatchIndex(docs, analyzer=analyzer)
    build_s = time.perf_counter() - start
    rss_after = _rss_mb()
    built = index.stats()

    search_fresh = _time_searches(index, qs)
    hits_per_query = statistics.mean(len(index.search(q, k=10)) for q in qs[:200])

    # updates: new docs, replacements of existing docs, removals (tokenising included, as in production)
    fresh_docs = make_docs(updates, random.Random(seed + 1))
    new_docs = [Doc(id=n + d.id, text=d.text + f" 新{d.id}", kind=d.kind, region=d.region,
                    available_from=d.available_from, available_until=d.available_until, capacity=d.capacity)
                for d in fresh_docs]
    upsert_new, upsert_replace, remove = [], [], []
    rows_before = index.stats()["rows"]
    for doc in new_docs:
        t0 = time.perf_counter()
        index.upsert(doc)
        upsert_new.append(time.perf_counter() - t0)
    victims = rng.sample(range(1, n + 1), updates)
    for doc_id, template in zip(victims, make_docs(updates, random.Random(seed + 2)), strict=True):
        doc = Doc(id=doc_id, text=template.text + " 更新", kind=template.kind, region=template.region)
        t0 = time.perf_counter()
        index.upsert(doc)
        upsert_replace.append(time.perf_counter() - t0)
    removed = rng.sample(range(1, n + 1), updates)
    for doc_id in removed:
        t0 = time.perf_counter()
        index.remove(doc_id)
        remove.append(time.perf_counter() - t0)
    after = index.stats()
    search_updated = _time_searches(index, qs)

    start = time.perf_counter()
    index.compact()
    compact_s = time.perf_counter() - start

    # naive keyword baseline over the same n texts (per query; a sample of queries, it is slow)
    lowered = [doc.text.lower() for doc in docs]
    keyword_samples = []
    for query in qs[:30]:
        words = keywords(query.text)
        t0 = time.perf_counter()
        scores = [sum(1 for w in words if w in text) for text in lowered]
        sorted(((-s, i) for i, s in enumerate(scores) if s), key=lambda x: x)[:10]
        keyword_samples.append(time.perf_counter() - t0)

    evaluation = report()
    return {
        "benchmark": "matching", "n": n, "seed": seed, "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
                    "scipy": scipy.__version__, "platform": platform.platform()},
        "target": {"search_p95_ms": TARGET_P95_MS, "met": search_fresh["p95"] <= TARGET_P95_MS
                   and search_updated["p95"] <= TARGET_P95_MS},
        "jieba_init_s": round(jieba_s, 3),
        "tokenize": {"total_s": round(tokenize_s, 3), "per_doc_us": round(tokenize_s / n * 1e6, 1)},
        "build_s": round(build_s, 3),
        "index": built,
        "rss_delta_mb_build": round(rss_after - rss_before, 1),
        "search_ms": search_fresh,
        "hits_per_query": round(hits_per_query, 2),
        "search_after_updates_ms": search_updated,
        "upsert_new_ms": _ms(upsert_new),
        "upsert_replace_ms": _ms(upsert_replace),
        "remove_ms": _ms(remove),
        "updates": {"rows_before": rows_before, "rows_after": after["rows"], "live_after": after["live"],
                    "dead_after": after["dead"], "pending_after": after["pending"],
                    "merges": (after["rows"] - rows_before - after["pending"]) // index.pending_limit,
                    "note": "rows grow by one per upsert (no rebuild); the pending block merges every "
                            f"{index.pending_limit} rows"},
        "compact_s": round(compact_s, 3),
        "keyword_baseline_ms_per_query": _ms(keyword_samples),
        "eval": evaluation,
    }


def markdown(result: dict[str, Any]) -> str:
    s, u = result["search_ms"], result["search_after_updates_ms"]
    lines = [f"Matching engine, n = {result['n']:,} docs ({result['machine']['cpus']} CPUs)", "",
             "| measure | value |", "|---|---|",
             f"| jieba start-up | {result['jieba_init_s']:.2f} s |",
             f"| tokenise all docs | {result['tokenize']['total_s']:.1f} s ({result['tokenize']['per_doc_us']:.0f} µs/doc) |",
             f"| build index (tokens given) | {result['build_s']:.2f} s |",
             f"| index arrays / RSS growth | {result['index']['bytes_arrays'] / 2**20:.1f} MB / "
             f"{result['rss_delta_mb_build']:.0f} MB |",
             f"| top-10 search p50 / p95 / p99 | {s['p50']:.2f} / {s['p95']:.2f} / {s['p99']:.2f} ms |",
             f"| … after {result['upsert_new_ms']['count']} upserts, replacements, removals | "
             f"{u['p50']:.2f} / {u['p95']:.2f} / {u['p99']:.2f} ms |",
             f"| upsert new: mean / p95 / max | {result['upsert_new_ms']['mean']:.3f} / "
             f"{result['upsert_new_ms']['p95']:.3f} / {result['upsert_new_ms']['max']:.1f} ms |",
             f"| upsert replace: mean / p95 | {result['upsert_replace_ms']['mean']:.3f} / "
             f"{result['upsert_replace_ms']['p95']:.3f} ms |",
             f"| remove: mean / p95 | {result['remove_ms']['mean']:.4f} / {result['remove_ms']['p95']:.4f} ms |",
             f"| compact | {result['compact_s']:.2f} s |",
             f"| keyword baseline (substring scan) per query p50 | "
             f"{result['keyword_baseline_ms_per_query']['p50']:.0f} ms |",
             f"| target p95 ≤ {result['target']['search_p95_ms']:.0f} ms | "
             f"{'met' if result['target']['met'] else 'NOT met'} |", "",
             "| ranker | P@5 | R@10 | zh P@5 | zh R@10 | en P@5 | en R@10 |", "|---|---|---|---|---|---|---|"]
    for name, r in result["eval"].items():
        lines.append(f"| {name} | {r['all']['p@5']:.3f} | {r['all']['r@10']:.3f} | {r['zh']['p@5']:.3f} | "
                     f"{r['zh']['r@10']:.3f} | {r['en']['p@5']:.3f} | {r['en']['r@10']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    result = run(args.n, args.seed, queries=args.queries)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
