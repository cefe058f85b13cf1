"""Reads of the person and member registry, each in a fixed number of queries whatever the data size.

Lists return querysets with their joins already chosen (select_related / prefetch) so a page of 50 rows
costs the same as a page of 5; dashboards group by node or category in SQL and never loop per row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from linli.orgs.choices import NEW_ECONOMY_UNIT_TYPES, NodeKind
from linli.orgs.models import Household, HouseholdTag, OrgNode, PartyOrg

from .choices import MemberCategory, MemberStatus, PersonStatus, Position, RecordState
from .models import (
    CadrePosition,
    FloatingContact,
    FloatingRecord,
    InServiceRegistration,
    Member,
    MemberPost,
    Person,
    ResponsibilityZone,
)
from .search import apply_search, name_order


def _today() -> datetime.date:
    return timezone.localdate()


def _birth_bounds(age_min: int | None, age_max: int | None) -> dict[str, datetime.date]:
    """Birth-date limits for an age range on today's date (age_max inclusive)."""
    today = _today()
    bounds: dict[str, datetime.date] = {}
    if age_min is not None:
        bounds["birth_date__lte"] = _years_before(today, age_min)
    if age_max is not None:
        bounds["birth_date__gt"] = _years_before(today, age_max + 1)
    return bounds


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _tagged(tag: HouseholdTag, household_field: str) -> Exists:
    return Exists(
        Household.tags.through.objects.filter(household_id=OuterRef(household_field), householdtag_id=tag.pk)
    )


# ---------------------------------------------------------------------------------------------------
# Residents (persons)


def person_list(
    *,
    user: Any,
    q: str = "",
    node: OrgNode | None = None,
    household: Household | None = None,
    gender: str = "",
    age_min: int | None = None,
    age_max: int | None = None,
    tag: HouseholdTag | None = None,
    status: str = PersonStatus.ACTIVE,
    is_member: bool | None = None,
) -> QuerySet[Person]:
    """Persons the user may see, filtered and searched; each row carries its node, household and member."""
    persons = (
        Person.objects.visible_to(user, "people.view")
        .select_related("node", "household__building", "member")
        .order_by(*name_order(q))
    )
    if node is not None:
        persons = persons.filter(node__path__startswith=node.path)
    if household is not None:
        persons = persons.filter(household=household)
    if gender:
        persons = persons.filter(gender=gender)
    bounds = _birth_bounds(age_min, age_max)
    if bounds:
        persons = persons.filter(**bounds)
    if tag is not None:
        persons = persons.filter(_tagged(tag, "household_id"))
    if status:
        persons = persons.filter(status=status)
    if is_member is not None:
        persons = persons.filter(member__isnull=not is_member)
    return apply_search(persons, q)


@dataclass
class PersonProfile:
    person: Person
    housemates: list[Person]
    positions: list[CadrePosition]
    tags: list[HouseholdTag]


def person_profile(*, person: Person) -> PersonProfile:
    """Who else lives in the household, the person's cadre positions and the household's tags (3 queries)."""
    housemates: list[Person] = []
    tags: list[HouseholdTag] = []
    if person.household_id:
        housemates = list(
            Person.objects.filter(household_id=person.household_id, status=PersonStatus.ACTIVE)
            .exclude(pk=person.pk)
            .order_by("id")
        )
        tags = list(HouseholdTag.objects.filter(households=person.household_id).order_by("sort_order", "id"))
    positions = list(
        CadrePosition.objects.filter(person=person).select_related("node").order_by("-start_date", "id")
    )
    return PersonProfile(person=person, housemates=housemates, positions=positions, tags=tags)


# ---------------------------------------------------------------------------------------------------
# Party members


