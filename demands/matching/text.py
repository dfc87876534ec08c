"""Tokenizer for demand/resource matching: Chinese through jieba, English through a tiny stemmer, both mapped onto
shared concept terms by a small bilingual synonym table.

Public API::

    tokens(text: str) -> list[str]                  # index terms, in text order, repeats kept (term frequency)
    tokens_with_surface(text: str) -> list[tuple[str, str]]   # (term, the text it came from), for display
    warm_up() -> float                              # load jieba now; returns the seconds it took

* Chinese runs are cut with ``jieba.lcut_for_search`` (the search mode also emits the short words inside long ones:
  高新区 → 高新, 新区, 高新区), which matched better on the evaluation set than ``jieba.lcut`` (P@5 0.300 vs
  0.276, R@10 0.901 vs 0.863; see ``demands.matching.evaluation``). A small domain dictionary is added (党建,
  结对共建, 专精特新, 直播带货 …).
* English words are lower-cased, stripped of plural/-ing/-ed endings and a trailing e (``courses``, ``course`` →
  ``cours``) and filtered through a stopword list that also drops the filler of requests (need, looking, please …).
  Hyphenated words give their parts and the joined word (``e-commerce`` → ``commerce``, ``ecommerce``).
* Numbers are kept (``2,000`` → ``2000``); punctuation and whitespace never become tokens; single Chinese
  characters are kept unless they are function words (贷, 税 and 房 carry meaning).
* Synonyms: every word of a synonym group — Chinese or English — becomes the group's canonical term, in documents
  and queries alike, so "loan" finds 贷款 and 厂房 finds "factory". English two-word phrases ("cold storage",
  "job fair") are recognised as well, in addition to their words. On the evaluation set the table lifts R@10 from
  0.768 to 0.901 (nearly all of it from the cross-language entries). Extend it with care: a stem shared with a
  common word makes false matches everywhere.

jieba is loaded lazily, once, quietly (its dictionary cache goes to the temp directory); ``warm_up()`` lets a
worker pay the ~0.6 s at start instead of on its first request. Everything here is thread-safe.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable

__all__ = ["tokens", "tokens_with_surface", "warm_up"]


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Words jieba should keep whole (it then still emits their inner words in search mode).
DOMAIN_WORDS = _words("""
党建 结对共建 两新组织 三会一课 主题党日 微党课 党群服务中心 邻里中心 党支部 联合党支部 融资 贷款 信用贷款
担保贷款 转贷 续贷 知识产权 质押融资 专精特新 小巨人 高新技术企业 人才 招聘 招聘会 技工 数控 厂房 标准厂房
场地 工位 孵化器 冷库 志愿者 志愿服务 法律援助 法律顾问 直播带货 带货 电商 跨境电商 楼宇 稳岗 稳岗补贴
惠企政策 减税降费 垃圾分类 独居老人 义诊 政府采购 安全生产 食品安全 加装电梯 讨薪 产销对接 银企对接
""")

# A synonym group: its first member is the canonical term; every member (Chinese words, English words as they are
# written — they are stemmed here — and English two-word phrases) maps onto it. Written from domain knowledge of
# what demands and resources say, not from the evaluation pairs. Beware of stems that collide with common words
# ("parking" → park, as in industrial park; "fired" → fir, as in fire safety): use a phrase instead.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("贷款", "借款", "信贷", "贷", "loan", "loans", "microloan", "borrow", "lending", "credit"),
    ("融资", "financing", "finance", "funding", "fund", "funds"),
    ("资金", "capital", "money", "cash"),
    ("投资", "投资人", "investor", "investment", "invest", "investors", "venture"),
    ("担保", "guarantee"),
    ("抵押", "collateral", "mortgage"),
    ("质押", "pledge"),
    ("补贴", "补助", "贴息", "subsidy", "subsidies", "allowance", "grant"),
    ("税收", "税", "税费", "税务", "纳税", "tax", "taxes", "taxation"),
    ("退税", "rebate", "refund"),
    ("政策", "policy", "policies", "regulation", "rules"),
    ("场地", "场所", "会场", "venue", "venues"),
    ("会议室", "meeting room", "conference room", "meeting rooms"),
    ("礼堂", "大礼堂", "报告厅", "auditorium", "hall"),
    ("厂房", "工厂", "factory", "factories"),
    ("仓库", "仓储", "warehouse", "storage"),
    ("冷库", "cold storage", "cold chain"),
    ("办公", "办公室", "写字楼", "office", "offices"),
    ("工位", "desk", "desks", "coworking", "hot desk"),
    ("租赁", "出租", "招租", "租", "租用", "lease", "rent", "rental", "leasing"),
    ("志愿者", "志愿", "义工", "志愿服务", "volunteer", "volunteers", "volunteering"),
    ("老人", "老年人", "长者", "elderly", "older"),
    ("独居", "live alone", "lives alone", "living alone"),
    ("培训", "课程", "培训班", "培训课", "training", "train", "course", "courses", "bootcamp", "workshop"),
    ("招聘", "招工", "招人", "聘用", "招", "hire", "hiring", "recruit", "recruitment", "recruiting", "vacancy",
     "vacancies"),
    ("招聘会", "job fair", "career fair", "双选会"),
    ("毕业生", "应届", "应届生", "graduate", "graduates"),
    ("人才", "talent", "talents"),
    ("专利", "patent", "patents"),
    ("商标", "trademark", "trademarks"),
    ("知识产权", "intellectual property", "ip"),
    ("侵权", "仿冒", "假冒", "infringement", "counterfeit", "counterfeiting", "infringe"),
    ("律师", "lawyer", "lawyers", "attorney", "attorneys", "solicitor"),
    ("法律", "legal", "law", "laws"),
    ("劳动", "labour", "labor", "employment"),
    ("合同", "contract", "contracts"),
    ("仲裁", "arbitration"),
    ("辞退", "解雇", "开除", "dismissal", "dismiss", "dismissed", "layoff", "layoffs", "裁员"),
    ("纠纷", "争议", "dispute", "disputes"),
    ("工资", "薪水", "欠薪", "wage", "wages", "salary", "pay"),
    ("出口", "export", "exports", "exporter", "exporters", "exporting"),
    ("进口", "import", "imports"),
    ("外贸", "foreign trade", "overseas"),
    ("展会", "交易会", "博览会", "展览", "fair", "exhibition", "expo", "trade fair", "trade show"),
    ("电商", "电子商务", "网店", "ecommerce", "online shop", "online store"),
    ("直播", "livestream", "livestreaming", "live streaming"),
    ("超市", "商超", "supermarket", "supermarkets"),
    ("农产品", "agricultural", "farm produce"),
    ("合作社", "cooperative", "cooperatives", "co-op"),
    ("宣传", "推广", "推介", "promotion", "promote", "publicity", "advertising"),
    ("翻译", "口译", "translation", "translate", "translator", "translators", "interpreter"),
    ("食品安全", "food safety"),
    ("安全生产", "workplace safety", "production safety"),
    ("党员", "party member", "party members"),
    ("党支部", "支部", "party branch"),
    ("主题党日", "themed party day"),
    ("体检", "健康检查", "health check", "health checks", "checkup"),
    ("义诊", "free clinic"),
    ("英语", "english"),
    ("咨询", "consult", "consultation", "consultations", "advice", "advise", "adviser", "advisor", "consultant",
     "counsel"),
    ("指导", "辅导", "guidance", "guide", "coaching", "mentoring", "tutoring", "tutor", "homework"),
    ("专家", "expert", "experts", "specialist"),
    ("会议", "meeting", "meetings", "conference", "conferences"),
    ("创业", "初创", "startup", "startups", "entrepreneur", "entrepreneurs", "founder", "founders"),
    ("中小企业", "小微", "小企业", "小微企业", "中小微", "sme", "smes", "small business", "small businesses",
     "small firm", "small firms"),
    ("心理", "心理咨询", "psychological", "counselling", "counseling", "mental health"),
    ("压力", "stress"),
    ("班车", "通勤", "shuttle", "bus", "commute"),
    ("托管", "看护", "childcare", "after-school", "after school"),
    ("垃圾分类", "waste sorting", "recycling"),
    ("电梯", "elevator", "lift"),
    ("政府采购", "government procurement", "public procurement", "procurement", "tender"),
    ("安全", "safety"),
    ("家具", "桌椅", "furniture"),
    ("停车", "停车位", "car park", "parking space", "parking spaces", "parking lot"),
    ("食堂", "canteen", "cafeteria"),
    ("技工", "技术工人", "technician", "technicians", "skilled worker", "skilled workers"),
    ("数控", "cnc"),
    ("电工", "electrician", "electricians"),
    ("焊工", "welder", "welders", "welding"),
    ("证书", "证", "考证", "certificate", "certificates", "certification", "licence", "license"),
    ("工程师", "engineer", "engineers"),
    ("研发", "r&d"),
    ("数字化", "digital", "digitalisation", "digitalization"),
    ("智能制造", "smart manufacturing", "intelligent manufacturing"),
    ("制造", "manufacturing", "manufacturer", "manufacturers"),
    ("社区", "community", "neighbourhood", "neighborhood"),
    ("居民", "resident", "residents"),
    ("儿童", "孩子", "小学生", "children", "child", "kids", "schoolchildren"),
    ("员工", "职工", "工人", "employee", "employees", "staff", "worker", "workers"),
    ("企业", "公司", "company", "companies", "enterprise", "enterprises", "firm", "business", "businesses"),
    ("银行", "bank", "banks"),
    ("申报", "申请", "apply", "application"),
    ("认定", "recognition", "recognised", "recognized", "accreditation"),
    ("免费", "free"),
    ("教育", "education"),
    ("红色教育", "red education", "revolutionary education"),
    ("纪念馆", "memorial", "museum"),
    ("销售", "sell", "sales", "selling"),
    ("采购", "buyer", "buyers", "purchase", "purchasing"),
    ("供应商", "supplier", "suppliers"),
    ("设备", "equipment"),
    ("节能", "energy-saving", "energy-efficient", "energy efficiency"),
    ("锅炉", "boiler", "boilers"),
)

# Function words and request filler: dropped after segmentation. Meaningful single characters (贷, 税, 房 …) stay.
ZH_STOPWORDS = _words("""
的 地 得 了 着 过 和 与 及 以及 或 或者 而 并 并且 且 但 但是 而且 如果 因为 所以 虽然 然后 还是 就是 只是 只
我 我们 你 你们 您 他 她 它 他们 她们 它们 大家 自己 咱们 本 该 其 此 这 那 这个 那个 这些 那些 这里 那里 这样 那样
之 等 等等 也 都 就 还 又 再 才 很 太 更 最 非常 比较 特别 一直 已经 正在 将 把 被 对 对于 为 为了 从 向 给 让 在 于 以
是 有 没 没有 不 不能 不会 不太 不是 不要 无 能 会 可 可以 能够 要 想 想要 需要 希望 请 请问 麻烦 帮忙 帮助 帮 协助
提供 进行 开展 相关 有关 怎么 怎样 怎么样 如何 什么 哪些 哪个 哪里 谁 吗 呢 吧 啊 呀 嘛 么 哦 一下 一些 一点 点 些
个 位 名 家 次 下 上 中 里 一个 一家 一位 左右 多少 几 几个 有没有 能不能 可不可以 是否 不知道 知道 看看 一 二 两
各 每 其他 其它 及其 即 去 来 目前 现在 今年 已 所 人 者 好 多 少 大 小 做 用 到 说 找 找到 主要 可能
""")

EN_STOPWORDS = _words("""
a an the and or but if then else of to in on at by for with from into onto over under about as than so such
is are was were be been being am do does did done doing have has had having will would shall should can could
may might must i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
this that these those there here what which who whom whose when where why how all any some each every no not
nor only own same too very just also more most other again further once both few many much s t don now out up
down off per via etc please need needs needed want wants wanted looking look like get got able help helps
helping someone somebody anyone anything something thing things around approximately well soon possible let
lets know tell whether through during before after since until while within without across among between
against along upon toward towards yet still even ever
""")

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[A-Za-z][A-Za-z0-9&'\-]*|\d[\d,]*(?:\.\d+)?")
_CJK_RUN = re.compile(rf"[{_CJK}]")

_init_lock = threading.Lock()
_jieba_ready = False
_canon: dict[str, str] = {}      # Chinese word or stemmed English word → canonical term
_phrases: dict[tuple[str, str], str] = {}   # stemmed English word pair → canonical term


def stem(word: str) -> str:
    """A tiny English suffix stripper: plural -s/-es/-ies, -ing, -ed, then a trailing e; lower-case input."""
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("sses", "ches", "shes", "xes", "zes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = _undouble(w[:-3])
    elif len(w) > 4 and w.endswith("ed"):
        w = _undouble(w[:-2])
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def _undouble(w: str) -> str:
    if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "lsz":
        return w[:-1]
    return w


def _english_words(run: str) -> list[str]:
    """The index words of one ASCII run (lower-cased, stemmed, stopwords dropped; hyphens give parts + joined)."""
    low = run.lower().strip("'-")
    if low.endswith("'s"):
        low = low[:-2]
    if "-" in low:
        parts = [p for p in low.split("-") if p]
        out = [stem(p) for p in parts if len(p) > 2 and p not in EN_STOPWORDS]
        joined = "".join(parts)
        if len(parts) > 1 and len(joined) > 1:
            out.append(stem(joined))
        return out
    if "'" in low:  # contractions (can't, we'd, they're) are function words
        return []
    if len(low) <= 1 or low in EN_STOPWORDS:
        return []
    return [stem(low)]


def _load() -> None:
    global _jieba_ready
    if _jieba_ready:
        return
    with _init_lock:
        if _jieba_ready:
            return
        import jieba

        jieba.setLogLevel(logging.WARNING)
        for word in DOMAIN_WORDS:
            jieba.add_word(word)
        for group in SYNONYMS:
            for member in group:
                if _CJK_RUN.search(member):
                    jieba.add_word(member)
        jieba.initialize()
        _build_synonyms()
        _jieba_ready = True


def _build_synonyms() -> None:
    for group in SYNONYMS:
        canonical = group[0]
        for member in group:
            if _CJK_RUN.search(member):
                _canon[member] = canonical
                continue
            parts = member.split()
            words = [_english_words(part) for part in parts]
            if len(parts) == 1 and len(words[0]) == 1:
                _canon[words[0][0]] = canonical
            elif len(parts) == 1 and "-" in member:   # hyphenated: its joined form
                _canon[stem(member.lower().replace("-", ""))] = canonical
            elif len(parts) == 2 and all(len(w) == 1 for w in words):
                _phrases[(words[0][0], words[1][0])] = canonical
            # anything else (stopwords inside, longer phrases) is not recognised


def warm_up() -> float:
    """Load jieba and the dictionaries now; return the seconds it took (0 if already loaded)."""
    start = time.perf_counter()
    _load()
    return time.perf_counter() - start


def _cut(run: str) -> Iterable[str]:
    import jieba

    return jieba.lcut_for_search(run)


def tokens_with_surface(text: str) -> list[tuple[str, str]]:
    """(term, surface) pairs in text order: ``term`` is what the index stores, ``surface`` the word as written."""
    _load()
    out: list[tuple[str, str]] = []
    prev_en: str | None = None     # last English word of the current ASCII stretch, for two-word phrases
    prev_surface = ""
    for match in _RUN.finditer(text):
        run = match.group()
        first = run[0]
        if _CJK_RUN.match(first):
            prev_en = None
            for word in _cut(run):
                if word in ZH_STOPWORDS:
                    continue
                out.append((_canon.get(word, word), word))
        elif first.isdigit():
            prev_en = None
            out.append((run.replace(",", ""), run))
        else:
            words = _english_words(run)
            if not words:
                prev_en = None  # a stopword breaks a phrase
                continue
            for word in words:
                if prev_en is not None and (prev_en, word) in _phrases:
                    out.append((_phrases[(prev_en, word)], f"{prev_surface} {run}"))
                out.append((_canon.get(word, word), run))
                prev_en, prev_surface = word, run
    return out


def tokens(text: str) -> list[str]:
    """The index terms of ``text`` in order, repeats kept."""
    return [term for term, _ in tokens_with_surface(text)]
