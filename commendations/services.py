"""The commendation procedure (评优表彰), step by step: a campaign is set up (categories, quotas, review stages) and
opened; organizations nominate within their quota and window; each stage reviews (a reviewer from the nominee's
own organization or unit is excluded); the nominations that passed go on public notice (公示) for at least five
working days, during which named objections are taken and found on; then the decision (表彰决定) confers the
honours. Each step locks its row where the actor may act, refuses a wrong status with the current status named,
is audited and tells whoever acts next (``notices``). No votes, points or rankings anywhere."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliances.choices import MembershipStatus
from alliances.models import Membership
from core import audit
from core.permissions import Action, Actor, can, signed_in
from core.services import model_create, model_update, validate
from core.validators import normalize_phone, validate_phone
from demands.workdays import WorkingCalendar
from organizations.choices import MemberStatus
from organizations.models import Organization, Person

from . import events, notices
from .choices import (
    COUNTED,
    EDITABLE,
    WITHDRAWABLE,
    CampaignStatus,
    CategoryKind,
    Finding,
    NominationStatus,
    ObjectionAction,
    Opinion,
)
from .error_codes import CommendationErrorCode as Code
from .models import (
    Campaign,
    Category,
    Decision,
    Honour,
    Nomination,
    Notice,
    Objection,
    Quota,
    Review,
    ReviewStage,
)

M = TypeVar("M", bound=models.Model)

CAMPAIGN_FIELDS = ("issuer", "alliance", "title", "year", "basis", "nominate_from", "nominate_until",
                   "review_until", "decide_by", "notice_days")
NOMINATION_FIELDS = ("deeds", "prior_honours", "declared")
SETTING_UP = (CampaignStatus.DRAFT,)
REVIEWING = (CampaignStatus.OPEN, CampaignStatus.REVIEWING)
LATER_CHANGES: dict[str, tuple[str, ...]] = {
    CampaignStatus.DRAFT: CAMPAIGN_FIELDS,
    CampaignStatus.OPEN: ("basis", "nominate_until", "review_until", "decide_by"),
    CampaignStatus.REVIEWING: ("review_until", "decide_by"),
    CampaignStatus.ON_NOTICE: ("decide_by",),
}


def _day(value: dt.date) -> str:
    return date_format(value)


def _locked(model: type[M], instance: M, actor: Actor, action: Action = Action.CHANGE,
            related: tuple[str, ...] = ()) -> M:
    """The row, locked and fresh; with ``actor``, only if they may act on it (checked in the same query).
    ``related``: rows read with it (not locked: ``of=self``), which the step reads anyway."""
    rows: Any = model._default_manager.select_for_update(of=("self",)).select_related(*related)
    if actor is not None:
        rows = rows.restrict(actor, action)
    current = rows.filter(pk=instance.pk).first()
    if current is None:
        raise PermissionDenied(_("You may not change this record."))
    return current


def _campaign_status(campaign: Campaign, allowed: tuple[str, ...], message: str) -> None:
    if campaign.status not in allowed:
        raise ValidationError(message % {"status": campaign.get_status_display()}, code=Code.STEP_NOT_ALLOWED)


def _nomination_status(nomination: Nomination, allowed: tuple[str, ...], message: str) -> None:
    if nomination.status not in allowed:
        raise ValidationError(message % {"status": nomination.get_status_display()}, code=Code.STEP_NOT_ALLOWED)


# The campaign and its set-up ---------------------------------------------------------------------------------------


def campaign_create(*, actor: Actor, data: Mapping[str, Any]) -> Campaign:
    values = {f: data[f] for f in CAMPAIGN_FIELDS if f in data}
    return model_create(Campaign, actor=actor, data={**values, "created_by": signed_in(actor)})


@transaction.atomic
def campaign_update(*, actor: Actor, campaign: Campaign, data: Mapping[str, Any]) -> Campaign:
    """Set-up is changed while a draft; afterwards only the basis and the windows still ahead can move (a review
    that needs longer must not be stuck)."""
    campaign = _locked(Campaign, campaign, actor)
    allowed = LATER_CHANGES.get(campaign.status, ())
    values = {f: data[f] for f in CAMPAIGN_FIELDS if f in data}
    fixed = [f for f, v in values.items() if f not in allowed and getattr(campaign, f) != v]
    if fixed:
        raise ValidationError(_("The campaign is “%(status)s”; its set-up can no longer change.")
                              % {"status": campaign.get_status_display()}, code=Code.STEP_NOT_ALLOWED)
    campaign, _changed = model_update(campaign, actor=actor, data=values, checked=True)
    return campaign


@transaction.atomic
def category_add(*, actor: Actor, campaign: Campaign, data: Mapping[str, Any]) -> Category:
    campaign = _locked(Campaign, campaign, actor)
    _campaign_status(campaign, SETTING_UP, _("The campaign is “%(status)s”; categories are set while it is a draft."))
    fields = ("kind", "name", "quota_total", "quota_rate", "two_new_share", "deeds_max_length",
              "full_member_required", "organization_types", "declaration_required")
    return model_create(Category, actor=actor, data={"campaign": campaign, **{f: data[f] for f in fields if f in data}})


def _quota_reach(campaign: Campaign, organization: Organization) -> bool:
    """A campaign's places go to organizations under its issuer or, for an alliance's campaign, to its members."""
    if campaign.alliance_id is not None:
        return Membership.objects.filter(alliance_id=campaign.alliance_id, organization=organization,
                                         status=MembershipStatus.ACTIVE).exists()
    return organization.path.startswith(campaign.issuer.path)


@transaction.atomic
def quota_set(*, actor: Actor, category: Category, organization: Organization, number: int) -> Quota:
    """Give (or change) an organization's places in a category; together they stay within the category's total."""
    campaign = _locked(Campaign, category.campaign, actor)
    _campaign_status(campaign, SETTING_UP, _("The campaign is “%(status)s”; quotas are set while it is a draft."))
    if not _quota_reach(campaign, organization):
        raise ValidationError({"organization": _("Give places to organizations under the issuing organization (or "
                                                 "to the alliance's member organizations).")})
    others = (Quota.objects.filter(category=category).exclude(organization=organization)
              .aggregate(total=Sum("number"))["total"] or 0)
    if others + number > category.quota_total:
        raise ValidationError({"number": ValidationError(
            _("The quotas of %(category)s would add up to %(sum)d, more than its %(total)d places.")
            % {"category": category.name, "sum": others + number, "total": category.quota_total},
            code=Code.OVER_QUOTA)})
    quota = Quota.objects.filter(category=category, organization=organization).first()
    if quota is None:
        return model_create(Quota, actor=actor, data={"category": category, "organization": organization,
                                                      "number": number})
    quota, _changed = model_update(quota, actor=actor, data={"number": number}, checked=True)
    return quota


@transaction.atomic
def stage_add(*, actor: Actor, campaign: Campaign, name: str, organization: Organization,
              integrity: bool = False) -> ReviewStage:
    """Add the next review stage; whoever may change ``organization`` reviews at it. ``integrity``: the
    discipline-inspection body's stage, whose opinion is the integrity opinion (廉政意见); as every stage, it is
    passed before the notice."""
    campaign = _locked(Campaign, campaign, actor)
    _campaign_status(campaign, SETTING_UP, _("The campaign is “%(status)s”; review stages are set while it is a "
                                             "draft."))
    if actor is not None and not can(actor, Action.VIEW, organization):
        raise ValidationError({"organization": _("Choose an organization you can see.")})
    order = campaign.stages.count() + 1
    return model_create(ReviewStage, actor=actor, data={"campaign": campaign, "order": order,
                                                        "name": (name or "").strip(), "organization": organization,
                                                        "integrity": integrity})


def subtree_members(organization: Organization) -> int:
    """Members of the organization and of those under it (each organization keeps its own count)."""
    under = Organization.objects.filter(path__gte=organization.path, path__lt=organization.path + "~")
    return under.aggregate(total=Sum("member_count"))["total"] or 0


def _places_from_rate(actor: Actor, category: Category) -> None:
    """Each nominating organization's places from the category's rate, rounded up; together within the total."""
    rate = category.quota_rate
    assert rate is not None
    quotas = list(category.quotas.select_related("organization"))
    numbers = {q.pk: math.ceil(subtree_members(q.organization) * rate / 100) for q in quotas}
    if sum(numbers.values()) > category.quota_total:
        raise ValidationError(_("At %(rate)s places per 100 members the quotas of %(category)s add up to %(sum)d, "
                                "more than its %(total)d places.")
                              % {"rate": rate, "category": category.name, "sum": sum(numbers.values()),
                                 "total": category.quota_total}, code=Code.OVER_QUOTA)
    for quota in quotas:
        model_update(quota, actor=actor, data={"number": numbers[quota.pk]}, checked=True)


def _set_status(campaign: Campaign, actor: Actor, status: str) -> Campaign:
    campaign, _changed = model_update(campaign, actor=actor, data={"status": status}, checked=True)
    return campaign


@transaction.atomic
def campaign_open(*, actor: Actor, campaign: Campaign) -> Campaign:
    """Open for nominations: every category has places given out, and there is at least one review stage."""
    campaign = _locked(Campaign, campaign, actor)
    _campaign_status(campaign, SETTING_UP, _("The campaign is “%(status)s”; only a draft can be opened."))
    for category in campaign.categories.exclude(quota_rate=None):
        _places_from_rate(actor, category)
    categories = list(campaign.categories.annotate(places=Sum("quotas__number")))
    if not categories:
        raise ValidationError(_("Add at least one category before opening."), code=Code.INCOMPLETE)
    without = [c.name for c in categories if not c.places]
    if without:
        raise ValidationError(_("Give places to nominating organizations in: %(categories)s.")
                              % {"categories": "、".join(without)}, code=Code.INCOMPLETE)
    if not campaign.stages.exists():
        raise ValidationError(_("Add at least one review stage before opening."), code=Code.INCOMPLETE)
    campaign = _set_status(campaign, actor, CampaignStatus.OPEN)
    notices.window_opened(campaign, actor)
    return campaign


@transaction.atomic
def campaign_close_nominations(*, actor: Actor, campaign: Campaign) -> Campaign:
    """End the nomination window (after its last day) and move on to the review."""
    campaign = _locked(Campaign, campaign, actor)
    _campaign_status(campaign, (CampaignStatus.OPEN,), _("The campaign is “%(status)s”; only an open campaign's "
                                                         "nominations can be closed."))
    if timezone.localdate() <= campaign.nominate_until:
        raise ValidationError(_("Nominations are open until %(date)s; they close after that day.")
                              % {"date": _day(campaign.nominate_until)}, code=Code.WINDOW_NOT_OPEN)
    campaign = _set_status(campaign, actor, CampaignStatus.REVIEWING)
    notices.window_closed(campaign, actor)
    return campaign


@transaction.atomic
def campaign_archive(*, actor: Actor, campaign: Campaign) -> Campaign:
    campaign = _locked(Campaign, campaign, actor)
    _campaign_status(campaign, (CampaignStatus.DECIDED,), _("The campaign is “%(status)s”; only a decided campaign "
                                                            "is archived."))
    return _set_status(campaign, actor, CampaignStatus.ARCHIVED)


# Nominations --------------------------------------------------------------------------------------------------------


def _check_window(campaign: Campaign, today: dt.date) -> None:
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("The campaign is “%(status)s”; nominations are taken while it is open.")
                              % {"status": campaign.get_status_display()}, code=Code.STEP_NOT_ALLOWED)
    if today < campaign.nominate_from:
        raise ValidationError(_("Nominations are not open until %(date)s.") % {"date": _day(campaign.nominate_from)},
                              code=Code.WINDOW_NOT_OPEN)
    if today > campaign.nominate_until:
        raise ValidationError(_("Nominations closed on %(date)s.") % {"date": _day(campaign.nominate_until)},
                              code=Code.WINDOW_CLOSED)


def _nominee_organization(person: Person | None, organization: Organization | None) -> Organization | None:
    return organization if organization is not None else (person.organization if person is not None else None)


@transaction.atomic
def nomination_create(*, actor: Actor, campaign: Campaign, category: Category, nominator: Organization,
                      person: Person | None = None, organization: Organization | None = None,
                      data: Mapping[str, Any]) -> Nomination:
    """A draft nomination by an organization with places in the category, of a person or organization under it."""
    if actor is not None and not can(actor, Action.CHANGE, nominator):
        raise PermissionDenied(_("Only the nominating organization's managers nominate for it."))
    if category.campaign_id != campaign.pk:
        raise ValidationError({"category": _("Choose a category of this campaign.")})
    _check_window(campaign, timezone.localdate())
    if not Quota.objects.filter(category=category, organization=nominator).exists():
        raise ValidationError(_("%(organization)s has no places for %(category)s in this campaign.")
                              % {"organization": nominator.name, "category": category.name}, code=Code.NO_QUOTA)
    if (category.kind == CategoryKind.PERSON) != (person is not None) or (person is None) == (organization is None):
        raise ValidationError(_("%(category)s is conferred on %(kind)s; choose the nominee accordingly.")
                              % {"category": category.name, "kind": category.get_kind_display()},
                              code=Code.NOT_ELIGIBLE)
    under = _nominee_organization(person, organization)
    if under is None or not under.path.startswith(nominator.path):
        raise ValidationError(_("Nominate people and organizations of %(organization)s or under it.")
                              % {"organization": nominator.name}, code=Code.NOT_ELIGIBLE)
    nominee = person if person is not None else organization
    if actor is not None and nominee is not None and not can(actor, Action.VIEW, nominee):
        raise ValidationError(_("Choose a nominee you can see."), code=Code.NOT_ELIGIBLE)
    taken = Nomination.objects.filter(campaign=campaign, category=category, person=person,
                                      organization=organization).exclude(
        status__in=(NominationStatus.WITHDRAWN, NominationStatus.REJECTED))
    if taken.exists():
        raise ValidationError(_("%(nominee)s is already nominated for %(category)s.")
                              % {"nominee": nominee, "category": category.name}, code=Code.NOT_ELIGIBLE)
    values = {f: data[f] for f in NOMINATION_FIELDS if f in data}
    nomination = model_create(Nomination, actor=actor, data={
        "campaign": campaign, "category": category, "nominator": nominator, "person": person,
        "organization": organization, "created_by": signed_in(actor), **values})
    events.created(nomination, actor)
    return nomination


@transaction.atomic
def nomination_update(*, actor: Actor, nomination: Nomination, data: Mapping[str, Any]) -> Nomination:
    """Deeds, earlier honours and the declaration change only while a draft or returned; every change audited."""
    nomination = _locked(Nomination, nomination, actor)
    if nomination.status not in EDITABLE:
        raise ValidationError(_("The nomination is “%(status)s”; it can be changed only while it is a draft or "
                                "returned for changes.") % {"status": nomination.get_status_display()},
                              code=Code.NOT_EDITABLE)
    values = {f: data[f] for f in NOMINATION_FIELDS if f in data}
    nomination, changed = model_update(nomination, actor=actor, data=values, checked=True)
    if changed:
        names = [str(getattr(Nomination._meta.get_field(f), "verbose_name", f)) for f in values]
        events.changed(nomination, actor, fields="、".join(names))
    return nomination


def snapshot_of(nomination: Nomination, today: dt.date) -> dict[str, Any]:
    """The nominee's details as they stand at submission (post, organization path, join date), kept with the
    nomination: what the reviewers and the notice read, even if the records change later."""
    org = _nominee_organization(nomination.person, nomination.organization)
    path = [o.name for o in org.ancestors()] + [org.name] if org is not None else []
    if nomination.person is not None:
        person = nomination.person
        posts = [p.title for p in person.positions.filter(
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=today)).order_by("organization__path", "title")]
        return {"name": person.name, "gender": person.gender, "organization": org.name if org else "",
                "organization_path": path, "post": "、".join(posts) or person.title,
                "joined_party_on": person.joined_party_on.isoformat() if person.joined_party_on else "",
                "member_status": person.member_status, "taken_on": today.isoformat()}
    assert org is not None
    return {"name": org.name, "type": org.type, "sector": org.sector, "organization": org.name,
            "organization_path": path, "members": org.member_count, "taken_on": today.isoformat()}


def _check_eligible(nomination: Nomination) -> None:
    category = nomination.category
    problems = []
    if not (nomination.deeds or "").strip():
        problems.append(_("describe the main deeds"))
    if category.declaration_required and not nomination.declared:
        problems.append(_("the declaration of no disciplinary action in the last three years is missing"))
    person = nomination.person
    if category.full_member_required and person is not None and person.member_status != MemberStatus.FULL:
        problems.append(_("%(category)s is for full party members") % {"category": category.name})
    org = nomination.organization
    if category.organization_types and org is not None and org.type not in category.organization_types:
        problems.append(_("%(category)s is not open to a %(type)s") % {"category": category.name,
                                                                       "type": org.get_type_display()})
    if problems:
        raise ValidationError(_("Not yet eligible: %(problems)s.") % {"problems": "; ".join(problems)},
                              code=Code.NOT_ELIGIBLE)


@transaction.atomic
def nomination_submit(*, actor: Actor, nomination: Nomination) -> Nomination:
    """Submit a draft within the window and the quota, or resubmit a returned one (its place is already taken):
    the nominee's details are frozen and the nomination goes to its (first) review stage."""
    nomination = _locked(Nomination, nomination, actor, related=("campaign", "category", "person", "nominator"))
    _nomination_status(nomination, EDITABLE, _("The nomination is “%(status)s”; only a draft or a returned nomination "
                                               "is submitted."))
    campaign, category = nomination.campaign, nomination.category
    today = timezone.localdate()
    first = nomination.status == NominationStatus.DRAFT
    if first:
        _check_window(campaign, today)
    else:
        _check_review_window(campaign, today)
    _check_eligible(nomination)
    if first:
        quota = Quota.objects.select_for_update().filter(category=category, organization=nomination.nominator_id
                                                         ).first()
        if quota is None:
            raise ValidationError(_("%(organization)s has no places for %(category)s in this campaign.")
                                  % {"organization": nomination.nominator.name, "category": category.name},
                                  code=Code.NO_QUOTA)
        used = Nomination.objects.filter(category=category, nominator_id=nomination.nominator_id,
                                         status__in=COUNTED).count()
        if used >= quota.number:
            raise ValidationError(
                _("The quota of %(category)s for %(organization)s is %(quota)d; %(used)d are already submitted.")
                % {"category": category.name, "organization": nomination.nominator.name, "quota": quota.number,
                   "used": used}, code=Code.OVER_QUOTA)
    stage = nomination.stage or campaign.stages.order_by("order").first()
    nomination, _changed = model_update(nomination, actor=actor, checked=True, data={
        "status": NominationStatus.SUBMITTED, "stage": stage, "snapshot": snapshot_of(nomination, today),
        "submitted_at": timezone.now(), "return_reason": ""})
    event = events.submitted(nomination, actor)
    notices.reached_stage(nomination, event)
    return nomination


