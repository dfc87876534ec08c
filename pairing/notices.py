"""Who is told at each step of a pair: both sides (their secretaries) when it is proposed, put in force, reviewed,
renewed or ended; the programme's managers when a yearly review falls due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from notifications import recipients
from notifications.kinds import declare
from notifications.services import Say, When, notify

from .choices import PairStatus
from .models import Pair

GROUP = _("Pairing")
PROPOSED = declare("pairing.proposed", _("My organization is proposed for a pair"), GROUP)
STEP = declare("pairing.step", _("A pair of my organization is put in force, reviewed, renewed or ended"), GROUP)
REVIEW_DUE = declare("pairing.review_due", _("A pair's yearly review falls due"), GROUP)


def sides(pair: Pair) -> list[Any]:
    return recipients.organization_contacts([pair.organ, *pair.partners.all()])


def managers(pair: Pair) -> list[Any]:
    return recipients.organization_contacts([pair.programme.owner])


def _values(pair: Pair) -> dict[str, Any]:
    return {"pair": str(pair), "programme": pair.programme.name, "ends": When(pair.ends_on, with_time=False),
            "reason": pair.end_reason or "—", "status": pair.get_status_display()}


def proposed(pair: Pair, actor: Any) -> None:
    notify(sides(pair), kind=PROPOSED, title=Say(_("Proposed pair: %(pair)s"), **_values(pair)),
           body=Say(_("%(programme)s proposes the pair %(pair)s. The pair is put in force once both sides have "
                      "signed the agreement."), **_values(pair)),
           url=pair.get_absolute_url(), event=f"pair:{pair.pk}:proposed", actor=actor)


def stepped(pair: Pair, actor: Any) -> None:
    bodies = {
        PairStatus.ACTIVE: _("The pair %(pair)s is in force until %(ends)s."),
        PairStatus.UNDER_REVIEW: _("The pair %(pair)s is under review."),
        PairStatus.RENEWED: _("The pair %(pair)s was renewed until %(ends)s."),
        PairStatus.ENDED: _("The pair %(pair)s ended on %(ends)s. Reason: %(reason)s"),
    }
    notify(sides(pair), kind=STEP, title=Say(_("%(status)s: %(pair)s"), **_values(pair)),
           body=Say(bodies[PairStatus(pair.status)], **_values(pair)), url=pair.get_absolute_url(),
           event=f"pair:{pair.pk}:{pair.status}:{pair.ends_on}", actor=actor)


def review_due(pair: Pair, due_on: dt.date) -> None:
    values = {**_values(pair), "due": When(due_on, with_time=False), "year": due_on.year}
    notify(managers(pair), kind=REVIEW_DUE, title=Say(_("Review due: %(pair)s"), **values),
           body=Say(_("The %(year)s review of the pair %(pair)s falls due on %(due)s. Record it on the pair's page."),
                    **values),
           url=pair.get_absolute_url(), event=f"pair:{pair.pk}:review-due:{due_on.year}")
