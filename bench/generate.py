"""Province-scale data generator: loads a synthetic province into a scratch PostgreSQL database with COPY.

Drops and recreates the scratch database (its name must contain "bench"), runs ``manage.py migrate`` against it
(the real schema, data migrations included: demand categories and deadline tiers, ledger rules), then streams
seeded rows into every table with psycopg 3 ``cursor.copy()`` (COPY … FROM STDIN, text format, ``FREEZE``).
Same ``--seed`` and ``--anchor`` ⇒ same data (only ciphertexts and the password hash differ: Fernet and Argon2 are
salted); every table has its own ``random.Random`` stream derived from the seed, so ``--skip-heavy`` does not change
the tables it keeps. The anchor is the data's "today" (default 2026-11-01, fixed so that runs on different days
compare): the history covers the two years before it, planned activities the two months after it, and open demands
are recent, some past their deadlines. The app judges "overdue", "upcoming" and "this year" by the real clock, so a
harness that cares passes ``--anchor today``.

Shape at ``--scale N`` (N organizations; everything else scales linearly):

* Regions: province → 10 cities → 10 districts each → 8 streets + 2 parks each (1,111 regions at every scale;
  division codes ``99CC00`` / ``99CCDD`` / ``99CCDDSSS``).
* Organizations in DFS (= path) order: province committee → city committees → district committees → street/park
  working committees → general branches (~1 per 11 orgs below a street) → branches. Budgets are allocated city →
  district → street so that the benchmark subtrees are single nodes of exact size at every scale: **20 %** = city 1,
  the capital (region ``990100``, its city committee), **1 %** = district 1 of city 2 (region ``990201``, its
  district committee); the other cities and districts share the rest evenly.
  Every general branch has a Unit (organ, institution, SOE, private, social, community, building or park) that
  its branches share. ``member_count`` equals the live member count; ``secretary`` is the org's first member.
* People: 30 × N members (3 × N with ``--skip-heavy``), in organization order, so the members of any subtree
  are one contiguous id range. Each org's first member is its secretary.
* Alliances N/500 (4 workstreams, 1–3 regions, 8–60 memberships in all states, organizers); pairing programmes
  N/10,000, each owned by a district committee, pairing up to N/40 organ organizations of its district overall
  (1,633 pairs at 100k: districts run out of organs) with 1–3 partners each, and yearly reviews.
* Activities 2 × N over two years before the anchor (+ planned ones after it): hosts (a lead and 0–2 co-hosts among
  its siblings; pair and alliance activities hosted by their sides), ~100 × N attendance rows drawn from the
  hosts' members (unique per activity and person) plus a few guests.
* Resources N, demands 10 × N in every state with consistent timestamps and deadlines (working days, 17:30
  local, from the installed DeadlineTier rows) and one DemandEvent per workflow step; projects N/250 with owners,
  milestones and a "created" event.
* Users (one password, hashed once): see ``USERS``; their usernames and scopes, with the subtree sizes, go into
  the result JSON.

Shortcuts, on purpose:

* Encrypting 3M values with Fernet in Python would dominate the run, so a pool of 2,000 ID numbers and 2,000
  phone numbers (valid GB 11643 / mobile numbers) is encrypted once with ``core.crypto.encrypt`` and the
  ciphertexts are reused. ``id_number_index`` must be unique, so it is the blind index of a *different*, unique
  synthetic ID number per person (``synthetic_id_number(person_id)``, valid check digit), computed with
  ``hmac.digest`` and the key of ``core.crypto`` (checked equal to ``core.crypto.blind_index`` on samples). So
  ``Person.objects.with_id_number(synthetic_id_number(pk))`` finds the person, while the decrypted
  ``id_number`` is a pool value. Data is encrypted with the key of the settings this runs under
  (``DJANGO_SETTINGS_MODULE``, default ``config.settings.bench``, whose fixed benchmark keys the server run by
  ``bench/http_load.py`` shares): the app must run with the same
  ``SECRET_KEY`` / ``FIELD_ENCRYPTION_KEYS`` to decrypt it.
* Foreign keys, unique constraints and secondary indexes are dropped while loading and recreated afterwards
  (indexes built in one pass; foreign keys added NOT VALID then validated, so every reference is still checked).
* ``--skip-heavy`` (growth runs at 1M organizations): regions, units, organizations, users and people only, with
  3 members per organization; no alliance, so no alliance administrator.

Usage::

    .venv/bin/python bench/generate.py --scale 100000 --seed 1 \\
        --database-url postgres://postgres@127.0.0.1:5432/lianmeng_bench [--skip-heavy] [--anchor today] \\
        [--out bench/results/generate.json]

``generate(scale, seed, database_url, skip_heavy=False, *, anchor=ANCHOR)`` returns the figures as a dict (per
table rows/seconds/rows-per-second, steps, users, subtrees, verification), for a harness; ``verify(database_url)``
checks the loaded data through the ORM; ``synthetic_id_number(person_id)`` gives the ID number a person is indexed
under.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hmac
import json
import os
import random
import subprocess
import sys
import threading
import time
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import matching as text_pools  # noqa: E402  (bench/matching.py: the zh/en phrase pools)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lianmeng_bench"
ANCHOR = dt.date(2026, 11, 1)  # "today" of the data: the history ends here, planned activities come after
PASSWORD = "Bench-Lianmeng-2026"
POOL_SIZE = 2000
HISTORY_DAYS = 730
TZ = "+08"  # every timestamp is written in local time (Asia/Shanghai)

ONE_PCT = (1, 0)  # (city index, district index) of the 1 % subtree: district 1 of city 2
TWENTY_PCT = 0  # city index of the 20 % subtree: city 1, the capital
STREETS_PER_DISTRICT, PARKS_PER_DISTRICT = 8, 2

# --------------------------------------------------------------------------------------------------------------
# Phrase pools (text must not contain tab, newline or backslash: it goes into COPY text format unescaped)

PROVINCE = "华安省"
CITIES = ["丰和", "锦城", "临江", "东湖", "滨海", "云山", "青田", "石港", "南屿", "北川"]
CITIES_EN = ["Fenghe", "Jincheng", "Linjiang", "Donghu", "Binhai", "Yunshan", "Qingtian", "Shigang", "Nanyu",
             "Beichuan"]
DISTRICTS = ["鼓楼", "台江", "仓山", "晋安", "马尾", "城关", "新华", "永安", "清源", "海港", "江北", "凤城", "龙岩",
             "湖里", "思明", "集美", "同安", "翔安", "金山", "梅溪"]
STREETS = ["东街", "西街", "南门", "北门", "华林", "温泉", "湖滨", "象园", "茶亭", "洪山", "鼓东", "鼓西", "安泰",
           "水部", "王庄", "鳌峰"]
PARKS = ["高新技术产业园", "经济开发区", "科技创新园", "临港物流园"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏飞宇浩然欣怡婷雪梅丹晨阳帆凯斌健波宁琳峰昊雨涵子轩思源嘉博志远海燕春晓东亮斌颖晶慧"
BRANDS = ["华信", "恒泰", "鑫源", "宏达", "瑞丰", "盛世", "天成", "金海", "永辉", "新元", "博远", "中科", "联创",
          "光明", "正和", "万通", "海星", "嘉禾", "润达", "佳美", "利民", "安捷", "德胜", "汇丰", "锦程", "同创",
          "众诚", "东方", "九洲", "星辰"]
INDUSTRIES = ["科技", "电子", "物流", "食品", "建材", "服装", "机械", "软件", "医药", "贸易", "餐饮", "环保",
              "新能源", "文化传媒", "电子商务", "精密制造", "生物科技", "网络科技", "供应链", "装饰工程"]
ORGAN_UNITS = ["税务分局", "市场监管所", "司法所", "派出所", "人社服务中心", "财政所", "城管中队", "自然资源所",
               "综合执法队", "退役军人服务站", "便民服务中心", "统计站"]
INSTITUTION_UNITS = ["中心小学", "实验中学", "社区卫生服务中心", "中心幼儿园", "文化站", "图书分馆", "职业技术学校",
                     "人民医院分院", "疾控站", "农业技术推广站"]
SOE_UNITS = ["城建集团分公司", "交通投资集团项目部", "水务公司营业所", "供电所", "燃气公司服务站", "农商银行支行",
             "国资运营公司", "港务集团码头", "公交公司车队", "粮食储备库"]
SOCIAL_UNITS = ["商会", "个体劳动者协会", "志愿者协会", "社会工作服务中心", "物业管理协会", "餐饮行业协会",
                "青年创业促进会", "养老服务中心", "律师事务所", "会计师事务所"]
COMMUNITIES = ["东园", "西苑", "新村", "花园", "南湖", "北岭", "金桥", "凤凰", "紫荆", "桂花", "梧桐", "翠竹",
               "春晖", "朝阳", "和平", "建设"]
BUILDINGS = ["国际金融中心", "商务大厦", "科技大厦", "时代广场", "总部大楼", "创意园", "世贸中心", "中心大厦"]
PARK_UNITS = ["产业园管委会", "孵化器", "物流园", "标准厂房区", "众创空间", "电商产业园"]
SECTOR_UNIT_KIND = {"organ": "organ", "institution": "institution", "soe": "soe", "non_public": "private",
                    "social": "social", "community": "community", "building": "building", "park": "park"}
STREET_SECTORS = (["organ", "institution", "soe", "non_public", "social", "community", "building"],
                  [12, 9, 6, 38, 10, 19, 6])
PARK_SECTORS = (["organ", "soe", "non_public", "social", "building", "park"], [5, 10, 55, 5, 5, 20])
ORGAN_SECTORS = ("organ", "institution")
PARTNER_SECTORS = ("soe", "non_public", "social", "building", "park")

ACTIVITY_TOPICS = ["学习贯彻党的二十届三中全会精神", "传承红色基因", "党史学习教育", "廉洁文化进企业", "我为群众办实事",
                   "营商环境大家谈", "安全生产月", "垃圾分类进社区", "助力乡村振兴", "关爱一老一小", "志愿服务进楼宇",
                   "重温入党誓词", "学习新党章", "党建引领基层治理", "创新驱动发展", "法治宣传", "民法典进社区",
                   "消防安全演练", "文明城市创建", "网络安全宣传周", "新时代文明实践", "科技赋能党建", "青年党员说",
                   "两新组织党建观摩", "结对共建交流", "联盟成员单位座谈"]
ACTIVITY_TOPICS_EN = ["Study session on the Third Plenum", "Red heritage tour", "Volunteer day in the community",
                      "Workplace safety month", "Business environment forum", "Joint party day with partners"]
KIND_LABELS = {"party_day": "主题党日", "micro_lesson": "微党课", "members_meeting": "党员大会",
               "committee_meeting": "支委会", "group_meeting": "党小组会", "party_lesson": "党课",
               "study": "集中学习", "forum": "座谈会", "volunteer": "志愿服务", "ceremony": "活动仪式",
               "oath": "重温入党誓词", "other": "活动"}
BRANCH_KINDS = (["members_meeting", "committee_meeting", "group_meeting", "party_lesson", "party_day", "study",
                 "micro_lesson", "volunteer"], [20, 15, 10, 15, 20, 10, 5, 5])
UPPER_KINDS = (["party_day", "study", "forum", "volunteer", "ceremony", "oath", "party_lesson", "other"],
               [20, 20, 15, 15, 10, 5, 10, 5])
VENUES = ["党群服务中心", "会议室", "党员活动室", "社区广场", "红色教育基地", "楼宇党建驿站", "园区报告厅", "线上会议",
          "新时代文明实践站", "企业展厅"]
ALLIANCE_KINDS = (["business_district", "building", "park", "industry", "cross_regional", "other"],
                  [20, 20, 15, 25, 10, 10])
ALLIANCE_LABELS = {"business_district": "商圈", "building": "楼宇", "park": "园区", "industry": "产业链",
                   "cross_regional": "跨区域", "other": "区域化"}
WORKSTREAMS = [("organization", "组织联建"), ("resources", "资源联用"), ("activities", "活动联办"),
               ("talent", "人才联育")]
DEMAND_STATUSES = (["submitted", "accepted", "assigned", "in_progress", "resolved", "review", "closed", "declined"],
                   [4, 3, 4, 6, 8, 1.5, 62, 11.5])
HOPES = ["希望联盟帮忙对接", "请相关部门协调解决", "希望尽快得到答复", "盼望有关单位支持", "恳请帮助协调"]
RESOLUTIONS = ["已对接相关单位，问题已解决。", "已协调有关部门办理完毕。", "已安排专人上门服务，企业表示满意。",
               "已组织专场对接会，达成合作意向。", "已提供政策辅导，企业完成申报。"]
DECLINES = ["不属于本平台受理范围，已告知相关渠道。", "诉求内容重复，已合并办理。", "信息不全，请补充后重新提交。"]
REVIEW_COMMENTS = ["问题没有真正解决。", "答复太笼统，还需要进一步协调。", "处理进度太慢。"]
PROJECT_TOPICS = ["楼宇党建共建阵地建设", "产业链上下游供需对接", "青年人才联合培养计划", "社区养老服务提升",
                  "园区企业融资服务专项", "党建引领营商环境优化", "跨区域红色文化研学线路", "志愿服务品牌打造",
                  "数字化转型诊断服务", "就业招聘服务季"]
MILESTONES = ["制定工作方案", "召开启动会", "完成需求调研", "签订合作协议", "中期评估", "完成主体任务", "总结验收"]

USERS = [  # username, display name, role, scope (see generate())
    ("bench_admin", "平台管理员", "platform_admin", "everything"),
    ("bench_province", "省委组织部", "department_staff", "region:province"),
    ("bench_staff_1pct", "区委组织部（1 %）", "department_staff", "region:1pct"),
    ("bench_staff_20pct", "市委组织部（20 %）", "department_staff", "region:20pct"),
    ("bench_secretary_1pct", "区委书记（1 %）", "secretary", "organization:1pct"),
    ("bench_secretary_20pct", "市委书记（20 %）", "secretary", "organization:20pct"),
    ("bench_branch_secretary", "支部书记", "secretary", "organization:branch"),
    ("bench_member", "党员", "member", "person"),
    ("bench_alliance_admin", "联盟管理员", "alliance_admin", "alliance"),
]


# --------------------------------------------------------------------------------------------------------------
# Time: local seconds since midnight of BASE_DATE, formatted through day and time-of-day tables


@dataclass
class Clock:
    anchor: dt.date
    base: dt.date = field(init=False)
    days: list[str] = field(init=False)
    hms: list[str] = field(init=False)
    now: int = field(init=False)

    def __post_init__(self) -> None:
        self.base = self.anchor - dt.timedelta(days=HISTORY_DAYS + 120)
        self.days = [(self.base + dt.timedelta(days=i)).isoformat() for i in range(HISTORY_DAYS + 800)]
        self.hms = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
        self.now = (self.anchor - self.base).days * 86400
        weekday0 = self.base.weekday()

        @cache
        def add_workdays(day: int, n: int) -> int:
            while n:
                day += 1
                if (weekday0 + day) % 7 < 5:
                    n -= 1
            return day

        self.add_workdays = add_workdays

    def ts(self, s: int) -> str:
        return f"{self.days[s // 86400]} {self.hms[s % 86400]}{TZ}"

    def date(self, s: int) -> str:
        return self.days[s // 86400]

    def due(self, s: int, working_days: int) -> int:
        """Close (17:30) of the Nth working day after the day of ``s``, as demands.workdays.deadline does."""
        return self.add_workdays(s // 86400, working_days) * 86400 + 17 * 3600 + 1800


# --------------------------------------------------------------------------------------------------------------
# COPY plumbing


def _check_columns(conn: psycopg.Connection, table: str, columns: list[str]) -> None:
    """Fail clearly when the schema moved: unknown columns, or a NOT NULL column without default left out."""
    rows = conn.execute(
        "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO' "
        "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s", [table]).fetchall()
    known = {name for name, _required in rows}
    unknown = [c for c in columns if c not in known]
    missing = [name for name, required in rows if required and name not in columns]
    if unknown or missing:
        raise RuntimeError(f"{table}: schema changed (unknown columns {unknown}, required columns not written "
                           f"{missing}); update bench/generate.py")


class Sink:
    """One table's COPY … FROM STDIN (FREEZE) on a connection of its own; callers append text lines to ``buf``."""

    FLUSH_ROWS = 5000

    def __init__(self, url: str, table: str, columns: str) -> None:
        self.table = table
        self.columns = [c.strip() for c in columns.split(",")]
        self.conn = psycopg.connect(url, autocommit=False)
        self.conn.execute("SET synchronous_commit = off")
        _check_columns(self.conn, table, self.columns)
        self.conn.execute(f"TRUNCATE {table}")  # in this transaction: lets COPY write frozen rows
        self.cur = self.conn.cursor()
        self._copy_cm = self.cur.copy(f"COPY {table} ({', '.join(self.columns)}) FROM STDIN (FREEZE)")
        self.copy = self._copy_cm.__enter__()
        self.buf: list[str] = []
        self.rows = 0

    def flush(self) -> None:
        if self.buf:
            self.copy.write("".join(self.buf))
            self.rows += len(self.buf)
            self.buf.clear()

    def maybe_flush(self) -> None:
        if len(self.buf) >= self.FLUSH_ROWS:
            self.flush()

    def close(self) -> None:
        self.flush()
        self._copy_cm.__exit__(None, None, None)
        self.conn.commit()
        self.conn.close()

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._copy_cm.__exit__(RuntimeError, RuntimeError("aborted"), None)
        self.conn.close()