def _check_review_window(campaign: Campaign, today: dt.date) -> None:
    if campaign.status not in REVIEWING:
        raise ValidationError(_("The campaign is “%(status)s”; nominations are reviewed while it is open or under "
                                "review.")
                              % {"status": campaign.get_status_display()}, code=Code.STEP_NOT_ALLOWED)
    if today > campaign.review_until:
        raise ValidationError(_("The review closed on %(date)s.") % {"date": _day(campaign.review_until)},
                              code=Code.WINDOW_CLOSED)


def conflict_of_interest(user: Any, nomination: Nomination) -> bool:
    """The user's own person record is the nominee, or belongs to the nominee's organization or unit."""
    if not getattr(user, "pk", None):
        return False
    reviewer = Person.objects.filter(user_id=user.pk).select_related("organization").first()
    if reviewer is None:
        return False
    if nomination.person_id is not None and reviewer.pk == nomination.person_id:
        return True
    org = _nominee_organization(nomination.person, nomination.organization)
    if org is not None and reviewer.organization_id == org.pk:
        return True
    nominee_unit = (nomination.person.unit_id if nomination.person is not None else None) or (
        org.unit_id if org is not None else None)
    reviewer_unit = reviewer.unit_id or (reviewer.organization.unit_id if reviewer.organization else None)
    return nominee_unit is not None and nominee_unit == reviewer_unit


