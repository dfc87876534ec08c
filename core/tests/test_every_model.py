"""Every model of ours is accounted for: a scoped model declares its visibility and inherits the permission matrix
test; any other says here how it is reached instead. A new model fails this test until one of the two is true."""

from __future__ import annotations

import importlib

from django.apps import apps

from core.tests.matrix import ScopedModelMatrix

OURS = ["core", "accounts", "organizations", "alliances", "pairing", "activities", "demands", "projects",
        "commendations", "notifications", "workbench", "dashboard"]

# Read only through their parent, which is scoped (the parent's page or API shows them).
THROUGH_PARENT = {
    "activities.ActivityHost": "activities.Activity", "activities.ActivityPair": "activities.Activity",
    "activities.ActivityPhoto": "activities.Activity", "activities.FollowUp": "activities.Activity",
    "activities.SeriesMonth": "activities.ActivitySeries", "activities.SeriesReminder": "activities.ActivitySeries",
    "alliances.AllianceRegion": "alliances.Alliance", "alliances.Organizer": "alliances.Alliance",
    "alliances.Workstream": "alliances.Alliance", "demands.DemandEvent": "demands.Demand",
    "demands.DemandAttachment": "demands.Demand", "demands.Match": "demands.Demand",
    "organizations.Position": "organizations.Person", "pairing.PairPartner": "pairing.Pair",
    "pairing.PairReview": "pairing.Pair", "projects.Milestone": "projects.Project",
    "projects.ProjectEvent": "projects.Project", "projects.ProjectOwner": "projects.Project",
    "commendations.Category": "commendations.Campaign", "commendations.Quota": "commendations.Campaign",
    "commendations.ReviewStage": "commendations.Campaign", "commendations.Decision": "commendations.Campaign",
    "commendations.NominationEvent": "commendations.Nomination", "commendations.Review": "commendations.Nomination",
}
# Personal: only their owner reads them (``owned_by``); anyone else, a platform administrator included, gets 404.
PERSONAL = {"core.Job", "activities.CalendarFeed", "notifications.Notification", "notifications.Delivery",
            "notifications.Preference", "notifications.Subscriber"}
# Accounts and roles: managed within the manager's scope by accounts.selectors.manageable_users.
ACCOUNTS = {"accounts.User", "accounts.RoleAssignment"}
# Reference data everyone signed in reads, or figures kept for the scoped counts.
REFERENCE = {"demands.DemandCategory", "demands.DeadlineTier", "demands.Holiday", "organizations.RegionTally"}


def _matrix_models() -> set[str]:
    for app in OURS:
        try:
            importlib.import_module(f"{app}.tests.test_matrix")
        except ModuleNotFoundError:
            continue
    found: set[str] = set()
    pending = list(ScopedModelMatrix.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if getattr(cls, "model", None) is not None:
            found.add(cls.model._meta.label)
    return found


def test_every_model_is_scoped_with_a_matrix_or_says_how_it_is_reached() -> None:
    tested = _matrix_models()
    listed = set(THROUGH_PARENT) | PERSONAL | ACCOUNTS | REFERENCE
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label not in OURS:
            continue
        if getattr(model, "visibility", None) is not None:
            assert label in tested, f"{label} declares its visibility: subclass ScopedModelMatrix for it"
            assert label not in listed, f"{label} is scoped: take it off the lists here"
        else:
            assert label in listed, f"{label}: declare its visibility (and its matrix test) or say here how it is reached"
    for child, parent in THROUGH_PARENT.items():
        assert getattr(apps.get_model(parent), "visibility", None) is not None, f"{child}'s parent must be scoped"


def test_every_app_is_tested_and_type_checked() -> None:
    """An app left out of pytest's testpaths or mypy's files is silently skipped by ``make test``."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    local = {app.label for app in apps.get_app_configs() if Path(app.path).parent == Path(__file__).resolve().parents[2]}
    assert set(OURS) <= local
    assert local - {"api", "demo"} <= set(OURS), "add the new app to OURS above"
    assert local <= set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    assert local <= set(config["tool"]["mypy"]["files"])
