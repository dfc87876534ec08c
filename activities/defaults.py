"""The usual organization-life rules (三会一课, themed party day) a new installation starts with.

Installed by a data migration; administrators change them afterwards. Tests that flush the database (transactional
and browser tests) put them back with :func:`install`.
"""

from __future__ import annotations

from typing import Any

BRANCH_RULES = [
    # (name, English name, kinds, period, min_count)
    ("支部委员会", "Branch committee meeting", ["committee_meeting"], "month", 1),
    ("党员大会", "Members' meeting", ["members_meeting"], "quarter", 1),
    ("党小组会", "Party group meeting", ["group_meeting"], "month", 1),
    ("党课", "Party lesson", ["party_lesson", "micro_lesson"], "quarter", 1),
    ("主题党日", "Themed party day", ["party_day"], "month", 1),
]
GENERAL_BRANCH_RULES = [
    ("总支委员会", "General branch committee meeting", ["committee_meeting"], "month", 1),
    ("党课", "Party lesson", ["party_lesson", "micro_lesson"], "half_year", 1),
]
COMMITTEE_RULES = [
    ("党委会", "Party committee meeting", ["committee_meeting"], "month", 1),
    ("党课", "Party lesson", ["party_lesson", "micro_lesson"], "half_year", 1),
]
RULES = {"branch": BRANCH_RULES, "joint_branch": BRANCH_RULES, "general_branch": GENERAL_BRANCH_RULES,
         "committee": COMMITTEE_RULES}



def install(rule_model: Any) -> None:
    """Create the default rules that are missing (``rule_model`` may be the historical model of a migration)."""
    for org_type, rules in RULES.items():
        for position, (name, name_en, kinds, period, min_count) in enumerate(rules):
            rule_model.objects.get_or_create(organization_type=org_type, name=name, defaults={
                "name_en": name_en, "kinds": kinds, "period": period, "min_count": min_count, "position": position})