def is_reviewer(user: Any, stage: ReviewStage) -> bool:
    return can(user, Action.CHANGE, stage.organization)


@transaction.atomic
def nomination_review(*, actor: Actor, nomination: Nomination, opinion: str, comment: str = "") -> Review:
    """The opinion of the nomination's current stage: pass (to the next stage, or through), return for changes,
    or do not recommend. Returning and not recommending need a reason."""
    nomination = _locked(Nomination, nomination, actor, Action.VIEW,
                         related=("campaign", "category", "person", "organization", "stage__organization"))
    _nomination_status(nomination, (NominationStatus.SUBMITTED,), _("The nomination is “%(status)s”; it is not "
                                                                     "waiting for a review."))
    stage = nomination.stage
    assert stage is not None  # a submitted nomination always has its stage
    _check_review_window(nomination.campaign, timezone.localdate())
    if actor is not None and not is_reviewer(actor, stage):
        raise PermissionDenied(_("Only the reviewers of “%(stage)s” (%(organization)s) review at this stage.")
                               % {"stage": stage.name, "organization": stage.organization.name})
    if actor is not None and conflict_of_interest(actor, nomination):
        raise ValidationError(_("You belong to the nominee's own organization or unit, so another reviewer of this "
                                "stage must give the opinion."), code=Code.CONFLICT_OF_INTEREST)
    if opinion not in Opinion.values:
        raise ValidationError({"opinion": _("Choose an opinion from the list.")})
    comment = (comment or "").strip()
    if opinion != Opinion.PASS and not comment:
        raise ValidationError({"comment": _("Give the reason.")})
    review = model_create(Review, actor=actor, data={"nomination": nomination, "stage": stage,
                                                     "reviewer": signed_in(actor), "opinion": opinion,
                                                     "comment": comment, "at": timezone.now()})
    label = f"{stage.name}: {comment}".rstrip(": ")
    if opinion == Opinion.RETURN:
        nomination, _c = model_update(nomination, actor=actor, checked=True, data={
            "status": NominationStatus.RETURNED, "return_reason": comment})
        notices.returned(nomination, events.returned(nomination, actor, reason=comment))
    elif opinion == Opinion.REJECT:
        nomination, _c = model_update(nomination, actor=actor, checked=True,
                                      data={"status": NominationStatus.REJECTED})
        events.rejected(nomination, actor, note=label)
    else:
        following = nomination.campaign.stages.filter(order__gt=stage.order).order_by("order").first()
        if following is not None:
            nomination, _c = model_update(nomination, actor=actor, checked=True, data={"stage": following})
            notices.reached_stage(nomination, events.reviewed(nomination, actor, note=label))
        else:
            nomination, _c = model_update(nomination, actor=actor, checked=True,
                                          data={"status": NominationStatus.PASSED})
            events.passed(nomination, actor, note=label)
    return review