class Report:
    def __init__(self) -> None:
        self.tables: list[dict[str, Any]] = []
        self.steps: dict[str, float] = {}

    @contextlib.contextmanager
    def load(self, url: str, step: str, *specs: tuple[str, str]) -> Iterator[list[Sink]]:
        """Open one sink per (table, columns), yield them, close them; time the whole step."""
        start = time.perf_counter()
        sinks: list[Sink] = []
        try:
            for table, columns in specs:
                sinks.append(Sink(url, table, columns))
            yield sinks
            for sink in sinks:
                sink.close()
        except BaseException:
            for sink in sinks:
                sink.abort()
            raise
        seconds = time.perf_counter() - start
        self.steps[step] = round(seconds, 2)
        for sink in sinks:
            self.tables.append({"table": sink.table, "rows": sink.rows, "seconds": round(seconds, 2),
                                "rows_per_s": round(sink.rows / seconds) if seconds else None, "step": step})
        print(f"  {step}: " + ", ".join(f"{s.table} {s.rows:,}" for s in sinks) + f" in {seconds:.1f} s",
              flush=True)

    @contextlib.contextmanager
    def timed(self, step: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.steps[step] = round(time.perf_counter() - start, 2)
        print(f"  {step}: {self.steps[step]:.1f} s", flush=True)


NULL = "\\N"


def _n(value: int | None) -> str:
    return NULL if value is None else str(value)


# --------------------------------------------------------------------------------------------------------------
# Constraints: dropped for the load, rebuilt after it


def detach_constraints(conn: psycopg.Connection, tables: list[str]) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Drop every foreign key of the schema and the unique constraints and secondary indexes of ``tables``.
    Returns the statements that restore them: (index and unique statements, [(table, add NOT VALID, validate)])."""
    fks = conn.execute(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public' "
        "ORDER BY 1, 2").fetchall()
    restore_fk = []
    for table, name, definition in fks:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        restore_fk.append((table, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID',
                           f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"'))
    restore_idx = []
    for table in tables:
        for name, definition in conn.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = 'u' ORDER BY 1", [table]).fetchall():
            conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            restore_idx.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for name, definition in conn.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1", [table]).fetchall():
            conn.execute(f"DROP INDEX {name}")
            restore_idx.append(definition)
    conn.commit()
    return restore_idx, restore_fk


def _run_parallel(url: str, tasks: list[list[str]], timings: list[tuple[float, str]], workers: int = 2) -> None:
    """Run lists of statements on ``workers`` connections (each list in order, on one connection)."""
    queue = list(reversed(tasks))
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            # Sorts for index builds and hash joins for foreign key validation stay in memory.
            conn.execute("SET maintenance_work_mem = '1GB'")
            conn.execute("SET work_mem = '1GB'")
            while True:
                with lock:
                    if not queue or errors:
                        return
                    task = queue.pop()
                try:
                    for statement in task:
                        start = time.perf_counter()
                        conn.execute(statement)
                        with lock:
                            timings.append((time.perf_counter() - start, statement))
                except BaseException as exc:
                    with lock:
                        errors.append(exc)
                    return

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def restore_constraints(url: str, restore_idx: list[str], restore_fk: list[tuple[str, str, str]],
                        sizes: dict[str, int]) -> list[dict[str, Any]]:
    """Rebuild indexes and unique constraints, then add and validate the foreign keys; return the slowest
    statements."""
    def table_of(statement: str) -> str:
        words = statement.split()
        return words[words.index("ON") + 1].removeprefix("public.") if "ON" in words else words[2]

    # Biggest tables first, so the two connections finish together.
    timings: list[tuple[float, str]] = []
    _run_parallel(url, [[s] for s in sorted(restore_idx, key=lambda s: -sizes.get(table_of(s), 0))], timings)
    with psycopg.connect(url, autocommit=True) as conn:
        for _table, add, _validate in restore_fk:
            conn.execute(add)
    by_table: dict[str, list[str]] = {}
    for table, _add, validate in restore_fk:
        by_table.setdefault(table, []).append(validate)
    _run_parallel(url, [by_table[t] for t in sorted(by_table, key=lambda t: -sizes.get(t, 0))], timings)
    return [{"seconds": round(seconds, 2), "sql": sql} for seconds, sql in sorted(timings, reverse=True)[:10]]


# --------------------------------------------------------------------------------------------------------------
# Crypto shortcuts


ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def _id_check(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def synthetic_id_number(person_id: int) -> str:
    """The unique (valid) ID number whose blind index the generator stored for this person."""
    high, low = divmod(person_id, 10_000_000)
    birth = (dt.date(1950, 1, 1) + dt.timedelta(days=high * 97)).strftime("%Y%m%d")
    first17 = f"99{low // 1000:04d}{birth}{low % 1000:03d}"
    return first17 + _id_check(first17)


class IdIndexer:
    """``blind_index(synthetic_id_number(i))`` for millions of i, fast: the check digit from partial sums, one
    ``hmac.digest`` per row."""

    def __init__(self) -> None:
        from core.crypto import _index_key, blind_index

        self.key = _index_key()
        self.reg = [f"99{r:04d}" for r in range(10000)]
        self.reg_sum = [sum(int(c) * w for c, w in zip(s, ID_WEIGHTS[:6], strict=True)) for s in self.reg]
        self.seq = [f"{s:03d}" for s in range(1000)]
        self.seq_sum = [sum(int(c) * w for c, w in zip(s, ID_WEIGHTS[14:], strict=True)) for s in self.seq]
        self.births: list[str] = []
        self.birth_sum: list[int] = []
        for sample in (1, 12_345, 9_999_999, 10_000_000, 123_456_789):
            if self.index(sample) != blind_index(synthetic_id_number(sample)):
                raise RuntimeError("the fast blind index differs from core.crypto.blind_index")

    def _birth(self, high: int) -> tuple[str, int]:
        while len(self.births) <= high:
            b = (dt.date(1950, 1, 1) + dt.timedelta(days=len(self.births) * 97)).strftime("%Y%m%d")
            self.births.append(b)
            self.birth_sum.append(sum(int(c) * w for c, w in zip(b, ID_WEIGHTS[6:14], strict=True)))
        return self.births[high], self.birth_sum[high]

    def index(self, person_id: int) -> str:
        high, low = divmod(person_id, 10_000_000)
        birth, bsum = self._birth(high)
        r, s = divmod(low, 1000)
        number = self.reg[r] + birth + self.seq[s] + ID_CHECK[(self.reg_sum[r] + bsum + self.seq_sum[s]) % 11]
        return hmac.digest(self.key, number.encode(), "sha256").hex()


def crypto_pools(rng: random.Random) -> tuple[list[str], list[str], list[str], list[str]]:
    """(ID numbers, their ciphertexts, phones, their ciphertexts): POOL_SIZE each, encrypted once."""
    from core.crypto import encrypt

    ids, phones = [], []
    for _ in range(POOL_SIZE):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 55))
        first17 = f"3501{rng.randint(1, 99):02d}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        ids.append(first17 + _id_check(first17))
        phones.append(f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}")
    return ids, [encrypt(v) for v in ids], phones, [encrypt(v) for v in phones]


# --------------------------------------------------------------------------------------------------------------
# The tree


@dataclass
class Street:
    index: int
    region: int
    city: int
    district: int
    is_park: bool
    name: str
    committee: int = 0  # organization id of the street/park working committee
    unit_lo: int = 0
    unit_hi: int = 0


@dataclass
class Tree:
    """Regions and organizations; organization arrays are indexed by id (index 0 unused)."""

    regions: list[str] = field(default_factory=list)  # COPY lines
    province_region: int = 0
    city_regions: list[int] = field(default_factory=list)
    district_regions: list[list[int]] = field(default_factory=list)
    district_names: list[list[str]] = field(default_factory=list)
    streets: list[Street] = field(default_factory=list)
    region_paths: dict[int, str] = field(default_factory=dict)
    units: list[str] = field(default_factory=list)  # COPY lines
    unit_names: list[str] = field(default_factory=lambda: [""])
    # organizations
    path: list[str] = field(default_factory=lambda: [""])
    name: list[str] = field(default_factory=lambda: [""])
    parent: list[int] = field(default_factory=lambda: [0])
    depth: list[int] = field(default_factory=lambda: [0])
    type: list[str] = field(default_factory=lambda: [""])
    sector: list[str] = field(default_factory=lambda: [""])
    region: list[int] = field(default_factory=lambda: [0])
    unit: list[int] = field(default_factory=lambda: [0])
    street: list[int] = field(default_factory=lambda: [-1])
    end: list[int] = field(default_factory=lambda: [0])  # subtree = ids [id, end[id])
    children: dict[int, list[int]] = field(default_factory=dict)
    by_type: dict[str, list[int]] = field(default_factory=dict)
    city_committees: list[int] = field(default_factory=list)
    district_committees: list[list[int]] = field(default_factory=list)
    organ_orgs: dict[tuple[int, int], list[int]] = field(default_factory=dict)  # (city, district) → ids
    partner_orgs: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.path) - 1


def _largest_remainder(total: int, weights: list[float]) -> list[int]:
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: counts[i] - raw[i])[: total - sum(counts)]:
        counts[i] += 1
    return counts


def street_budgets(scale: int) -> list[int]:
    """Organizations under each of the 1,000 street/park committees (in region order), allocated city → district →
    street so that the capital's subtree is 20 % and district 1 of city 2 is 1 % of all organizations."""
    if scale < 5000:
        raise ValueError("--scale must be at least 5000")
    below = scale - 1111  # the 1,111 committees down to street level are fixed
    capital = round(0.2 * scale) - 111  # its city, district and street committees are part of the 20 %
    one_pct = round(0.01 * scale) - 11
    budgets: list[int] = []
    for c, city_total in enumerate([capital, *_largest_remainder(below - capital, [1.0] * 9)]):
        if c == TWENTY_PCT:
            districts = _largest_remainder(city_total, [1.0] * 10)
        elif c == ONE_PCT[0]:
            districts = _largest_remainder(city_total - one_pct, [1.0] * 9)
            districts.insert(ONE_PCT[1], one_pct)
        else:
            districts = _largest_remainder(city_total, [1.0] * 10)
        for district_total in districts:
            budgets += _largest_remainder(district_total, [1.0] * (STREETS_PER_DISTRICT + PARKS_PER_DISTRICT))
    return budgets


def build_tree(scale: int, rng: random.Random, clock: Clock) -> Tree:
    from core.tree import encode_step

    steps = [""] + [encode_step(i) for i in range(1, 2000)]
    tree = Tree()
    created = clock.ts(clock.now - (HISTORY_DAYS + 100) * 86400)

    # Regions (DFS order) ------------------------------------------------------------------------------------------
    def add_region(path: str, name: str, name_en: str, code: str, level: str, parent: int | None) -> int:
        rid = len(tree.regions) + 1
        tree.regions.append(f"{rid}\t{created}\t{created}\t{path}\t{len(path) // 4}\t{name}\t{name_en}\t{code}\t"
                            f"{level}\t{_n(parent)}\n")
        tree.region_paths[rid] = path
        return rid

    p_path = steps[1]
    tree.province_region = add_region(p_path, PROVINCE, "Hua'an Province", "990000", "province", None)
    budgets = street_budgets(scale)
    for c in range(10):
        c_path = p_path + steps[c + 1]
        tree.city_regions.append(add_region(c_path, CITIES[c] + "市", CITIES_EN[c], f"99{c + 1:02d}00", "city",
                                            tree.province_region))
        tree.district_regions.append([])
        tree.district_names.append([])
        for d in range(10):
            d_path = c_path + steps[d + 1]
            d_name = DISTRICTS[(c * 7 + d) % len(DISTRICTS)] + "区"
            tree.district_names[c].append(d_name)
            d_region = add_region(d_path, d_name, f"{CITIES_EN[c]} district {d + 1}", f"99{c + 1:02d}{d + 1:02d}",
                                  "district", tree.city_regions[c])
            tree.district_regions[c].append(d_region)
            for s in range(STREETS_PER_DISTRICT + PARKS_PER_DISTRICT):
                is_park = s >= STREETS_PER_DISTRICT
                s_name = (PARKS[(c + d + s) % len(PARKS)] if is_park
                          else STREETS[(c * 3 + d * 5 + s) % len(STREETS)] + "街道")
                s_region = add_region(d_path + steps[s + 1], s_name, f"{CITIES_EN[c]} {d + 1}-{s + 1}",
                                      f"99{c + 1:02d}{d + 1:02d}{s + 1:03d}", "park" if is_park else "street",
                                      d_region)
                tree.streets.append(Street(len(tree.streets), s_region, c, d, is_park, s_name))

    # Organizations (DFS order, so a subtree is an id range) ----------------------------------------------------
    def add_org(path: str, parent: int, type_: str, sector: str, region: int, name: str, unit: int,
                street: int) -> int:
        oid = len(tree.path)
        tree.path.append(path)
        tree.name.append(name)
        tree.parent.append(parent)
        tree.depth.append(len(path) // 4)
        tree.type.append(type_)
        tree.sector.append(sector)
        tree.region.append(region)
        tree.unit.append(unit)
        tree.street.append(street)
        tree.end.append(oid + 1)
        tree.by_type.setdefault(type_ if type_ != "committee" else f"committee{len(path) // 4}", []).append(oid)
        if parent:
            tree.children.setdefault(parent, []).append(oid)
        return oid

    used_unit_names: set[tuple[int, str]] = set()

    def add_unit(kind: str, name: str, street: Street) -> int:
        base, n = name, 1
        while (street.region, name) in used_unit_names:
            n += 1
            name = f"{base}（{n}）"
        used_unit_names.add((street.region, name))
        uid = len(tree.units) + 1
        industry = rng.choice(INDUSTRIES) if kind in ("private", "soe") else ""
        employees = _n(rng.randint(10, 2000)) if kind in ("private", "soe", "social") else "\\N"
        credit = f"91{uid:016d}" if kind in ("private", "soe", "social") else "\\N"
        tree.units.append(f"{uid}\t{created}\t{created}\t{name}\t{kind}\t{credit}\t{industry}\t{employees}\t"
                          f"{street.name}\t{street.region}\n")
        tree.unit_names.append(name)
        return uid

    def unit_name(sector: str, street: Street, city: str, district: str) -> str:
        r = rng.random
        if sector == "organ":
            return f"{district}{street.name}{ORGAN_UNITS[int(r() * len(ORGAN_UNITS))]}"
        if sector == "institution":
            return f"{street.name}{INSTITUTION_UNITS[int(r() * len(INSTITUTION_UNITS))]}"
        if sector == "soe":
            return f"{city}市{SOE_UNITS[int(r() * len(SOE_UNITS))]}"
        if sector == "non_public":
            return f"{city}{BRANDS[int(r() * len(BRANDS))]}{INDUSTRIES[int(r() * len(INDUSTRIES))]}有限公司"
        if sector == "social":
            return f"{district}{SOCIAL_UNITS[int(r() * len(SOCIAL_UNITS))]}"
        if sector == "community":
            return f"{street.name}{COMMUNITIES[int(r() * len(COMMUNITIES))]}社区居民委员会"
        if sector == "building":
            return f"{BRANDS[int(r() * len(BRANDS))]}{BUILDINGS[int(r() * len(BUILDINGS))]}"
        return f"{street.name}{PARK_UNITS[int(r() * len(PARK_UNITS))]}"

    province = add_org(p_path, 0, "committee", "organ", tree.province_region, f"中共{PROVINCE}委员会", 0, -1)
    street_iter = iter(tree.streets)
    for c in range(10):
        c_path = p_path + steps[c + 1]
        city = add_org(c_path, province, "committee", "organ", tree.city_regions[c], f"中共{CITIES[c]}市委员会",
                       0, -1)
        tree.city_committees.append(city)
        tree.district_committees.append([])
        for d in range(10):
            d_path = c_path + steps[d + 1]
            d_name = tree.district_names[c][d]
            district = add_org(d_path, city, "committee", "organ", tree.district_regions[c][d],
                               f"中共{CITIES[c]}市{d_name}委员会", 0, -1)
            tree.district_committees[c].append(district)
            organ_list = tree.organ_orgs.setdefault((c, d), [])
            partner_list = tree.partner_orgs.setdefault((c, d), [])
            for s in range(STREETS_PER_DISTRICT + PARKS_PER_DISTRICT):
                street = next(street_iter)
                s_path = d_path + steps[s + 1]
                suffix = "工作委员会" if street.is_park else "街道工作委员会"
                committee = add_org(s_path, district, "committee", "park" if street.is_park else "community",
                                    street.region, f"中共{d_name}{street.name.removesuffix('街道')}{suffix}", 0,
                                    street.index)
                street.committee = committee
                street.unit_lo = len(tree.units) + 1
                budget = budgets[street.index]
                n_gb = max(1, round(budget / 11))
                branches = [(budget - n_gb) // n_gb] * n_gb
                for i in rng.sample(range(n_gb), (budget - n_gb) % n_gb):
                    branches[i] += 1
                sectors, sweights = PARK_SECTORS if street.is_park else STREET_SECTORS
                for g in range(n_gb):
                    sector = rng.choices(sectors, sweights)[0]
                    unit = add_unit(SECTOR_UNIT_KIND[sector], unit_name(sector, street, CITIES[c], d_name), street)
                    uname = tree.unit_names[unit]
                    gb_path = s_path + steps[g + 1]
                    gb = add_org(gb_path, committee, "general_branch", sector, street.region, f"中共{uname}总支部委员会",
                                 unit, street.index)
                    joint = sector in ("building", "park")
                    (organ_list if sector in ORGAN_SECTORS else partner_list).append(gb)
                    for b in range(branches[g]):
                        bid = add_org(gb_path + steps[b + 1], gb, "joint_branch" if joint else "branch", sector,
                                      street.region, f"{uname}第{b + 1}{'联合' if joint else ''}党支部", unit,
                                      street.index)
                        (organ_list if sector in ORGAN_SECTORS else partner_list).append(bid)
                    tree.end[gb] = len(tree.path)
                tree.end[committee] = len(tree.path)
                street.unit_hi = len(tree.units) + 1
            tree.end[district] = len(tree.path)
        tree.end[city] = len(tree.path)
    tree.end[province] = len(tree.path)
    return tree


def member_counts(tree: Tree, total: int, rng: random.Random) -> list[int]:
    """Members per organization (index 0 unused), summing to ``total``; branches hold most of them."""
    raw = [0]
    r = rng.random
    for oid in range(1, tree.size + 1):
        type_ = tree.type[oid]
        if type_ in ("branch", "joint_branch"):
            raw.append(8 + int(r() * 45))
        elif type_ == "general_branch":
            raw.append(2 + int(r() * 7))
        else:
            raw.append(5 + int(r() * 16))
    factor = total / sum(raw)
    counts = [0]
    carry = 0.0
    for value in raw[1:]:
        exact = value * factor + carry
        count = int(exact)
        carry = exact - count
        counts.append(count)
    counts[-1] += total - sum(counts)
    return counts


# --------------------------------------------------------------------------------------------------------------
# Loaders


def load_tree(report: Report, url: str, tree: Tree, counts: list[int], pstart: array, clock: Clock,
              rng: random.Random) -> None:
    with report.load(url, "regions", ("organizations_region",
                     "id, created_at, updated_at, path, depth, name, name_en, code, level, parent_id")) as (s,):
        s.buf.extend(tree.regions)
    with report.load(url, "units", ("organizations_unit", "id, created_at, updated_at, name, kind, credit_code, "
                                    "industry, employee_count, address, region_id")) as (s,):
        s.buf.extend(tree.units)
    created = clock.ts(clock.now - (HISTORY_DAYS + 100) * 86400)
    founded = [clock.date(clock.now - d * 86400) for d in range(400, HISTORY_DAYS + 100)]
    with report.load(url, "organizations", ("organizations_organization",
                     "id, created_at, updated_at, path, depth, name, short_name, code, type, sector, contact_name, "
                     "contact_phone, contact_phone_masked, founded_on, member_count, parent_id, secretary_id, region_id, "
                     "unit_id")) as (s,):
        append, r, nf = s.buf.append, rng.random, len(founded)
        for oid in range(1, tree.size + 1):
            parent, unit, count = tree.parent[oid], tree.unit[oid], counts[oid]
            append(f"{oid}\t{created}\t{created}\t{tree.path[oid]}\t{tree.depth[oid]}\t{tree.name[oid]}\t\t"
                   f"99{oid:010d}\t{tree.type[oid]}\t{tree.sector[oid]}\t\t\t\t{founded[int(r() * nf)]}\t{count}\t"
                   f"{parent or NULL}\t{pstart[oid] if count else NULL}\t{tree.region[oid]}\t{unit or NULL}\n")
            if not oid % 5000:
                s.maybe_flush()


def load_people(report: Report, url: str, tree: Tree, pstart: array, clock: Clock,
                rng: random.Random, pools: tuple[list[str], list[str], list[str], list[str]]) -> None:
    names = [rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
             for _ in range(20000)]
    joined = [(clock.anchor - dt.timedelta(days=d)).isoformat() for d in range(30, 365 * 50)]
    from core.crypto import mask_id_number, mask_phone

    ids, id_cipher, phones, phone_cipher = pools
    id_masked, phone_masked = [mask_id_number(v) for v in ids], [mask_phone(v) for v in phones]
    indexer = IdIndexer()
    created = clock.ts(clock.now - (HISTORY_DAYS + 90) * 86400)
    with report.load(url, "people", ("organizations_person",
                     "id, created_at, updated_at, kind, name, gender, id_number, id_number_index, id_number_masked, "
                     "phone, phone_masked, member_status, joined_party_on, title, organization_id, user_id, unit_id")) as (s,):
        append, r, index = s.buf.append, rng.random, indexer.index
        nn, nj = len(names), len(joined)
        head = f"\t{created}\t{created}\tmember\t"
        for oid in range(1, tree.size + 1):
            unit = tree.unit[oid] or "\\N"
            tail = f"\t\t{oid}\t\\N\t{unit}\n"
            for pid in range(pstart[oid], pstart[oid + 1]):
                x = r()
                append(f"{pid}{head}{names[int(x * nn)]}\t{'male' if x < 0.7 else 'female'}\t"
                       f"{id_cipher[pid % POOL_SIZE]}\t{index(pid)}\t{id_masked[pid % POOL_SIZE]}\t"
                       f"{phone_cipher[(pid * 7) % POOL_SIZE]}\t{phone_masked[(pid * 7) % POOL_SIZE]}\t"
                       f"{'probationary' if r() < 0.06 else 'full'}\t{joined[int(r() * nj)]}{tail}")
            s.maybe_flush()


def load_users(report: Report, url: str, tree: Tree, pstart: array, clock: Clock,
               alliance_id: int | None) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password

    password = make_password(PASSWORD)
    c1, d1 = ONE_PCT
    district = tree.district_committees[c1][d1]
    city = tree.city_committees[TWENTY_PCT]
    # The branch secretary: the first branch of the 1 % district that has two members or more.
    branch = next(o for o in range(district, tree.end[district])
                  if tree.type[o] == "branch" and pstart[o + 1] - pstart[o] >= 2)
    scopes: dict[str, tuple[str | None, int | None]] = {
        "everything": (None, None), "region:province": ("region", tree.province_region),
        "region:1pct": ("region", tree.district_regions[c1][d1]),
        "region:20pct": ("region", tree.city_regions[TWENTY_PCT]),
        "organization:1pct": ("organization", district), "organization:20pct": ("organization", city),
        "organization:branch": ("organization", branch), "person": (None, None),
        "alliance": ("alliance", alliance_id),
    }
    joined = clock.ts(clock.now - 400 * 86400)
    users: dict[str, Any] = {}
    links: dict[int, int] = {}  # person id → user id
    with report.load(url, "users", ("accounts_user", "id, password, last_login, is_superuser, username, first_name, "
                                    "last_name, email, is_staff, is_active, date_joined, display_name, "
                                    "language"),
                     ("accounts_roleassignment", "id, created_at, updated_at, role, organization_id, region_id, "
                                                 "user_id, alliance_id")) as (u, ra):
        uid = 0
        for username, display, role, scope in USERS:
            kind, target = scopes[scope]
            if kind == "alliance" and target is None:
                continue  # --skip-heavy: no alliance
            uid += 1
            admin = role == "platform_admin"
            u.buf.append(f"{uid}\t{password}\t\\N\t{admin}\t{username}\t\t\t{username}@bench.invalid\t{admin}\t"
                         f"true\t{joined}\t{display}\t\n")  # language: the platform's
            ra.buf.append(f"{uid}\t{joined}\t{joined}\t{role}\t{_n(target if kind == 'organization' else None)}\t"
                          f"{_n(target if kind == 'region' else None)}\t{uid}\t"
                          f"{_n(target if kind == 'alliance' else None)}\n")
            entry: dict[str, Any] = {"id": uid, "role": role, "scope": scope}
            if kind == "region":
                entry["region_id"], entry["region_path"] = target, tree.region_paths[target]  # type: ignore[index]
            elif kind == "organization":
                entry["organization_id"], entry["organization_path"] = target, tree.path[target]  # type: ignore[index]
                entry["organizations"] = tree.end[target] - target  # type: ignore[operator]
            elif kind == "alliance":
                entry["alliance_id"] = target
            if username == "bench_branch_secretary":
                links[pstart[branch]] = uid  # the branch's secretary (its first member)
                entry["person_id"] = pstart[branch]
            if username == "bench_member":
                links[pstart[branch] + 1] = uid
                entry["person_id"] = pstart[branch] + 1
                entry["organization_id"] = branch
            users[username] = entry
    with psycopg.connect(url) as conn:
        for person, user in links.items():
            conn.execute("UPDATE organizations_person SET user_id = %s WHERE id = %s", [user, person])
    return users


@dataclass
class AllianceInfo:
    id: int
    status: str
    regions: list[int]
    active: list[int]  # active member organizations, lead first
    workstreams: list[int]


def load_alliances(report: Report, url: str, tree: Tree, clock: Clock, rng: random.Random,
                   scale: int) -> list[AllianceInfo]:
    count = max(4, scale // 500)
    r = rng.random
    infos: list[AllianceInfo] = []
    with report.load(url, "alliances",
                     ("alliances_alliance", "id, created_at, updated_at, name, kind, theme, declaration, founded_on, "
                                            "status, parent_id"),
                     ("alliances_allianceregion", "id, alliance_id, region_id"),
                     ("alliances_workstream", "id, created_at, updated_at, code, name, description, position, "
                                              "is_active, alliance_id"),
                     ("alliances_membership", "id, created_at, updated_at, role, status, joined_on, left_on, "
                                              "chair_term_start, chair_term_end, reason, alliance_id, "
                                              "organization_id"),
                     ("alliances_organizer", "id, created_at, updated_at, part, alliance_id, organization_id, "
                                             "unit_id")) as (al, ar, ws, ms, og):
        ar_id = ws_id = ms_id = og_id = 0
        for aid in range(1, count + 1):
            kind = rng.choices(*ALLIANCE_KINDS)[0]
            # Alliance 1 (the alliance administrator's) is large and active, in the 1 % district.
            status = "active" if aid == 1 or r() < 0.85 else ("preparing" if r() < 0.67 else "dissolved")
            if kind == "cross_regional":
                picks = [(c, rng.randrange(10)) for c in rng.sample(range(10), rng.randint(2, 3))]
            else:
                picks = [ONE_PCT if aid == 1 else (rng.randrange(10), rng.randrange(10))]
            c0, d0 = picks[0]
            regions = [tree.district_regions[c][d] for c, d in picks]
            if kind in ("building", "park", "business_district") and r() < 0.5:  # street-level alliances
                streets = [s for s in tree.streets if s.city == c0 and s.district == d0]
                regions = [s.region for s in rng.sample(streets, rng.randint(1, 2))]
            founded = clock.now - int(r() * HISTORY_DAYS) * 86400 - 30 * 86400
            created = clock.ts(founded)
            name = f"{tree.district_names[c0][d0]}{ALLIANCE_LABELS[kind]}党建联盟（{aid}）"
            parent = rng.randrange(1, aid) if aid > 10 and r() < 0.1 else None
            al.buf.append(f"{aid}\t{created}\t{created}\t{name}\t{kind}\t{rng.choice(ACTIVITY_TOPICS)}\t"
                          f"共建共享、联动发展：{name}成员单位携手推进党建引领。\t{clock.date(founded)}\t{status}\t"
                          f"{_n(parent)}\n")
            for region in regions:
                ar_id += 1
                ar.buf.append(f"{ar_id}\t{aid}\t{region}\n")
            streams = []
            for position, (code, wname) in enumerate(WORKSTREAMS):
                ws_id += 1
                streams.append(ws_id)
                ws.buf.append(f"{ws_id}\t{created}\t{created}\t{code}\t{wname}\t\t{position}\ttrue\t{aid}\n")
            # Members: organizations under the alliance's regions.
            ranges = []
            for region in regions:
                street = next((s for s in tree.streets if s.region == region), None)
                root = street.committee if street else next(
                    tree.district_committees[c][d] for c, d in picks if tree.district_regions[c][d] == region)
                ranges.append((root, tree.end[root]))
            pool = [o for lo, hi in ranges for o in range(lo, hi) if tree.type[o] != "committee"]
            size = min(len(pool), 60 if aid == 1 else rng.randint(8, 60))
            members = rng.sample(pool, size)
            active = []
            for position, org in enumerate(members):
                role = "lead" if position == 0 else ("chair" if position == 1 else "member")
                m_status = "active" if position < 2 or status != "active" or r() < 0.85 else rng.choice(
                    ["applied", "invited", "left", "refused", "declined"])
                if status == "preparing" and position >= 2:
                    m_status = rng.choice(["active", "invited", "applied"])
                joined = clock.date(founded + int(r() * 60) * 86400) if m_status in ("active", "left") else "\\N"
                left = clock.date(clock.now - int(r() * 90) * 86400) if m_status == "left" else "\\N"
                chair = (clock.date(founded), clock.date(founded + 365 * 86400)) if role == "chair" else ("\\N",
                                                                                                        "\\N")
                reason = "工作调整" if m_status in ("left", "refused", "declined") else ""
                ms_id += 1
                ms.buf.append(f"{ms_id}\t{created}\t{created}\t{role}\t{m_status}\t{joined}\t{left}\t{chair[0]}\t"
                              f"{chair[1]}\t{reason}\t{aid}\t{org}\n")
                if m_status == "active":
                    active.append(org)
            og_id += 1
            og.buf.append(f"{og_id}\t{created}\t{created}\thost\t{aid}\t{members[0]}\t\\N\n")
            if tree.unit[members[0]]:
                og_id += 1
                og.buf.append(f"{og_id}\t{created}\t{created}\torganizer\t{aid}\t\\N\t{tree.unit[members[0]]}\n")
            infos.append(AllianceInfo(aid, status, regions, active, streams))
    return infos


@dataclass
class PairInfo:
    id: int
    status: str
    organ: int
    partners: list[int]
    owner: int  # the programme's owner organization


def load_pairing(report: Report, url: str, tree: Tree, clock: Clock, rng: random.Random,
                 scale: int) -> list[PairInfo]:
    programmes = max(2, scale // 10000)
    per_programme = max(10, scale // 40 // programmes)
    r = rng.random
    pairs: list[PairInfo] = []
    statuses = (["active", "proposed", "under_review", "renewed", "ended"], [55, 10, 10, 15, 10])
    with report.load(url, "pairing",
                     ("pairing_pairingprogramme", "id, created_at, updated_at, name, starts_on, ends_on, "
                                                  "description, max_partners_per_organ, owner_id"),
                     ("pairing_pair", "id, created_at, updated_at, status, starts_on, ends_on, signed_on, goals, "
                                      "teams_content, activities_content, appeals_content, "
                                      "target_activities_per_quarter, end_reason, organ_id, programme_id"),
                     ("pairing_pairpartner", "id, organization_id, pair_id"),
                     ("pairing_pairreview", "id, created_at, updated_at, year, rating, comments, pair_id, "
                                            "reviewed_by_id")) as (pg, pa, pp, pr):
        districts = rng.sample([(c, d) for c in range(10) for d in range(10)], min(programmes, 100))
        pp_id = pr_id = 0
        start = clock.now - 700 * 86400
        for prog, (c, d) in enumerate(districts, start=1):
            owner = tree.district_committees[c][d]
            created = clock.ts(start)
            pg.buf.append(f"{prog}\t{created}\t{created}\t{tree.district_names[c][d]}机关与两新组织结对共建（{prog}）\t"
                          f"{clock.date(start)}\t{clock.date(start + 1095 * 86400)}\t机关党组织与两新组织结对共建。\t3\t"
                          f"{owner}\n")
            organs, partners = tree.organ_orgs[(c, d)], tree.partner_orgs[(c, d)]
            for organ in rng.sample(organs, min(per_programme, len(organs), len(partners))):
                status = rng.choices(*statuses)[0]
                pid = len(pairs) + 1
                signed = clock.date(start + int(r() * 60) * 86400) if status != "proposed" else NULL
                pa.buf.append(f"{pid}\t{created}\t{created}\t{status}\t{clock.date(start)}\t"
                              f"{clock.date(start + 1095 * 86400)}\t{signed}\t共同提升党建工作水平。\t联合培训党务干部。\t"
                              f"每季度联合开展一次主题党日。\t协调解决企业诉求。\t1\t{'协议期满，双方同意结束。' if status == 'ended' else ''}\t"
                              f"{organ}\t{prog}\n")
                chosen = rng.sample(partners, rng.randint(1, min(3, len(partners))))
                for partner in chosen:
                    pp_id += 1
                    pp.buf.append(f"{pp_id}\t{partner}\t{pid}\n")
                if status in ("active", "renewed", "under_review", "ended"):
                    pr_id += 1
                    pr.buf.append(f"{pr_id}\t{created}\t{created}\t{ANCHOR.year - 1}\t"
                                  f"{rng.choice(['excellent', 'good', 'good', 'satisfactory'])}\t按计划开展活动。\t"
                                  f"{pid}\t\\N\n")
                pairs.append(PairInfo(pid, status, organ, chosen, owner))
    return pairs


def load_activities(report: Report, url: str, tree: Tree, pstart: array, person_org: array, clock: Clock,
                    rng: random.Random, scale: int, alliances: list[AllianceInfo], pairs: list[PairInfo]) -> int:
    """Activities, their hosts, pair links and attendance, in one pass over four COPY streams. Each activity's
    reach (the organizations it is seen through) is written as the app computes it (``organizations.visibility``:
    the tokens of its hosts and pairs' sides); ``verify`` compares a sample with the app's own computation."""
    from organizations.reach import organization_tokens, pg_array_literal, reach_text

    def reach(orgs: Iterable[int]) -> str:
        return pg_array_literal(reach_text(t for o in orgs for t in organization_tokens(
            o, tree.path[o], tree.region_paths[tree.region[o]])))

    total = 2 * scale
    attendance_target = 100 * scale
    r = rng.random
    themes = [f"{KIND_LABELS[k]}：{t}" for k in KIND_LABELS for t in ACTIVITY_TOPICS]
    # Plan: pair activities first (4 per signed pair), then alliance activities (5 %), then the rest.
    plan: list[tuple[str, Any]] = [("pair", p) for p in pairs if p.status != "proposed" for _ in range(4)]
    live = [a for a in alliances if a.status == "active" and len(a.active) >= 2]
    plan += [("alliance", rng.choice(live)) for _ in range(total // 20)] if live else []
    plan = plan[:total]
    plan += [("regular", None)] * (total - len(plan))
    rng.shuffle(plan)
    types = [tree.by_type.get(t, []) for t in ("branch", "general_branch", "committee4", "committee3",
                                                "committee2")]
    types[0] = types[0] + tree.by_type.get("joint_branch", [])
    type_weights = [65, 22, 9, 3, 1]
    kinds_branch = BRANCH_KINDS
    kinds_upper = UPPER_KINDS
    statuses = (["recorded", "held", "cancelled", "planned", "open"], [75, 7, 4, 8, 6])
    mmss = [f"{m:02d}" for m in range(60)]
    methods = ["qr", "qr", "qr", "manual"]
    guest_units = ["区融媒体中心", "兄弟单位", "共建单位", "社区居民", "高校学生"]
    att_id = host_id = ap_id = 0
    attended = 0
    done_seen = 0

    with report.load(url, "activities",
                     ("activities_activity", "id, created_at, updated_at, kind, theme, description, agenda, "
                                             "starts_at, ends_at, venue, capacity, status, allow_guests, minutes, "
                                             "outcomes, recorded_at, cancel_reason, signin_key, alliance_id, "
                                             "created_by_id, recorded_by_id, workstream_id, series_id, reach"),
                     ("activities_activityhost", "id, is_lead, activity_id, organization_id"),
                     ("activities_activitypair", "id, activity_id, pair_id"),
                     ("activities_attendance", "id, guest_name, guest_unit, method, signed_in_at, activity_id, "
                                               "organization_id, person_id, recorded_by_id")) as sinks:
        act, hosts, apairs, att = sinks
        att_append = att.buf.append
        for aid, (what, ref) in enumerate(plan, start=1):
            alliance_id = workstream_id = None
            seen_through: list[int] = []
            if what == "pair":
                lead, co = ref.organ, ref.partners
                seen_through = [ref.owner]
                apairs.buf.append(f"{ap_id + 1}\t{aid}\t{ref.id}\n")
                ap_id += 1
            elif what == "alliance":
                lead, co = ref.active[0], rng.sample(ref.active[1:], min(len(ref.active) - 1, rng.randint(1, 3)))
                alliance_id = ref.id
                workstream_id = rng.choice(ref.workstreams) if r() < 0.6 else None
            else:
                pool_ids = types[rng.choices(range(5), type_weights)[0]]
                lead = pool_ids[int(r() * len(pool_ids))]
                co = []
                x = r()
                siblings = tree.children.get(tree.parent[lead], []) if tree.parent[lead] else []
                if x < 0.3 and len(siblings) > 1:
                    co = [o for o in rng.sample(siblings, min(len(siblings), 3 if x < 0.1 else 2)) if o != lead][:2]
            status = rng.choices(*statuses)[0]
            branch_lead = tree.type[lead] in ("branch", "joint_branch")
            kinds, kweights = kinds_branch if branch_lead else kinds_upper
            kind = rng.choices(kinds, kweights)[0] if what == "regular" else rng.choice(
                ["party_day", "volunteer", "study", "forum"])
            hour = rng.choice((9, 10, 14, 15, 16, 19))
            if status in ("planned", "open"):
                day = clock.now // 86400 + 1 + int(r() * 60)
            else:
                day = clock.now // 86400 - 1 - int(r() * HISTORY_DAYS)
            start = day * 86400 + hour * 3600
            end = start + rng.choice((3600, 5400, 7200, 10800))
            created = start - (3 + int(r() * 25)) * 86400
            recorded = end + (1 + int(r() * 4)) * 86400 if status == "recorded" else None
            theme = themes[int(r() * len(themes))] if r() < 0.9 else ACTIVITY_TOPICS_EN[
                int(r() * len(ACTIVITY_TOPICS_EN))]
            act.buf.append(
                f"{aid}\t{clock.ts(created)}\t{clock.ts(recorded or created)}\t{kind}\t{theme}\t"
                f"围绕“{theme}”开展活动，党员代表交流发言。\t\t{clock.ts(start)}\t{clock.ts(end)}\t"
                f"{VENUES[int(r() * len(VENUES))]}\t\\N\t{status}\ttrue\t"
                f"{'会议记录已整理归档。' if recorded else ''}\t\t{clock.ts(recorded) if recorded else NULL}\t"
                f"{'时间冲突，另行安排。' if status == 'cancelled' else ''}\t{rng.getrandbits(96):024x}\t"
                f"{_n(alliance_id)}\t\\N\t\\N\t{_n(workstream_id)}\t\\N\t{reach([lead, *co, *seen_through])}\n")
            host_id += 1
            hosts.buf.append(f"{host_id}\ttrue\t{aid}\t{lead}\n")
            for org in co:
                host_id += 1
                hosts.buf.append(f"{host_id}\tfalse\t{aid}\t{org}\n")

            if status in ("recorded", "held"):
                done_seen += 1
                # Who may come: the members of the hosts' subtrees (a branch's meeting: its general branch's when
                # it has co-hosts), as disjoint person-id ranges.
                roots = [tree.parent[lead] if branch_lead and co else lead, *co]
                spans = sorted((pstart[o], pstart[tree.end[o]]) for o in roots)
                merged: list[list[int]] = []
                for lo, hi in spans:
                    if merged and lo < merged[-1][1]:
                        merged[-1][1] = max(merged[-1][1], hi)
                    else:
                        merged.append([lo, hi])
                size = sum(hi - lo for lo, hi in merged)
                expected_left = max(1.0, (total - aid + 1) * 0.82)
                mean = max(5.0, (attendance_target - attended) / expected_left)
                want = int(mean * (0.5 + r()))
                k = min(size, want)
                if len(merged) == 1:
                    chosen = rng.sample(range(merged[0][0], merged[0][1]), k)
                else:
                    chosen = []
                    for i in rng.sample(range(size), k):
                        for lo, hi in merged:
                            if i < hi - lo:
                                chosen.append(lo + i)
                                break
                            i -= hi - lo
                prefix = clock.ts(start - 1800)[:14]  # "YYYY-MM-DD HH:" half an hour before the start
                for pid in chosen:
                    att_id += 1
                    att_append(f"{att_id}\t\t\t{methods[int(r() * 4)]}\t{prefix}{mmss[30 + int(r() * 29)]}:"
                               f"{mmss[int(r() * 60)]}{TZ}\t{aid}\t{person_org[pid]}\t{pid}\t\\N\n")
                attended += k
                if r() < 0.2:
                    for g in range(1, rng.randint(2, 8)):
                        att_id += 1
                        att_append(f"{att_id}\t来宾{g}\t{guest_units[g % 5]}\tmanual\t{prefix}59:00{TZ}\t{aid}\t"
                                   f"\\N\t\\N\t\\N\n")
            if not aid % 64:
                for sink in sinks:
                    sink.maybe_flush()
    return att_id


def _esc(text: str) -> str:
    """COPY text format: the phrase pools come from bench/matching.py, so escape them (once, in the pools)."""
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def _text_zh(rng: random.Random, kind: str) -> tuple[str, str]:
    p = text_pools
    offer = rng.choice(p.ZH_OFFERS[kind])
    title = f"{rng.choice(p.ZH_PROVIDERS[kind])}{offer}"
    description = (f"{rng.choice(p.ZH_PLACES)}{title}：{rng.choice(p.ZH_AUDIENCES)}，{rng.choice(p.ZH_OFFERS[kind])}，"
                   f"{rng.choice(p.ZH_DETAILS)}，{rng.choice(p.ZH_DETAILS)}。")
    return title, description


def _text_en(rng: random.Random, kind: str) -> tuple[str, str]:
    p = text_pools
    title = f"{rng.choice(p.EN_OFFERS[kind]).capitalize()} in {rng.choice(p.EN_PLACES)}"
    description = (f"{rng.choice(p.EN_PROVIDERS[kind])} offers {rng.choice(p.EN_OFFERS[kind])} "
                   f"{rng.choice(p.EN_AUDIENCES)}, {rng.choice(p.EN_DETAILS)}; {rng.choice(p.EN_DETAILS)}.")
    return title, description


def load_resources(report: Report, url: str, tree: Tree, clock: Clock, rng: random.Random, scale: int,
                   alliances: list[AllianceInfo], pools: tuple[list[str], list[str], list[str], list[str]]) -> None:
    kinds = list(text_pools.ZH_OFFERS)
    # A text pool (composition per row would be the slowest part): 5,000 zh/en (title, description) per kind.
    texts = {k: [tuple(map(_esc, _text_zh(rng, k) if rng.random() < 0.6 else _text_en(rng, k)))
                 for _ in range(5000)] for k in kinds}
    orgs = range(1, tree.size + 1)
    live = [a for a in alliances if a.status == "active" and a.active]
    phone_cipher = pools[3]
    r = rng.random
    terms = ["免费", "成本价", "需提前预约", "联盟成员单位优先", ""]
    with report.load(url, "resources", ("demands_resource",
                     "id, created_at, updated_at, title, description, kind, provider_kind, provider_name, capacity, "
                     "capacity_note, available_from, available_until, terms, contact_name, contact_phone, status, "
                     "withdrawn_at, withdraw_reason, alliance_id, created_by_id, organization_id, provider_unit_id, "
                     "region_id")) as (s,):
        for rid in range(1, scale + 1):
            kind = kinds[int(r() * len(kinds))]
            title, description = texts[kind][int(r() * 5000)]
            alliance = None
            if live and r() < 0.1:
                info = live[int(r() * len(live))]
                alliance, org = info.id, info.active[int(r() * len(info.active))]
            else:
                org = orgs[int(r() * len(orgs))]
            region = tree.region[org]
            if r() < 0.2 and tree.parent[org]:
                region = tree.region[tree.parent[org]]  # offered a level up
            x = r()
            unit = tree.unit[org]
            if x < 0.3 and unit:
                provider_kind, provider_name, provider_unit = "unit", tree.unit_names[unit], unit
            elif x < 0.4:
                provider_kind, provider_name, provider_unit = "person", "志愿者" + SURNAMES[int(r() * 40)] + "老师", None
            else:
                provider_kind, provider_name, provider_unit = "organization", "", None
            capacity = rng.choice((None, None, None, None, None, None, 0, 5, 20, 100))
            window = ("\\N", "\\N")
            created = clock.now - int(r() * HISTORY_DAYS * 86400)
            if r() < 0.2:
                start = clock.now + (int(r() * 300) - 200) * 86400
                window = (clock.date(start), clock.date(start + (10 + int(r() * 300)) * 86400))
            withdrawn = r() < 0.1
            updated = created + int(r() * (clock.now - created))
            s.buf.append(f"{rid}\t{clock.ts(created)}\t{clock.ts(updated)}\t{title}\t{description}\t{kind}\t"
                         f"{provider_kind}\t{provider_name}\t{_n(capacity)}\t"
                         f"{'' if capacity is None else f'{capacity} 人'}\t{window[0]}\t{window[1]}\t"
                         f"{terms[int(r() * 5)]}\t{SURNAMES[int(r() * 60)]}老师\t{phone_cipher[rid % POOL_SIZE]}\t"
                         f"{'withdrawn' if withdrawn else 'active'}\t{clock.ts(updated) if withdrawn else NULL}\t"
                         f"{'资源已用完' if withdrawn else ''}\t{_n(alliance)}\t\\N\t{org}\t{_n(provider_unit)}\t"
                         f"{region}\n")
            if not rid % 1000:
                s.maybe_flush()


def _tiers(url: str) -> tuple[dict[str, int], dict[tuple[str, str], tuple[int, int]]]:
    """Category ids by code, and (accept, resolve) working days by (category code, urgency), most specific tier
    first, as demands.services.tier_for picks them."""
    with psycopg.connect(url) as conn:
        categories = dict(conn.execute("SELECT code, id FROM demands_demandcategory").fetchall())
        rows = conn.execute("SELECT c.code, t.urgency, t.accept_days, t.resolve_days FROM demands_deadlinetier t "
                            "LEFT JOIN demands_demandcategory c ON c.id = t.category_id").fetchall()
    tiers = {(code or "", urgency): (a, r) for code, urgency, a, r in rows}
    table = {}
    for code in categories:
        for urgency in ("normal", "urgent", "critical"):
            table[(code, urgency)] = next(tiers[key] for key in ((code, urgency), (code, ""), ("", urgency), ("", ""))
                                          if key in tiers)
    return categories, table


def load_demands(report: Report, url: str, tree: Tree, pstart: array, clock: Clock, rng: random.Random,
                 scale: int, alliances: list[AllianceInfo],
                 pools: tuple[list[str], list[str], list[str], list[str]]) -> int:
    """Demands in every state and their timelines. Each demand's reach is written as the app computes it
    (handler and requesting organizations, region; ``organizations.visibility``)."""
    from organizations.reach import organization_tokens, pg_array_literal, reach_text, region_tokens

    def demand_reach(handler: int | None, requester: int | None, region: int) -> str:
        return pg_array_literal(reach_text([
            *(t for o in (handler, requester) if o
              for t in organization_tokens(o, tree.path[o], tree.region_paths[tree.region[o]])),
            *region_tokens(tree.region_paths[region])]))

    categories, tiers = _tiers(url)
    codes = [c for c in text_pools.ZH_DEMANDS if c in categories] or list(categories)
    titles = {c: [(_esc(t), True) for t in text_pools.ZH_DEMANDS.get(c, ["其他诉求"])]
              + [(_esc(t), False) for t in text_pools.EN_DEMANDS.get(c, ["other request"])] for c in codes}
    r = rng.random
    phone_cipher = pools[3]
    names = [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(5000)]
    live = [a for a in alliances if a.status == "active" and a.active]
    streets = tree.streets
    streets_of = {s.region: [s] for s in streets}  # a street region, or a district region → its streets
    for s in streets:
        streets_of.setdefault(tree.region[tree.parent[s.committee]], []).append(s)
    hour = 3600
    day = 86400
    ev_id = 0
    with report.load(url, "demands",
                     ("demands_demand", "id, created_at, updated_at, title, description, urgency, requester_kind, "
                                        "requester_name, contact_name, contact_phone, on_behalf, status, "
                                        "open_for_claim, claimed, decline_reason, resolution, accepted_at, "
                                        "resolved_at, closed_at, rating, rating_comment, accept_due, resolve_due, "
                                        "reminded, escalated, escalation_level, alliance_id, created_by_id, "
                                        "escalated_to_id, handler_organization_id, handler_person_id, region_id, "
                                        "requester_organization_id, requester_person_id, requester_unit_id, "
                                        "workstream_id, category_id, reach"),
                     ("demands_demandevent", "id, kind, at, from_status, to_status, deadline, note, actor_id, "
                                             "demand_id, organization_id")) as (dm, ev):
        d_append, e_append = dm.buf.append, ev.buf.append
        for did in range(1, 10 * scale + 1):
            status = rng.choices(*DEMAND_STATUSES)[0]
            code = codes[int(r() * len(codes))]
            x = r()
            urgency = "normal" if x < 0.8 else ("urgent" if x < 0.95 else "critical")
            accept_days, resolve_days = tiers[(code, urgency)]
            alliance = workstream = None
            if live and r() < 0.08:
                info = live[int(r() * len(live))]
                alliance = info.id
                workstream = rng.choice(info.workstreams) if r() < 0.5 else None
                region = rng.choice(info.regions)
                street = rng.choice(streets_of[region])
            else:
                street = streets[int(r() * len(streets))]
                region = street.region if r() < 0.8 else tree.region[tree.parent[street.committee]]
            # Requester: a unit, an organization or a person of the street.
            lo, hi = street.committee, tree.end[street.committee]
            x = r()
            req_unit = req_org = req_person = None
            if x < 0.5 and street.unit_hi > street.unit_lo:
                kind = "unit"
                req_unit = street.unit_lo + int(r() * (street.unit_hi - street.unit_lo))
                req_name = tree.unit_names[req_unit]
            elif x < 0.85:
                kind = "organization"
                req_org = lo + int(r() * (hi - lo))
                req_name = tree.name[req_org]
            else:
                kind = "person"
                req_person = pstart[lo] + int(r() * (pstart[hi] - pstart[lo]))
                req_name = names[req_person % 5000]
            title, zh = titles[code][int(r() * len(titles[code]))]
            description = (f"{title}。{street.name}，{rng.choice(HOPES)}。" if zh
                           else f"{title.capitalize()}. We are in {street.name}; please help.")
            # Timeline: offsets after submission; open cases are recent (some past their deadlines), closed ones
            # anywhere in two years.
            steps: list[tuple[str, int, str, str, int | None]] = []  # (kind, at, from, to, organization)
            t = 0
            accepted = resolved = closed = resolve_due = rating = None
            handler = None
            open_for_claim = claimed = False
            if status == "declined":
                t += int(hour + r() * 3 * day)
                closed = t
                steps.append(("declined", t, "submitted", "declined", None))
            elif status != "submitted":
                t += int(0.5 * hour + r() * 2 * day)
                accepted = t
                steps.append(("accepted", t, "submitted", "accepted", None))
                if status == "accepted":
                    open_for_claim = alliance is not None and r() < 0.3
                else:
                    t += int(0.1 * hour + r() * day)
                    claimed = alliance is not None and r() < 0.3
                    if claimed:
                        handler = rng.choice(info.active)
                    elif r() < 0.7:
                        handler = lo + int(r() * (hi - lo))
                    else:
                        handler = street.committee
                    steps.append(("claimed" if claimed else "assigned", t, "accepted", "assigned", handler))
                    if status != "assigned":
                        t += int(0.1 * hour + r() * 2 * day)
                        steps.append(("started", t, "assigned", "in_progress", None))
                        if status != "in_progress":
                            t += int(hour + r() * 20 * day)
                            resolved = t
                            steps.append(("resolved", t, "in_progress", "resolved", None))
                            if status in ("closed", "review"):
                                t += int(hour + r() * 5 * day)
                                if status == "closed":
                                    rating = 3 + int(r() * 3)
                                    closed = t
                                    steps.append(("rated", t, "resolved", "closed", None))
                                else:
                                    rating = 1 + int(r() * 2)
                                    steps.append(("rated", t, "resolved", "review", None))
                                    steps.append(("reopened", t, "", "", None))
            latest = clock.now - t - 60  # the last step happened before "now"
            if status in ("closed", "declined"):
                earliest = clock.now - HISTORY_DAYS * day
            else:
                earliest = latest - (3 * day if status == "submitted" else 30 * day)
            submitted = earliest + int(r() * (latest - earliest))
            time_of_day = submitted % day
            if not 8 * hour <= time_of_day < 20 * hour:  # raised in the daytime
                submitted += 8 * hour + int(r() * 12 * hour) - time_of_day
                if submitted > latest:
                    submitted -= day
            accept_due = clock.due(submitted, accept_days)
            if accepted is not None:
                resolve_due = clock.due(submitted + accepted, resolve_days)
                if status == "review":
                    resolve_due = clock.due(submitted + t, resolve_days)
            last = submitted + t
            e_append(f"{ev_id + 1}\tsubmitted\t{clock.ts(submitted)}\t\t\t\t\t\\N\t{did}\t\\N\n")
            ev_id += 1
            for ekind, at, before, after, org in steps:
                ev_id += 1
                e_append(f"{ev_id}\t{ekind}\t{clock.ts(submitted + at)}\t{before}\t{after}\t\t\t\\N\t{did}\t"
                         f"{_n(org)}\n")
            reach = demand_reach(handler, req_org, region)
            d_append(
                f"{did}\t{clock.ts(submitted)}\t{clock.ts(last)}\t{title[:200]}\t{description}\t{urgency}\t{kind}\t"
                f"{req_name}\t{names[did % 5000]}\t{phone_cipher[did % POOL_SIZE]}\t{r() < 0.2}\t{status}\t"
                f"{open_for_claim}\t{claimed}\t{DECLINES[did % 3] if status == 'declined' else ''}\t"
                f"{RESOLUTIONS[did % 5] if resolved is not None else ''}\t"
                f"{clock.ts(submitted + accepted) if accepted is not None else NULL}\t"
                f"{clock.ts(submitted + resolved) if resolved is not None else NULL}\t"
                f"{clock.ts(submitted + closed) if closed is not None else NULL}\t{_n(rating)}\t"
                f"{REVIEW_COMMENTS[did % 3] if status == 'review' else ''}\t{clock.ts(accept_due)}\t"
                f"{clock.ts(resolve_due) if resolve_due is not None else NULL}\t\t\t0\t{_n(alliance)}\t\\N\t\\N\t"
                f"{_n(handler)}\t\\N\t{region}\t{_n(req_org)}\t{_n(req_person)}\t{_n(req_unit)}\t{_n(workstream)}\t"
                f"{categories[code]}\t{reach}\n")
            if not did % 1000:
                dm.maybe_flush()
                ev.maybe_flush()
    return ev_id


def load_projects(report: Report, url: str, tree: Tree, clock: Clock, rng: random.Random, scale: int,
                  alliances: list[AllianceInfo], demands: int) -> None:
    count = max(10, scale // 250)
    live = [a for a in alliances if a.status == "active" and a.active]
    r = rng.random
    statuses = (["proposed", "active", "completed", "suspended", "cancelled"], [10, 50, 30, 5, 5])
    gbs = tree.by_type.get("general_branch", [])
    with report.load(url, "projects",
                     ("projects_project", "id, created_at, updated_at, title, description, origin, decision, "
                                          "decided_on, status, progress, starts_on, due_on, completed_on, result, "
                                          "alliance_id, created_by_id, origin_meeting_id, workstream_id"),
                     ("projects_projectowner", "id, is_lead, organization_id, project_id"),
                     ("projects_milestone", "id, title, due_on, done_on, note, position, project_id"),
                     ("projects_projectevent", "id, kind, at, note, progress, actor_id, project_id"),
                     ("projects_project_demands", "id, project_id, demand_id")) as (pj, po, mi, pe, pd):
        po_id = mi_id = pd_id = 0
        for pid in range(1, count + 1):
            info = rng.choice(live) if live and r() < 0.8 else None
            owners = ([info.active[0], *rng.sample(info.active[1:], min(len(info.active) - 1, rng.randint(0, 2)))]
                      if info else [rng.choice(gbs)])
            status = rng.choices(*statuses)[0]
            origin = rng.choice(["meeting", "decision", "match", "other"])
            start = clock.now - int(r() * HISTORY_DAYS) * 86400
            due = start + (90 + int(r() * 365)) * 86400
            milestones = rng.randint(2, 5)
            done = milestones if status == "completed" else (int(r() * milestones) if status != "proposed" else 0)
            progress = 100 if status == "completed" else done * 100 // milestones
            completed = min(due, clock.now - 86400) if status == "completed" else None
            topic = PROJECT_TOPICS[pid % len(PROJECT_TOPICS)]
            title = f"{topic}（{pid}）"
            pj.buf.append(f"{pid}\t{clock.ts(start)}\t{clock.ts(completed or start)}\t{title}\t围绕{topic}，整合成员单位资源共同推进。\t"
                          f"{origin}\t联盟联席会议决定实施{topic}。\t{clock.date(start)}\t{status}\t{progress}\t"
                          f"{clock.date(start)}\t{clock.date(due)}\t{clock.date(completed) if completed else NULL}\t"
                          f"{'项目已完成，成效明显。' if completed else ''}\t{_n(info.id if info else None)}\t\\N\t\\N\t"
                          f"{_n(rng.choice(info.workstreams) if info and r() < 0.5 else None)}\n")
            for i, org in enumerate(owners):
                po_id += 1
                po.buf.append(f"{po_id}\t{i == 0}\t{org}\t{pid}\n")
            for i in range(milestones):
                mi_id += 1
                m_due = start + (i + 1) * (due - start) // milestones
                mi.buf.append(f"{mi_id}\t{MILESTONES[i % len(MILESTONES)]}\t{clock.date(m_due)}\t"
                              f"{clock.date(min(m_due, clock.now - 86400)) if i < done else NULL}\t\t{i}\t{pid}\n")
            pe.buf.append(f"{pid}\tcreated\t{clock.ts(start)}\t\t\\N\t\\N\t{pid}\n")
            if origin == "match" and demands:
                pd_id += 1
                pd.buf.append(f"{pd_id}\t{pid}\t{rng.randint(1, demands)}\n")


# --------------------------------------------------------------------------------------------------------------
# The run


def _django(database_url: str) -> None:
    """Point Django at ``database_url`` (set up on first use; retargeted when a harness reuses the process)."""
    import django
    from django.apps import apps

    os.environ["DATABASE_URL"] = database_url
    if not apps.ready:
        django.setup()
        return
    import dj_database_url
    from django.conf import settings
    from django.db import connections

    parsed = dj_database_url.parse(database_url)
    current = settings.DATABASES["default"]
    if any(current.get(k) != parsed.get(k) for k in ("NAME", "HOST", "PORT", "USER")):
        connections["default"].close()
        current.update({k: parsed[k] for k in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")})
        del connections["default"]


def _scratch_name(database_url: str) -> str:
    name = str(conninfo_to_dict(database_url).get("dbname", ""))
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop database {name!r}: its name must contain 'bench'.")
    return name


def recreate_database(database_url: str) -> None:
    name = _scratch_name(database_url)
    with psycopg.connect(make_conninfo(database_url, dbname="postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def migrate(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


LOADED_TABLES = [
    "organizations_region", "organizations_unit", "organizations_organization", "organizations_person",
    "accounts_user", "accounts_roleassignment", "alliances_alliance", "alliances_allianceregion",
    "alliances_workstream", "alliances_membership", "alliances_organizer", "pairing_pairingprogramme",
    "pairing_pair", "pairing_pairpartner", "pairing_pairreview", "activities_activity", "activities_activityhost",
    "activities_activitypair", "activities_attendance", "demands_resource", "demands_demand", "demands_demandevent",
    "projects_project", "projects_projectowner", "projects_milestone", "projects_projectevent",
    "projects_project_demands",
]


def generate(scale: int, seed: int, database_url: str, skip_heavy: bool = False, *,
             anchor: dt.date = ANCHOR) -> dict[str, Any]:
    """Recreate the scratch database, load a province of ``scale`` organizations, verify it; return the figures."""
    _scratch_name(database_url)
    started = time.perf_counter()
    _django(database_url)
    report = Report()
    clock = Clock(anchor)

    def stream(name: str) -> random.Random:
        return random.Random(f"{seed}:{name}")

    print(f"Generating scale={scale:,} seed={seed} skip_heavy={skip_heavy} into {database_url}", flush=True)
    with report.timed("create database + migrate"):
        recreate_database(database_url)
        migrate(database_url)
    with psycopg.connect(database_url) as conn:
        restore_idx, restore_fk = detach_constraints(conn, LOADED_TABLES)
    with report.timed("plan tree"):
        tree = build_tree(scale, stream("tree"), clock)
        counts = member_counts(tree, (3 if skip_heavy else 30) * scale, stream("members"))
        pstart = array("q", [0, 1])
        for oid in range(1, tree.size + 1):
            pstart.append(pstart[-1] + counts[oid])
        pools = crypto_pools(stream("crypto"))
    load_tree(report, database_url, tree, counts, pstart, clock, stream("organizations"))
    load_people(report, database_url, tree, pstart, clock, stream("people"), pools)
    alliances: list[AllianceInfo] = []
    pairs: list[PairInfo] = []
    attendance = events = 0
    if not skip_heavy:
        alliances = load_alliances(report, database_url, tree, clock, stream("alliances"), scale)
        pairs = load_pairing(report, database_url, tree, clock, stream("pairing"), scale)
        person_org = array("i", bytes(4 * int(pstart[-1])))
        for oid in range(1, tree.size + 1):
            person_org[pstart[oid]:pstart[oid + 1]] = array("i", [oid]) * counts[oid]
        attendance = load_activities(report, database_url, tree, pstart, person_org, clock, stream("activities"),
                                     scale, alliances, pairs)
        del person_org
        load_resources(report, database_url, tree, clock, stream("resources"), scale, alliances, pools)
        events = load_demands(report, database_url, tree, pstart, clock, stream("demands"), scale, alliances, pools)
        load_projects(report, database_url, tree, clock, stream("projects"), scale, alliances, 10 * scale)
    users = load_users(report, database_url, tree, pstart, clock, alliances[0].id if alliances else None)
    sizes = {}
    for entry in report.tables:
        sizes[entry["table"]] = sizes.get(entry["table"], 0) + entry["rows"]
    with report.timed("indexes + constraints"):
        slowest = restore_constraints(database_url, restore_idx, restore_fk, sizes)
    with report.timed("sequences"), psycopg.connect(database_url, autocommit=True) as conn:
        for table in LOADED_TABLES:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")
    with report.timed("regional tallies"), psycopg.connect(database_url, autocommit=True) as conn:
        # the dashboard's pre-aggregates, as organizations.services.rebuild_region_tallies computes them
        conn.execute("DELETE FROM organizations_regiontally")
        conn.execute("INSERT INTO organizations_regiontally (region_id, sector, organizations, members) "
                     "SELECT region_id, sector, count(*), coalesce(sum(member_count), 0) "
                     "FROM organizations_organization GROUP BY 1, 2")
    with report.timed("vacuum analyze"), psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("CHECKPOINT")  # write the loaded pages back now, not while the benchmark measures
    forget_cached_authorization()
    load_seconds = time.perf_counter() - started

    c1, d1 = ONE_PCT
    subtrees = {}
    for label, org in (("1pct", tree.district_committees[c1][d1]), ("20pct", tree.city_committees[TWENTY_PCT])):
        subtrees[label] = {
            "organization_id": org, "organization_path": tree.path[org], "region_id": tree.region[org],
            "region_path": tree.region_paths[tree.region[org]], "organization_name": tree.name[org],
            "organizations": tree.end[org] - org, "share_pct": round(100 * (tree.end[org] - org) / tree.size, 2),
            "people": int(pstart[tree.end[org]] - pstart[org]),
        }
    result: dict[str, Any] = {
        "scale": scale, "seed": seed, "skip_heavy": skip_heavy, "database_url": database_url,
        "anchor": anchor.isoformat(), "settings": os.environ["DJANGO_SETTINGS_MODULE"],
        "organizations": tree.size, "people": int(pstart[-1] - 1), "attendance": attendance, "demand_events": events,
        "tables": report.tables, "steps": report.steps, "load_seconds": round(load_seconds, 1),
        "slowest_rebuild_statements": slowest,
        "password": PASSWORD, "users": users, "subtrees": subtrees,
        "samples": {"alliance_id": alliances[0].id if alliances else None,  # the alliance admin's, active
                    "branch_id": users["bench_member"]["organization_id"],  # in the 1 % subtree
                    "person_id": users["bench_member"]["person_id"],
                    "synthetic_id_number_of_person_1": synthetic_id_number(1)},
    }
    with report.timed("verify"):
        result["verify"] = verify(database_url)
    result["steps"] = report.steps
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    return result


def verify(database_url: str) -> dict[str, Any]:
    """Check the loaded data through the ORM (and one SQL aggregate); print and return the findings."""
    _django(database_url)
    from django.db import connection, connections
    from django.db.models import Count, F, Q

    from accounts.models import User
    from activities.models import Activity, Attendance
    from alliances.models import Alliance, Membership
    from core.crypto import mask_id_number, mask_phone
    from core.validators import validate_id_number, validate_phone
    from demands.models import Demand, DemandEvent, Resource
    from organizations import services
    from organizations.models import Organization, Person, Region, RegionTally
    from organizations.visibility import computed_reach
    from pairing.models import Pair
    from projects.models import Project

    checks: dict[str, Any] = {}
    ok = True

    def check(name: str, value: Any, passed: bool) -> None:
        nonlocal ok
        checks[name] = {"value": value, "ok": passed}
        ok = ok and passed
        print(f"  verify {'ok  ' if passed else 'FAIL'} {name}: {value}", flush=True)

    total = Organization.objects.count()
    check("organizations", total, total > 0)
    rng = random.Random(0)
    last = Organization.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sample = Organization.objects.filter(pk__in=[rng.randint(1, last) for _ in range(300)]).select_related("parent")
    bad = [o.pk for o in sample if o.parent is not None and not (
        o.path.startswith(o.parent.path) and len(o.path) == len(o.parent.path) + 4 and o.depth == o.parent.depth + 1)]
    check("tree paths consistent with parents (sample of 300)", bad, not bad)
    for username, lo, hi in (("bench_staff_1pct", 0.7, 1.3), ("bench_secretary_1pct", 0.7, 1.3),
                             ("bench_staff_20pct", 18, 22), ("bench_province", 100, 100)):
        user = User.objects.get(username=username)
        share = 100 * Organization.objects.restrict(user).count() / total
        check(f"Organization.objects.restrict({username}) share %", round(share, 2), lo <= share <= hi)
    staff = User.objects.get(username="bench_staff_1pct")
    people = Person.objects.count()
    share = 100 * Person.objects.restrict(staff).count() / max(1, people)
    check("Person.objects.restrict(bench_staff_1pct) share %", round(share, 2), 0.5 <= share <= 1.5)
    person = Person.objects.order_by("pk").first()
    try:
        validate_id_number(person.id_number)  # type: ignore[union-attr]
        validate_phone(person.phone)  # type: ignore[union-attr]
        decrypted = True
    except Exception as exc:
        decrypted = repr(exc)
    check("first person's id number and phone decrypt to valid values", decrypted, decrypted is True)
    copies = (person.id_number_masked, person.phone_masked)  # type: ignore[union-attr]
    expected = (mask_id_number(person.id_number), mask_phone(person.phone))  # type: ignore[union-attr]
    check("first person's stored masked copies", copies, copies == expected)
    found = Person.objects.with_id_number(synthetic_id_number(person.pk)).values_list("pk", flat=True).first()  # type: ignore[union-attr]
    check("with_id_number(synthetic_id_number(pk)) finds the person", found, found == person.pk)  # type: ignore[union-attr]
    member = User.objects.get(username="bench_member")
    linked = Person.objects.filter(user=member).values_list("pk", flat=True).first()
    check("bench_member is linked to a person", linked, linked is not None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM organizations_organization o LEFT JOIN (SELECT organization_id, "
                       "count(*) AS n FROM organizations_person WHERE kind = 'member' GROUP BY 1) p "
                       "ON p.organization_id = o.id WHERE o.member_count <> coalesce(p.n, 0)")
        mismatched = cursor.fetchone()[0]
    check("organizations whose member_count differs from the live count", mismatched, mismatched == 0)
    stored = sorted(RegionTally.objects.values_list("region_id", "sector", "organizations", "members"))
    services.rebuild_region_tallies()
    rebuilt = sorted(RegionTally.objects.values_list("region_id", "sector", "organizations", "members"))
    check("regional tallies equal a rebuild from the live tables", len(stored), stored == rebuilt)
    check("regions", Region.objects.count(), Region.objects.count() == 1111)
    if Demand.objects.exists():
        submitted = Demand.objects.filter(status="submitted").order_by("pk").first()
        working = Demand.objects.filter(status="in_progress").order_by("pk").first()
        closed = Demand.objects.filter(status="closed").order_by("pk").first()
        passed = (submitted is not None and submitted.accept_due is not None
                  and submitted.deadline == submitted.accept_due
                  and working is not None and working.resolve_due is not None
                  and working.deadline == working.resolve_due
                  and closed is not None and closed.deadline is None)
        check("Demand.deadline (submitted → accept_due, in_progress → resolve_due, closed → None)",
              str(submitted.deadline if submitted else None), passed)
        by_status = dict(Demand.objects.order_by().values_list("status").annotate(n=Count("id")))
        check("demands by status", by_status, len(by_status) == 8)
        bad_times = Demand.objects.filter(Q(accepted_at__lt=F("created_at")) | Q(resolved_at__lt=F("accepted_at"))
                                          | Q(closed_at__lt=F("created_at"))).count()
        check("demands with steps out of order", bad_times, bad_times == 0)
        for model in (Resource, DemandEvent, Activity, Attendance, Alliance, Membership, Pair, Project):
            n = model.objects.count()
            check(f"{model.__name__}.objects.count()", n, n > 0)
        alliance_admin = User.objects.get(username="bench_alliance_admin")
        n = Alliance.objects.restrict(alliance_admin).count()
        check("Alliance.objects.restrict(bench_alliance_admin).count()", n, n >= 1)
        last_activity = Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ids = {rng.randint(1, last_activity) for _ in range(300)}
        stored_reach = dict(Activity.objects.filter(pk__in=ids).values_list("pk", "reach"))
        wrong = [pk for pk, reach in computed_reach(Activity, stored_reach).items() if reach != stored_reach[pk]]
        check("activities whose stored reach differs from activities.reach (sample of 300)", wrong, not wrong)
        last_demand = Demand.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ids = {rng.randint(1, last_demand) for _ in range(300)}
        stored_reach = dict(Demand.objects.filter(pk__in=ids).values_list("pk", "reach"))
        wrong = [pk for pk, reach in computed_reach(Demand, stored_reach).items() if reach != stored_reach[pk]]
        check("demands whose stored reach differs from demands.reach (sample of 300)", wrong, not wrong)
    connections.close_all()
    checks["ok"] = ok
    return checks


def markdown(result: dict[str, Any]) -> str:
    lines = [f"Scale {result['scale']:,} (seed {result['seed']}{', skip heavy' if result['skip_heavy'] else ''}): "
             f"{result['organizations']:,} organizations, {result['people']:,} people",
             "", "| table | rows | seconds | rows/s | step |", "| --- | ---: | ---: | ---: | --- |"]
    for t in result["tables"]:
        lines.append(f"| {t['table']} | {t['rows']:,} | {t['seconds']} | {t['rows_per_s'] or 0:,} | {t['step']} |")
    loaded = {t["step"]: t["seconds"] for t in result["tables"]}
    for step, seconds in result["steps"].items():
        if step not in loaded:
            lines.append(f"| *{step}* | | {seconds} | | |")
    rows = sum(t["rows"] for t in result["tables"])
    lines.append(f"| **total** | {rows:,} | {result['total_seconds']} | "
                 f"{round(rows / result['load_seconds']):,} (load) | |")
    return "\n".join(lines)


def forget_cached_authorization() -> None:
    """Empty the server's cache: it may hold tokens, scopes and region spans (``core.authz_cache``) read from the
    data loaded before, under ids this load reuses. COPY sends no signals that would invalidate them."""
    import redis
    from http_load import REDIS_URL

    redis.Redis.from_url(REDIS_URL).flushdb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100_000, help="organizations (10k / 100k / 1M)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--skip-heavy", action="store_true",
                        help="regions, organizations, users and 3 members per organization only")
    parser.add_argument("--anchor", type=lambda v: dt.datetime.now(dt.UTC).date() if v == "today" else dt.date.fromisoformat(v),
                        default=ANCHOR, help=f"the data's 'today': YYYY-MM-DD or 'today' (default {ANCHOR})")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "generate.json")
    args = parser.parse_args()
    result = generate(args.scale, args.seed, args.database_url, args.skip_heavy, anchor=args.anchor)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print()
    print(markdown(result))
    print(f"\nUsers (password {PASSWORD!r}): " + ", ".join(result["users"]))
    print(f"Written to {args.out}")
    if not result["verify"]["ok"]:
        raise SystemExit("verification failed")


if __name__ == "__main__":
    main()
