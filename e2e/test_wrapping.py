"""No Chinese label is wrapped one character per line, at 1400 px or on a 390 px phone: a browser test walks the
demo's busiest pages as the admin and measures every cell, header, button and link."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from activities import defaults as activity_defaults
from activities.models import ActivitySeries, LedgerRule
from alliances.models import Alliance
from demands import defaults as demand_defaults
from demands.models import DeadlineTier, DemandCategory
from demo.data import DEMO_PASSWORD
from pairing.models import Pair, PairingProgramme

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# An element holding only text of at least two characters, laid out one character per line: its text boxes fall on
# as many lines as it has characters (three at most are needed to tell), none wider than two characters.
ONE_PER_LINE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('main td, main th, main .btn, main a, main .badge, main summary')) {
    const text = (el.innerText || '').trim();
    if (text.length < 2 || el.offsetParent === null || el.children.length > 0) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    const lines = new Set(rects.map(r => Math.round(r.top))).size;
    const widest = Math.max(0, ...rects.map(r => r.width));
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (lines >= Math.min(text.length, 3) && widest < size * 1.9) found.push(text.slice(0, 20));
  }
  return found;
}"""


def test_no_label_is_wrapped_one_character_per_line(page: Any, phone: Any) -> None:
    demand_defaults.install(DemandCategory, DeadlineTier)
    activity_defaults.install(LedgerRule)
    call_command("load_demo", stdout=StringIO())
    alliance = Alliance.objects.order_by("id").first()
    pages = ["/", "/organizations/", "/organizations/people/", "/alliances/", f"/alliances/{alliance.pk}/",
             "/pairing/pairs/", f"/pairing/pairs/{Pair.objects.order_by('id').first().pk}/",
             f"/pairing/{PairingProgramme.objects.first().pk}/", "/activities/", "/activities/ledger/",
             f"/activities/series/{ActivitySeries.objects.order_by('id').first().pk}/", "/demands/",
             "/demands/resources/", "/demands/report/", "/projects/", "/audit/", "/accounts/users/"]
    page.set_viewport_size({"width": 1400, "height": 900})
    problems = []
    for screen, label in ((page, "1400"), (phone, "390")):
        login(screen, "admin", DEMO_PASSWORD)
        for path in pages:
            screen.goto(screen.base_url + path)
            wrapped = screen.evaluate(ONE_PER_LINE)
            if wrapped:
                shot(screen, f"48-wrapped-{label}-{path.strip('/').replace('/', '-') or 'home'}")
                problems.append((label, path, wrapped))
            if label == "390" and not screen.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
                problems.append((label, path, ["horizontal scroll"]))
    assert problems == [], "\n".join(map(str, problems))
