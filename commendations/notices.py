"""Who is told about a commendation: the nominating organizations when the window opens and closes, the reviewers
when a nomination reaches their stage, the nominating organization when it is returned, the campaign's managers
when an objection is filed, and the nominee (and their organization) on approval."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications import recipients
from notifications.kinds import declare
from notifications.services import Say, When, notify

from .models import Campaign, Honour, Nomination, NominationEvent, Objection, ReviewStage

GROUP = _("Commendations")
WINDOW = declare("commendations.window", _("A commendation's nomination window opens or closes"), GROUP)
TO_REVIEW = declare("commendations.to_review", _("A nomination reaches my review stage"), GROUP)
INTEGRITY = declare("commendations.integrity", _("An integrity opinion on a nominee is asked of me"), GROUP)
RETURNED = declare("commendations.returned", _("A nomination of my organization is returned for changes"), GROUP)
OBJECTION = declare("commendations.objection", _("An objection is filed in a commendation I run"), GROUP)
APPROVED = declare("commendations.approved", _("A commendation is approved for me or my organization"), GROUP)


def nominators(campaign: Campaign) -> list[Any]:
    from organizations.models import Organization

    return recipients.organization_contacts(
        Organization.objects.filter(commendation_quotas__category__campaign=campaign).distinct())


def managers(campaign: Campaign) -> list[Any]:
    return recipients.organization_contacts([campaign.issuer]) + recipients.alliance_admins([campaign.alliance_id])


def reviewers(stage: ReviewStage) -> list[Any]:
    return recipients.organization_contacts([stage.organization])


def window_opened(campaign: Campaign, actor: Any) -> None:
    values = {"title": campaign.title, "from": When(campaign.nominate_from, with_time=False),
              "until": When(campaign.nominate_until, with_time=False)}
    notify(nominators(campaign), kind=WINDOW, title=Say(_("Nominations open: %(title)s"), **values),
           body=Say(_("Nominations for “%(title)s” are taken from %(from)s to %(until)s. See your organization's "
                      "places and nominate."), **values),
           url=campaign.get_absolute_url(), event=f"campaign:{campaign.pk}:open", actor=actor)


def window_closed(campaign: Campaign, actor: Any) -> None:
    values = {"title": campaign.title}
    notify(nominators(campaign), kind=WINDOW, title=Say(_("Nominations closed: %(title)s"), **values),
           body=Say(_("Nominations for “%(title)s” are closed; the review has begun."), **values),
           url=campaign.get_absolute_url(), event=f"campaign:{campaign.pk}:closed", actor=actor)


def reached_stage(nomination: Nomination, event: NominationEvent) -> None:
    stage = nomination.stage
    if stage is None:
        return
    values = {"nominee": nomination.nominee_name, "category": nomination.category.name, "stage": stage.name}
    if stage.integrity:  # the discipline-inspection contact: asked for the integrity opinion (廉政意见)
        kind, title = INTEGRITY, Say(_("Integrity opinion asked: %(nominee)s (%(category)s)"), **values)
        body = Say(_("Give the integrity opinion on %(nominee)s, nominated for %(category)s, at “%(stage)s”."),
                   **values)
    else:
        kind, title = TO_REVIEW, Say(_("To review: %(nominee)s (%(category)s)"), **values)
        body = Say(_("The nomination of %(nominee)s for %(category)s waits for the review at “%(stage)s”."),
                   **values)
    notify(reviewers(stage), kind=kind, title=title, body=body, url=nomination.get_absolute_url(),
           event=f"nomination-event:{event.pk}:{kind}", actor=event.actor)


def returned(nomination: Nomination, event: NominationEvent) -> None:
    values = {"nominee": nomination.nominee_name, "reason": event.note}
    notify(recipients.organization_contacts([nomination.nominator]), kind=RETURNED,
           title=Say(_("Returned for changes: %(nominee)s"), **values),
           body=Say(_("The nomination of %(nominee)s was returned: %(reason)s"), **values),
           url=nomination.get_absolute_url(), event=f"nomination-event:{event.pk}:{RETURNED}", actor=event.actor)


def objection_filed(objection: Objection, event: NominationEvent) -> None:
    nomination = objection.nomination
    values = {"nominee": nomination.nominee_name, "title": nomination.campaign.title}
    notify(managers(nomination.campaign), kind=OBJECTION, title=Say(_("Objection to %(nominee)s"), **values),
           body=Say(_("An objection to the nomination of %(nominee)s in “%(title)s” waits for your finding."),
                    **values),
           url=objection.get_absolute_url(), event=f"objection:{objection.pk}", actor=event.actor)


def approved(nomination: Nomination, honour: Honour, event: NominationEvent) -> None:
    """Told with a link to the honour, which whoever sees the person or organization reads (the nomination is the
    nominating organization's)."""
    organization = nomination.organization or (nomination.person.organization if nomination.person else None)
    users = recipients.organization_contacts([organization]) if organization is not None else []
    users += recipients.account(nomination.person)
    values = {"nominee": nomination.nominee_name, "category": nomination.category.name,
              "number": event.note}
    notify(users, kind=APPROVED, title=Say(_("Commended: %(nominee)s, %(category)s"), **values),
           body=Say(_("%(nominee)s is commended as %(category)s (%(number)s)."), **values),
           url=honour.get_absolute_url(), event=f"nomination-event:{event.pk}:{APPROVED}", actor=event.actor)


DEADLINE = declare("commendations.deadline", _("A commendation's deadline is near or has passed"), GROUP)


def nominations_closing(campaign: Campaign) -> None:
    values = {"title": campaign.title, "until": When(campaign.nominate_until, with_time=False)}
    notify(nominators(campaign), kind=DEADLINE, title=Say(_("Nominations close soon: %(title)s"), **values),
           body=Say(_("Nominations for “%(title)s” are taken until %(until)s; submit your organization's before "
                      "then."), **values),
           url=campaign.get_absolute_url(), event=f"campaign:{campaign.pk}:nominate-until:{campaign.nominate_until}")


def review_closing(stage: ReviewStage, waiting: int) -> None:
    campaign = stage.campaign
    values = {"title": campaign.title, "stage": stage.name, "count": waiting,
              "until": When(campaign.review_until, with_time=False)}
    notify(reviewers(stage), kind=DEADLINE, title=Say(_("Review closes soon: %(title)s"), **values),
           body=Say(_("Nominations waiting at the stage “%(stage)s” of “%(title)s”: %(count)s. The review closes "
                      "on %(until)s."), **values),
           url=reverse("commendations:review_queue"),
           event=f"stage:{stage.pk}:review-until:{campaign.review_until}")


def decision_overdue(campaign: Campaign) -> None:
    values = {"title": campaign.title, "by": When(campaign.decide_by, with_time=False)}
    notify(managers(campaign), kind=DEADLINE, title=Say(_("Decision overdue: %(title)s"), **values),
           body=Say(_("The decision on “%(title)s” was due by %(by)s."), **values),
           url=campaign.get_absolute_url(), event=f"campaign:{campaign.pk}:decide-by:{campaign.decide_by}")