def member_list(
    *,
    user: Any,
    q: str = "",
    node: OrgNode | None = None,
    branch: PartyOrg | None = None,
    category: str = "",
    status: str = "",
    record_state: str = RecordState.ACTIVE,
    gender: str = "",
    age_min: int | None = None,
    age_max: int | None = None,
    tag: HouseholdTag | None = None,
) -> QuerySet[Member]:
    """Members the user may see, filtered and searched; rows carry person, residence node, branch, work unit.

    `node` matches members whose branch sits in the node's subtree or who live there.
    """
    members = (
        Member.objects.visible_to(user, "people.view")
        .select_related("person__node", "branch", "work_unit")
        .order_by(*name_order(q, person="person__"))
    )
    if node is not None:
        members = members.filter(
            Q(branch__node__path__startswith=node.path) | Q(person__node__path__startswith=node.path)
        )
    if branch is not None:
        members = members.filter(branch=branch)
    if category:
        members = members.filter(category=category)
    if status:
        members = members.filter(status=status)
    if record_state:
        members = members.filter(record_state=record_state)
    if gender:
        members = members.filter(person__gender=gender)
    bounds = _birth_bounds(age_min, age_max)
    if bounds:
        members = members.filter(**{f"person__{k}": v for k, v in bounds.items()})
    if tag is not None:
        members = members.filter(_tagged(tag, "person__household_id"))
    return apply_search(members, q, person="person__")


@dataclass
class MemberProfile:
    member: Member
    floating: list[FloatingRecord]
    registrations: list[InServiceRegistration]
    posts: list[MemberPost]
    zones: list[ResponsibilityZone]
    positions: list[CadrePosition]
    cards: list[tuple[str, str]]


def member_profile(*, member: Member) -> MemberProfile:
    """Everything the registry holds about a member: floating records with contacts, in-service registrations,
    posts, responsibility zones (with buildings and key households), cadre positions (8 queries)."""
    floating = list(
        member.floating_records.order_by("-since", "-id").prefetch_related(
            Prefetch("contacts", queryset=FloatingContact.objects.order_by("-contacted_on", "-id"))
        )
    )
    registrations = list(
        member.inservice_registrations.select_related("community").order_by("-registered_on")
    )
    posts = list(member.posts.select_related("node").order_by("-start_date", "id"))
    zones = list(
        member.responsibility_zones.select_related("node")
        .prefetch_related(
            "buildings", Prefetch("key_households", queryset=Household.objects.select_related("building"))
        )
        .order_by("-is_active", "id")
    )
    positions = list(
        CadrePosition.objects.filter(person_id=member.person_id)
        .select_related("node")
        .order_by("-start_date")
    )
    cards = [(kind, CARD_KINDS[kind]) for kind in CARD_KINDS if _member_fits_card(member, kind, floating)]
    return MemberProfile(member, floating, registrations, posts, zones, positions, cards)