@transaction.atomic
def nomination_withdraw(*, actor: Actor, nomination: Nomination, reason: str) -> Nomination:
    nomination = _locked(Nomination, nomination, actor)
    _nomination_status(nomination, WITHDRAWABLE, _("The nomination is “%(status)s”; it can no longer be "
                                                   "withdrawn."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    nomination, _c = model_update(nomination, actor=actor, checked=True, data={"status": NominationStatus.WITHDRAWN})
    events.withdrawn(nomination, actor, reason=reason)
    return nomination


# Public notice and objections ---------------------------------------------------------------------------------------


def notice_end(starts_on: dt.date, working_days: int) -> dt.date:
    """The last day of a notice of ``working_days`` working days from ``starts_on`` (which counts if worked)."""
    calendar = WorkingCalendar(starts_on)
    return calendar.add(starts_on - dt.timedelta(days=1), working_days)


@transaction.atomic
def notice_start(*, actor: Actor, campaign: Campaign, starts_on: dt.date, contact: str) -> Notice:
    """Put every nomination that passed review on public notice. It runs ``notice_days`` working days (holidays and
    调休 days from the working calendar) and cannot close early."""
    campaign = _locked(Campaign, campaign, actor)
    _campaign_status(campaign, (CampaignStatus.REVIEWING, CampaignStatus.ON_NOTICE),
                     _("The campaign is “%(status)s”; a public notice follows the close of nominations."))
    if starts_on < timezone.localdate():
        raise ValidationError({"starts_on": _("A public notice cannot start in the past.")})
    if not (contact or "").strip():
        raise ValidationError({"contact": _("Say where objections are received (office and telephone).")})
    _check_reviewed(campaign)
    passed = list(campaign.nominations.filter(status=NominationStatus.PASSED))
    if not passed:
        raise ValidationError(_("No nomination has passed review; there is nothing to put on notice."),
                              code=Code.STEP_NOT_ALLOWED)
    notice = model_create(Notice, actor=actor, data={
        "campaign": campaign, "starts_on": starts_on, "ends_on": notice_end(starts_on, campaign.notice_days),
        "contact": contact.strip(), "created_by": signed_in(actor)})
    note = _("%(start)s to %(end)s") % {"start": _day(notice.starts_on), "end": _day(notice.ends_on)}
    for nomination in passed:
        nomination, _c = model_update(nomination, actor=actor, checked=True,
                                      data={"status": NominationStatus.ON_NOTICE, "notice": notice})
        events.noticed(nomination, actor, note=note)
    if campaign.status != CampaignStatus.ON_NOTICE:
        _set_status(campaign, actor, CampaignStatus.ON_NOTICE)
    return notice


def _check_reviewed(campaign: Campaign) -> None:
    pending = campaign.nominations.filter(status__in=(NominationStatus.SUBMITTED, NominationStatus.RETURNED)).count()
    if pending:
        raise ValidationError(_("%(n)d nominations are still under review or returned for changes; finish the review "
                                "first.") % {"n": pending}, code=Code.STEP_NOT_ALLOWED)


def notice_running(notice: Notice, today: dt.date) -> bool:
    return notice.starts_on <= today <= notice.ends_on


@transaction.atomic
def objection_file(*, actor: Actor, notice: Notice, nomination: Nomination, objector_name: str,
                   objector_unit: str, objector_phone: str, text: str) -> Objection:
    """An objection during the notice, by a named person with their unit and phone (the rule: no anonymous ones)."""
    if actor is not None and not can(actor, Action.VIEW, notice):
        raise PermissionDenied
    today = timezone.localdate()
    if not notice_running(notice, today):
        raise ValidationError(_("The public notice runs from %(start)s to %(end)s; objections are taken during it.")
                              % {"start": _day(notice.starts_on), "end": _day(notice.ends_on)},
                              code=Code.WINDOW_CLOSED)
    # Read fresh (the caller's copy may be old); a name withdrawn meanwhile takes no more objections.
    on_notice = notice.nominations.filter(pk=nomination.pk, status=NominationStatus.ON_NOTICE).first()
    if on_notice is None:
        raise ValidationError({"nomination": _("Choose a name on this notice.")})
    nomination = on_notice
    errors: dict[str, Any] = {}
    for field, value in (("objector_name", objector_name), ("objector_unit", objector_unit), ("text", text)):
        if not (value or "").strip():
            errors[field] = _("Objections are taken with a real name, unit and phone; fill this in.")
    phone = normalize_phone(objector_phone or "")
    try:
        validate_phone(phone)
    except ValidationError as exc:
        errors["objector_phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    objection = Objection(notice=notice, nomination=nomination, objector_name=objector_name.strip(),
                          objector_unit=objector_unit.strip(), objector_phone=phone, text=text.strip(),
                          filed_at=timezone.now(), filed_by=signed_in(actor))
    # The objector may not change the objection afterwards (its handlers do): no scope check after the write.
    validate(objection)
    objection.save()
    audit.record_create(actor, objection)
    notices.objection_filed(objection, events.objection_filed(nomination, actor))
    return objection


@transaction.atomic
def objection_handle(*, actor: Actor, objection: Objection, finding: str, reply: str,
                     action: str = "") -> Objection:
    """The finding and the reply. Founded: the nomination is taken off the list (it cannot be approved);
    unfounded: it is kept; partly founded: the handler decides."""
    objection = _locked(Objection, objection, actor)
    if objection.finding:
        raise ValidationError(_("This objection is already handled (%(finding)s).")
                              % {"finding": objection.get_finding_display()}, code=Code.STEP_NOT_ALLOWED)
    if finding not in Finding.values:
        raise ValidationError({"finding": _("Choose a finding from the list.")})
    if finding == Finding.FOUNDED:
        action = ObjectionAction.WITHDRAW
    elif finding == Finding.UNFOUNDED:
        action = ObjectionAction.KEEP
    elif action not in ObjectionAction.values:
        raise ValidationError({"action": _("Say whether the nomination is kept or taken off the list.")})
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("Write the reply to the objector.")})
    objection, _c = model_update(objection, actor=actor, checked=True, data={
        "finding": finding, "action": action, "reply": reply, "handler": signed_in(actor),
        "handled_at": timezone.now()})
    nomination = Nomination.objects.select_for_update().get(pk=objection.nomination_id)
    if action == ObjectionAction.WITHDRAW and not nomination.blocked:
        nomination, _c = model_update(nomination, actor=actor, checked=True, data={"blocked": True})
    events.objection_handled(nomination, actor, note=f"{objection.get_finding_display()}; "
                                                     f"{objection.get_action_display()}")
    return objection


