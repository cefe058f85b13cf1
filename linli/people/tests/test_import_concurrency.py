"""On PostgreSQL: two managers committing the same batch at the same moment import it exactly once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from linli.people import importing
from linli.people.choices import ImportStatus
from linli.people.models import ImportBatch, Person
from linli.people.tests.rosters import RESIDENT_HEADER, resident_rows, workbook_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_batch_committed_twice_at_once_is_imported_once(world):
    batch = importing.resident_roster_import_preview(
        actor=world.community_admin_a,
        node=world.community_a,
        upload=workbook_bytes(RESIDENT_HEADER, resident_rows(30, grid="复兴一网格", region="110101")),
    )
    persons = Person.objects.count()
    outcomes, refusals = [], []
    barrier = threading.Barrier(2)

    def commit(actor):
        close_old_connections()
        try:
            barrier.wait()
            outcomes.append(importing.import_batch_commit(actor=actor, batch=batch))
        except ValidationError as error:
            refusals.append(error.messages)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=commit, args=(a,)) for a in (world.community_admin_a, world.street_admin)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [o.imported for o in outcomes] == [30]
    assert refusals == [["该批次已经导入，不能重复导入。"]]
    assert Person.objects.count() == persons + 30
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.COMMITTED
