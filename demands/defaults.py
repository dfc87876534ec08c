"""The taxonomy and deadline tiers a new installation starts with (a data migration installs them; platform
administrators change them afterwards)."""

from __future__ import annotations

from typing import Any

CATEGORIES = [  # code, Chinese name, English name
    ("policy", "政策咨询", "Policy"),
    ("financing", "融资需求", "Financing"),
    ("talent", "人才招聘", "Talent and hiring"),
    ("premises", "用地用房", "Land and premises"),
    ("legal", "法律服务", "Legal"),
    ("training", "教育培训", "Training"),
    ("market", "市场拓展", "Market"),
    ("public", "公共服务", "Public services"),
    ("other", "其他", "Other"),
]

# category code (None: any), urgency ("": any), accept days, resolve days, remind days
TIERS: list[tuple[str | None, str, int, int, int]] = [
    (None, "", 1, 10, 2),
    (None, "urgent", 1, 5, 1),
    (None, "critical", 1, 3, 1),
    ("premises", "", 2, 30, 5),
    ("financing", "", 2, 30, 5),
]


def install(category_model: Any, tier_model: Any) -> None:
    for position, (code, name, name_en) in enumerate(CATEGORIES):
        category_model.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en,
                                                                  "position": position})
    for tier_code, urgency, accept, resolve, remind in TIERS:
        category = category_model.objects.get(code=tier_code) if tier_code else None
        tier_model.objects.get_or_create(category=category, urgency=urgency, defaults={
            "accept_days": accept, "resolve_days": resolve, "remind_days": remind})
