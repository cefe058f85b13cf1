"""The home page of each role, with figures computed for the user's scope in a fixed number of queries.

Reads every app through its selectors (RPT-1); each figure links to the records behind it (RPT-3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from linli.core.scope import scope_for
from linli.orgs import selectors as org_selectors
from linli.orgs.models import Household, HouseholdTag
from linli.people import selectors as people_selectors
from linli.people.choices import MemberCategory, MemberStatus
from linli.people.models import Member, Person


@dataclass
class Figure:
    label: str
    value: int
    url: str = ""


@dataclass
class StaffDashboard:
    """What a district, street, community or grid worker sees first: the registry of their scope."""

    scope_names: list[str]
    residents: Figure
    members: Figure
    inservice: Figure
    households: Figure
    members_by_category: list[Figure]
    members_by_status: list[Figure]
    households_by_tag: list[Figure]
    coverage: list[Figure] = field(default_factory=list)
    show_coverage: bool = False


def staff_dashboard(*, user: Any) -> StaffDashboard:
    """Queries: members by category and status (1), residents (1), in-service registrations (1),
    households (1), households per tag (1); with orgs.coverage, the coverage checks (5)."""
    scope = scope_for(user)
    members_url = reverse("people:member_list")
    counts = people_selectors.member_counts(user=user)
    by_category = [
        Figure(label, counts["by_category"][value], f"{members_url}?category={value}")
        for value, label in MemberCategory.choices
    ]
    by_status = [
        Figure(label, counts["by_status"][value], f"{members_url}?status={value}")
        for value, label in MemberStatus.choices
    ]
    households = org_selectors.household_counts(user=user)
    household_url = reverse("orgs:household_list")
    dashboard = StaffDashboard(
        scope_names=[g.node_name for g in scope.grants if g.node_name],
        residents=Figure("居民", people_selectors.resident_count(user=user), reverse("people:person_list")),
        members=Figure("在册党员", counts["total"], members_url),
        inservice=Figure(
            "在职党员报到", people_selectors.inservice_count(user=user), reverse("people:inservice_list")
        ),
        households=Figure("户", households.total, household_url),
        members_by_category=by_category,
        members_by_status=by_status,
        households_by_tag=[
            Figure(tag.name, n, f"{household_url}?tag={tag.pk}") for tag, n in households.by_tag
        ],
    )
    if scope.has_perm("orgs.coverage"):
        coverage_url = reverse("orgs:coverage")
        dashboard.show_coverage = True
        dashboard.coverage = [
            Figure(section.check.label, section.count, f"{coverage_url}#{section.check.key}")
            for section in org_selectors.coverage_report(user=user)
        ]
    return dashboard


@dataclass
class MemberHome:
    member: Member
    profile: people_selectors.MemberProfile


def member_home(*, user: Any) -> MemberHome | None:
    """A member's own registry card: branch, posts, zone, floating and in-service records (7 queries)."""
    member_id = scope_for(user).member_id
    if member_id is None:
        return None
    member = (
        Member.objects.select_related("person__node", "person__household__building", "branch", "work_unit")
        .filter(pk=member_id)
        .first()
    )
    if member is None:
        return None
    return MemberHome(member=member, profile=people_selectors.member_profile(member=member))


@dataclass
class ResidentHome:
    person: Person
    household: Household | None
    housemates: list[Person]
    tags: list[HouseholdTag]


def resident_home(*, user: Any) -> ResidentHome | None:
    """A resident's own household: address, tags, who lives there (4 queries)."""
    scope = scope_for(user)
    if scope.person_id is None or "resident" not in scope.roles:
        return None
    person = (
        Person.objects.select_related("node", "household__building", "household__grid")
        .filter(pk=scope.person_id)
        .first()
    )
    if person is None:
        return None
    profile = people_selectors.person_profile(person=person)
    return ResidentHome(
        person=person, household=person.household, housemates=profile.housemates, tags=profile.tags
    )