def member_counts(*, user: Any) -> dict[str, Any]:
    """Members in register in the user's node scope by category and by status, in one query.

    Counted by the branch holding the organisation relation; in-service members registered at a
    community are counted by `inservice_count`.
    """
    nodes = OrgNode.objects.visible_to(user, "people.view").values("pk")
    rows = (
        Member.objects.filter(branch__node__in=nodes, record_state=RecordState.ACTIVE)
        .values("category", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_category = dict.fromkeys(MemberCategory.values, 0)
    by_status = dict.fromkeys(MemberStatus.values, 0)
    for row in rows:
        by_category[row["category"]] += row["n"]
        by_status[row["status"]] += row["n"]
    return {"total": sum(by_status.values()), "by_category": by_category, "by_status": by_status}


def resident_count(*, user: Any) -> int:
    """Residents in register in the user's node scope (one count on the (node, status) index)."""
    nodes = OrgNode.objects.visible_to(user, "people.view").values("pk")
    return Person.objects.filter(node__in=nodes, status=PersonStatus.ACTIVE, is_resident=True).count()


def inservice_count(*, user: Any) -> int:
    nodes = OrgNode.objects.visible_to(user, "people.view").values("pk")
    return InServiceRegistration.objects.filter(community__in=nodes, is_active=True).count()


# ---------------------------------------------------------------------------------------------------
# Quick search: members and residents together


@dataclass
class SearchHit:
    name: str
    url: str
    is_member: bool
    place: str
    id_number_masked: str
    phone_masked: str
    detail: str = ""


def quick_search(*, user: Any, q: str, limit: int = 10) -> list[SearchHit]:
    """Members and residents matching a search box, members first; two queries whatever is found.

    Persons come through the person door; members also through the member door, which reaches
    in-service members registered at the user's community though they live elsewhere.
    """
    if not (q or "").strip():
        return []
    members = list(
        apply_search(
            Member.objects.visible_to(user, "people.view").select_related("person__node", "branch"),
            q,
            person="person__",
        ).order_by(*name_order(q, person="person__"))[:limit]
    )
    persons = list(
        apply_search(
            Person.objects.visible_to(user, "people.view").select_related("node", "member"), q
        ).order_by(*name_order(q))[:limit]
    )
    hits: list[SearchHit] = []
    seen: set[int] = set()
    for member in members:
        person = member.person
        seen.add(person.pk)
        hits.append(
            SearchHit(
                name=person.name,
                url=reverse("people:member_detail", args=[member.pk]),
                is_member=True,
                place=person.node.name,
                id_number_masked=person.id_number_masked,
                phone_masked=person.phone_masked,
                detail=f"{member.get_status_display()} · {member.branch.name}",
            )
        )
    for person in persons:
        if person.pk in seen:
            continue
        hits.append(
            SearchHit(
                name=person.name,
                url=reverse("people:person_detail", args=[person.pk]),
                is_member=False,
                place=person.node.name,
                id_number_masked=person.id_number_masked,
                phone_masked=person.phone_masked,
                detail="居民",
            )
        )
    return hits[:limit]


# ---------------------------------------------------------------------------------------------------
# In-service members (PPL-3), floating members (PPL-4), zones and posts (PPL-5)


def inservice_list(
    *, user: Any, q: str = "", community: OrgNode | None = None, is_active: bool | None = True
) -> QuerySet[InServiceRegistration]:
    rows = (
        InServiceRegistration.objects.visible_to(user, "people.view")
        .select_related("member__person", "member__branch", "member__work_unit", "community")
        .order_by("community__path", "-registered_on", "id")
    )
    if community is not None:
        rows = rows.filter(community__path__startswith=community.path)
    if is_active is not None:
        rows = rows.filter(is_active=is_active)
    return apply_search(rows, q, person="member__person__")


def floating_list(
    *,
    user: Any,
    q: str = "",
    node: OrgNode | None = None,
    direction: str = "",
    is_active: bool | None = True,
    stale_days: int | None = None,
) -> QuerySet[FloatingRecord]:
    """Floating records; `stale_days` keeps those not contacted for that many days (or never)."""
    rows = (
        FloatingRecord.objects.visible_to(user, "people.view")
        .select_related("member__person", "member__branch__node")
        .annotate(
            contact_count=Count("contacts"),
            thought_report_count=Count("contacts", filter=Q(contacts__is_thought_report=True)),
        )
        .order_by("-since", "id")
    )
    if node is not None:
        rows = rows.filter(member__branch__node__path__startswith=node.path)
    if direction:
        rows = rows.filter(direction=direction)
    if is_active is not None:
        rows = rows.filter(is_active=is_active)
    if stale_days is not None:
        limit = _today() - datetime.timedelta(days=stale_days)
        rows = rows.filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=limit))
    return apply_search(rows, q, person="member__person__")


def zone_list(
    *, user: Any, node: OrgNode | None = None, is_active: bool | None = True
) -> QuerySet[ResponsibilityZone]:
    rows = (
        ResponsibilityZone.objects.visible_to(user, "people.view")
        .select_related("node", "member__person")
        .prefetch_related(
            "buildings", Prefetch("key_households", queryset=Household.objects.select_related("building"))
        )
        .order_by("node__path", "id")
    )
    if node is not None:
        rows = rows.filter(node__path__startswith=node.path)
    if is_active is not None:
        rows = rows.filter(is_active=is_active)
    return rows


def post_list(
    *, user: Any, node: OrgNode | None = None, kind: str = "", current: bool = True
) -> QuerySet[MemberPost]:
    rows = (
        MemberPost.objects.visible_to(user, "people.view")
        .select_related("node", "member__person")
        .order_by("node__path", "kind", "id")
    )
    if node is not None:
        rows = rows.filter(node__path__startswith=node.path)
    if kind:
        rows = rows.filter(kind=kind)
    if current:
        today = _today()
        rows = rows.filter(Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today)
    return rows


# ---------------------------------------------------------------------------------------------------
# Cadres (PPL-6)