# The decision and the honours ---------------------------------------------------------------------------------------


@transaction.atomic
def decision_issue(*, actor: Actor, campaign: Campaign, number: str, date: dt.date,
                   signer: Organization | None = None) -> Decision:
    """Issue the decision once every notice has ended and every objection is handled: the nominations on notice
    and not blocked are approved and become honours; blocked ones are not adopted."""
    campaign = _locked(Campaign, campaign, actor)
    _campaign_status(campaign, (CampaignStatus.ON_NOTICE,), _("The campaign is “%(status)s”; the decision follows "
                                                              "the public notice."))
    today = timezone.localdate()
    last = campaign.notices.order_by("-ends_on").first()
    if last is not None and today <= last.ends_on:
        raise ValidationError(_("The public notice runs until %(date)s; it cannot close early.")
                              % {"date": _day(last.ends_on)}, code=Code.NOTICE_RUNNING)
    open_objections = Objection.objects.filter(notice__campaign=campaign, finding="").count()
    if open_objections:
        raise ValidationError(_("%(n)d objections wait for their finding.") % {"n": open_objections},
                              code=Code.OBJECTION_OPEN)
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": _("Give the decision's document number (文号).")})
    signer = signer or campaign.issuer
    if actor is not None and not can(actor, Action.VIEW, signer):
        raise ValidationError({"signer": _("Choose an organization you can see.")})
    decision = model_create(Decision, actor=actor, data={"campaign": campaign, "number": number, "date": date,
                                                        "signer": signer, "created_by": signed_in(actor)})
    on_notice = campaign.nominations.filter(status=NominationStatus.ON_NOTICE).select_related(
        "category", "person__organization", "organization")
    for nomination in on_notice:
        if nomination.blocked:
            nomination, _c = model_update(nomination, actor=actor, checked=True,
                                          data={"status": NominationStatus.REJECTED})
            events.rejected(nomination, actor, note=_("A founded objection."))
            continue
        nomination, _c = model_update(nomination, actor=actor, checked=True,
                                      data={"status": NominationStatus.APPROVED})
        honour = Honour(person=nomination.person, organization=nomination.organization, decision=decision,
                        category_name=nomination.category.name, year=campaign.year, nomination=nomination)
        validate(honour)
        honour.save()
        audit.record_create(actor, honour)
        notices.approved(nomination, honour, events.approved(nomination, actor, note=number))
    _set_status(campaign, actor, CampaignStatus.DECIDED)
    return decision


@transaction.atomic
def honour_revoke(*, actor: Actor, honour: Honour, reason: str) -> Honour:
    honour = _locked(Honour, honour, actor)
    if honour.revoked_at is not None:
        raise ValidationError(_("This honour was already revoked on %(date)s.")
                              % {"date": _day(timezone.localdate(honour.revoked_at))}, code=Code.STEP_NOT_ALLOWED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking.")})
    honour, _c = model_update(honour, actor=actor, checked=True,
                              data={"revoked_at": timezone.now(), "revoke_reason": reason})
    return honour
