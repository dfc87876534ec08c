"""The organization-life ledger (组织生活台账): what each organization held against the rules for its type.

An activity counts for every organization that hosted it (lead or co-host) once it has been held. Counting runs
as one grouped query for a whole page of organizations, whatever the number of rules or periods.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organizations.models import Organization

from .choices import DONE_STATUSES, PERIOD_MONTHS, LedgerPeriod
from .models import ActivityHost, LedgerRule


@dataclass(frozen=True)
class Period:
    index: int
    first_month: int  # 1..12
    last_month: int

    def label(self, kind: str) -> str:
        if kind == LedgerPeriod.MONTH:
            return date_format(dt.date(2000, self.first_month, 1), "M")
        if kind == LedgerPeriod.QUARTER:
            return _("Q%(n)d") % {"n": self.index + 1}
        if kind == LedgerPeriod.HALF_YEAR:
            return _("H%(n)d") % {"n": self.index + 1}
        return _("year")


def periods(kind: str, year: int) -> list[Period]:
    step = PERIOD_MONTHS[LedgerPeriod(kind)]
    return [Period(i, first, first + step - 1) for i, first in enumerate(range(1, 13, step))]


def period_state(year: int, period: Period, today: dt.date) -> str:
    """past (over: a shortfall is missing), current (still running) or future."""
    if (year, period.last_month) < (today.year, today.month):
        return "past"
    if (year, period.first_month) > (today.year, today.month):
        return "future"
    return "current"


@dataclass
class Cell:
    period: Period
    label: str
    count: int
    required: int
    state: str  # past / current / future

    @property
    def met(self) -> bool:
        return self.count >= self.required

    @property
    def status(self) -> str:
        """done, missing (a past period short of the rule), due (the running period, not yet met) or future."""
        if self.met:
            return "done"
        return {"past": "missing", "current": "due", "future": "future"}[self.state]


@dataclass
class RuleRow:
    rule: LedgerRule
    cells: list[Cell]

    @property
    def missing(self) -> int:
        return sum(1 for c in self.cells if c.status == "missing")

    @property
    def elapsed(self) -> int:
        return sum(1 for c in self.cells if c.state != "future")

    @property
    def met(self) -> int:
        return sum(1 for c in self.cells if c.state != "future" and c.met)


@dataclass
class OrganizationLedger:
    organization: Organization
    year: int
    rows: list[RuleRow] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(r.missing for r in self.rows)

    def row_for(self, rule: LedgerRule) -> RuleRow | None:
        return next((r for r in self.rows if r.rule.pk == rule.pk), None)


def active_rules() -> list[LedgerRule]:
    return list(LedgerRule.objects.filter(is_active=True))


def _year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def monthly_counts(organization_ids: Iterable[int], year: int) -> dict[tuple[int, str, int], int]:
    """(organization, activity kind, month) → activities held, for the given organizations in one query."""
    start, end = _year_range(year)
    rows = (ActivityHost.objects
            .filter(organization_id__in=list(organization_ids), activity__status__in=DONE_STATUSES,
                    activity__starts_at__gte=start, activity__starts_at__lt=end)
            .annotate(month=ExtractMonth("activity__starts_at"))
            .values("organization_id", "activity__kind", "month")
            .annotate(n=Count("activity_id"))
            .order_by())
    return {(r["organization_id"], r["activity__kind"], r["month"]): r["n"] for r in rows}


def build_ledgers(organizations: Sequence[Organization], year: int, today: dt.date | None = None,
                  rules: list[LedgerRule] | None = None) -> list[OrganizationLedger]:
    today = today or timezone.localdate()
    rules = active_rules() if rules is None else rules
    by_type: dict[str, list[LedgerRule]] = defaultdict(list)
    for rule in rules:
        by_type[rule.organization_type].append(rule)
    counts = monthly_counts([o.pk for o in organizations], year)
    ledgers = []
    for org in organizations:
        ledger = OrganizationLedger(org, year)
        for rule in by_type.get(org.type, []):
            cells = []
            for period in periods(rule.period, year):
                n = sum(counts.get((org.pk, kind, month), 0) for kind in rule.kinds
                        for month in range(period.first_month, period.last_month + 1))
                cells.append(Cell(period, period.label(rule.period), n, rule.min_count,
                                  period_state(year, period, today)))
            ledger.rows.append(RuleRow(rule, cells))
        ledgers.append(ledger)
    return ledgers


def parse_year(value: str | None) -> int:
    """A year from a query parameter: this year when missing or malformed, kept between 2000 and next year."""
    this_year = timezone.localdate().year
    try:
        year = int(value or this_year)
    except ValueError:
        year = this_year
    return min(max(year, 2000), this_year + 1)


def matrix(ledgers: Sequence[OrganizationLedger], rules: Sequence[LedgerRule]
           ) -> tuple[list[tuple[str, str]], list[tuple[OrganizationLedger, list[RuleRow | None]]]]:
    """Columns (rule name, period) across organization types, and per organization its row for each column
    (None where no rule of its type has that column)."""
    columns: list[tuple[str, str]] = []
    for rule in rules:
        key = (rule.display_name, str(rule.get_period_display()))
        if key not in columns:
            columns.append(key)
    rows = []
    for lg in ledgers:
        cells = {(r.rule.display_name, str(r.rule.get_period_display())): r for r in lg.rows}
        rows.append((lg, [cells.get(c) for c in columns]))
    return columns, rows