POSITION_ORDER = {value: index for index, value in enumerate(Position.values)}


def reserve_target() -> tuple[int, int]:
    return settings.LINLI_RESERVE_CADRES_MIN, settings.LINLI_RESERVE_CADRES_MAX


@dataclass
class CommunityCadres:
    """A community's leading cadres at a glance: 一肩挑, reserve cadres against the target, monthly subsidies."""

    community: OrgNode
    street: str = ""
    secretaries: list[Person] = field(default_factory=list)
    directors: list[Person] = field(default_factory=list)
    reserve_count: int = 0
    cadre_count: int = 0
    subsidy_total: Decimal = Decimal("0")

    @property
    def is_dual_role(self) -> bool:
        """一肩挑: the same person is current 书记 and 居委会主任 of the community."""
        return bool({p.pk for p in self.secretaries} & {p.pk for p in self.directors})

    @property
    def reserve_status(self) -> str:
        low, high = reserve_target()
        if self.reserve_count < low:
            return "low"
        if self.reserve_count > high:
            return "high"
        return "ok"


def cadre_overview(*, user: Any) -> list[CommunityCadres]:
    """Every community the user reaches, with its secretary, director, 一肩挑, reserve count and subsidies.

    Queries: communities with their street (1), current positions in those communities (1), the
    secretaries and directors (1).
    """
    communities = list(
        OrgNode.objects.visible_to(user, "people.view")
        .filter(kind=NodeKind.COMMUNITY, is_active=True)
        .select_related("parent")
        .order_by("path")
    )
    if not communities:
        return []
    rows = {c.pk: CommunityCadres(community=c, street=c.parent.name if c.parent else "") for c in communities}
    by_path = {c.path: c.pk for c in communities}
    # Bare columns for the counts and sums (a district holds thousands of positions); the people are
    # read only for the secretaries and directors the page names.
    positions = (
        CadrePosition.objects.current(_today())
        .filter(_under_any([c.path for c in communities]))
        .values_list(
            "node_id", "node__path", "position", "monthly_subsidy", "qualification_allowance", "person_id"
        )
    )
    leaders: list[tuple[list, int]] = []
    for node_id, node_path, position, subsidy, allowance, person_id in positions:
        community_id = _community_of(node_path, by_path)
        if community_id is None:
            continue
        row = rows[community_id]
        row.cadre_count += 1
        row.subsidy_total += (subsidy or 0) + (allowance or 0)
        if node_id != community_id:
            continue
        if position == Position.SECRETARY:
            leaders.append((row.secretaries, person_id))
        elif position == Position.DIRECTOR:
            leaders.append((row.directors, person_id))
        elif position == Position.RESERVE:
            row.reserve_count += 1
    persons = Person.objects.in_bulk({person_id for _, person_id in leaders})
    for names, person_id in leaders:
        names.append(persons[person_id])
    return list(rows.values())


def _under_any(paths: list[str]) -> Q:
    q = Q()
    for path in _collapse(paths):
        q |= Q(node__path__startswith=path)
    return q


