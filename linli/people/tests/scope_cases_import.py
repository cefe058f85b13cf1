"""Scope cases for the roster import pages (PPL-7): managers of the batch's scope may; grid workers may not."""

import io

from linli.people import importing
from linli.people.models import ImportBatch, Person
from linli.people.tests import rosters
from linli.testing.scope import ScopeCase, scope_case

MANAGERS_OF_A = ["community_admin_a", "street_admin", "district_admin"]
OUTSIDERS_OF_A = ["community_admin_b", "community_admin_a2"]


class _Upload(io.BytesIO):
    """A file the test client can send more than once (it reads uploads to the end)."""

    name = "居民花名册.xlsx"

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def _roster() -> io.BytesIO:
    return rosters.workbook_bytes(
        rosters.RESIDENT_HEADER, rosters.resident_rows(3, grid="复兴一网格", seed=7)
    )


def _draft(world) -> ImportBatch:
    return importing.resident_roster_import_preview(
        actor=world.community_admin_a, node=world.community_a, upload=_roster()
    )


def _batch_state(batch: ImportBatch):
    def state(world):
        return Person.objects.count(), ImportBatch.objects.get(pk=batch.pk).status

    return state


@scope_case("people:import_upload")
def import_upload(world):
    return [
        ScopeCase(
            "/people/import/",
            may=MANAGERS_OF_A,
            lesser=["grid_worker_a1"],
            outsiders=["member_user_a", "resident_a1"],
            outsider_status=(403,),
        ),
        ScopeCase(
            "/people/import/",
            method="post",
            data={"kind": "resident", "node": world.community_a.pk, "file": _Upload(_roster().getvalue())},
            may=["community_admin_a"],
            success=(302,),
            lesser=["grid_worker_a1"],
            outsiders=OUTSIDERS_OF_A,
            state=lambda w: ImportBatch.objects.count(),
        ),
    ]


@scope_case("people:import_history")
def import_history(world):
    return ScopeCase(
        "/people/import/history/",
        may=MANAGERS_OF_A,
        lesser=["grid_worker_a1"],
        outsiders=["member_user_a"],
        outsider_status=(403,),
    )


@scope_case("people:import_template")
def import_template(world):
    return [
        ScopeCase(
            "/people/import/template/member/",
            may=MANAGERS_OF_A,
            lesser=["grid_worker_a1"],
            outsiders=["member_user_a"],
            outsider_status=(403,),
        ),
        ScopeCase(
            f"/people/import/template/resident/?node={world.community_b.pk}",
            may=["community_admin_b", "district_admin"],
            lesser=["grid_worker_a1"],
            outsiders=["community_admin_a", "street_admin"],
        ),
    ]


@scope_case("people:import_preview")
def import_preview(world):
    batch = _draft(world)
    return ScopeCase(
        f"/people/import/{batch.pk}/",
        may=MANAGERS_OF_A,
        lesser=["grid_worker_a1"],
        outsiders=OUTSIDERS_OF_A,
    )


@scope_case("people:import_errors")
def import_errors(world):
    batch = _draft(world)
    return ScopeCase(
        f"/people/import/{batch.pk}/errors/",
        may=MANAGERS_OF_A,
        lesser=["grid_worker_a1"],
        outsiders=OUTSIDERS_OF_A,
    )


@scope_case("people:import_commit")
def import_commit(world):
    batch = _draft(world)
    return ScopeCase(
        f"/people/import/{batch.pk}/commit/",
        method="post",
        may=["community_admin_a"],
        lesser=["grid_worker_a1"],
        outsiders=OUTSIDERS_OF_A,
        state=_batch_state(batch),
    )


@scope_case("people:import_discard")
def import_discard(world):
    batch = _draft(world)
    return ScopeCase(
        f"/people/import/{batch.pk}/discard/",
        method="post",
        may=["community_admin_a"],
        lesser=["grid_worker_a1"],
        outsiders=OUTSIDERS_OF_A,
        state=_batch_state(batch),
    )