def _collapse(paths: list[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def _community_of(path: str, by_path: dict[str, int]) -> int | None:
    parts = path.strip("/").split("/")
    for i in range(len(parts), 0, -1):
        prefix = "/" + "/".join(parts[:i]) + "/"
        if prefix in by_path:
            return by_path[prefix]
    return None


@dataclass
class CadreRoster:
    community: OrgNode
    summary: CommunityCadres
    current: list[CadrePosition]
    past: list[CadrePosition]


def cadre_roster(*, user: Any, community: OrgNode) -> CadreRoster:
    """The cadres of one community (its own node and everything under it): current, then past terms (1 query)."""
    today = _today()
    positions = list(
        CadrePosition.objects.visible_to(user, "people.view")
        .filter(node__path__startswith=community.path)
        .select_related("person", "node")
    )
    current = [p for p in positions if p.start_date <= today and (p.end_date is None or p.end_date >= today)]
    past = [p for p in positions if p not in current]
    current.sort(key=lambda p: (p.node.path != community.path, p.node.path, POSITION_ORDER[p.position], p.pk))
    past.sort(key=lambda p: (p.end_date or today, p.pk), reverse=True)
    summary = CommunityCadres(community=community)
    for p in current:
        summary.cadre_count += 1
        summary.subsidy_total += (p.monthly_subsidy or 0) + (p.qualification_allowance or 0)
        if p.node_id == community.pk:
            if p.position == Position.SECRETARY:
                summary.secretaries.append(p.person)
            elif p.position == Position.DIRECTOR:
                summary.directors.append(p.person)
            elif p.position == Position.RESERVE:
                summary.reserve_count += 1
    return CadreRoster(community=community, summary=summary, current=current, past=past)


def cadre_list(
    *, user: Any, node: OrgNode | None = None, position: str = "", current: bool = True
) -> QuerySet[CadrePosition]:
    rows = (
        CadrePosition.objects.visible_to(user, "people.view")
        .select_related("person", "node")
        .order_by("node__path", "position", "id")
    )
    if node is not None:
        rows = rows.filter(node__path__startswith=node.path)
    if position:
        rows = rows.filter(position=position)
    if current:
        rows = rows.current(_today())
    return rows


# ---------------------------------------------------------------------------------------------------
# The five cards of seed 002: views of the registry, not separate paper (PPL-4)

CARD_KINDS = {
    "floating_contact": "流动党员联系卡",
    "floating_activity": "流动党员活动记录卡",
    "retired": "离退休党员管理卡",
    "unemployed": "下岗党员登记卡",
    "new_economy": "两新组织党员联系卡",
}


def _member_fits_card(member: Member, kind: str, floating: list[FloatingRecord]) -> bool:
    if kind in ("floating_contact", "floating_activity"):
        return bool(floating) or member.category == MemberCategory.FLOATING
    if kind == "retired":
        return member.category == MemberCategory.RETIRED
    if kind == "unemployed":
        return member.category == MemberCategory.UNEMPLOYED
    if kind == "new_economy":
        return member.category == MemberCategory.NEW_ECONOMY or (
            member.work_unit is not None and member.work_unit.unit_type in NEW_ECONOMY_UNIT_TYPES
        )
    return False


def _card_q(kind: str) -> Q:
    if kind in ("floating_contact", "floating_activity"):
        return Q(Exists(FloatingRecord.objects.filter(member_id=OuterRef("pk")))) | Q(
            category=MemberCategory.FLOATING
        )
    if kind == "retired":
        return Q(category=MemberCategory.RETIRED)
    if kind == "unemployed":
        return Q(category=MemberCategory.UNEMPLOYED)
    if kind == "new_economy":
        return Q(category=MemberCategory.NEW_ECONOMY) | Q(
            work_unit__unit_type__in=list(NEW_ECONOMY_UNIT_TYPES)
        )
    raise ValueError(kind)


def card_members(
    *, user: Any, kind: str, community: OrgNode | None = None, member_id: int | None = None
) -> list[Member]:
    """Members for whom card `kind` applies, with what the card prints already loaded (6 queries).

    A batch is the community's members in register; a single card is one member (`member_id`).
    """
    members = (
        Member.objects.visible_to(user, "people.view")
        .filter(_card_q(kind))
        .select_related("person__node", "person__household__building", "branch", "work_unit")
        .prefetch_related(
            Prefetch(
                "floating_records",
                queryset=FloatingRecord.objects.order_by("-since", "-id").prefetch_related(
                    Prefetch("contacts", queryset=FloatingContact.objects.order_by("contacted_on", "id"))
                ),
            ),
            Prefetch(
                "inservice_registrations",
                queryset=InServiceRegistration.objects.filter(is_active=True).select_related("community"),
            ),
            Prefetch("posts", queryset=MemberPost.objects.order_by("-start_date")),
            Prefetch(
                "responsibility_zones",
                queryset=ResponsibilityZone.objects.filter(is_active=True).prefetch_related("buildings"),
            ),
        )
        .order_by("person__name_pinyin", "id")
    )
    if member_id is not None:
        members = members.filter(pk=member_id)
    else:
        members = members.filter(record_state=RecordState.ACTIVE)
    if community is not None:
        members = members.filter(
            Q(branch__node__path__startswith=community.path)
            | Q(person__node__path__startswith=community.path)
        )
    return list(members)
