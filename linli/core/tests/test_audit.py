"""The audit log is append-only, in the application and in the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from linli.core.audit import audit_record
from linli.core.choices import AuditAction
from linli.core.context import RequestMeta, reset_request_meta, set_request_meta
from linli.core.models import AppendOnlyError, AuditEntry


def test_entry_records_where_the_request_came_from(db):
    token = set_request_meta(RequestMeta(ip="10.1.2.3", user_agent="测试浏览器"))
    try:
        entry = audit_record(actor=None, action=AuditAction.EXPORT, target_type="people.person", note="导出")
    finally:
        reset_request_meta(token)
    assert (entry.ip, entry.user_agent, entry.actor_name) == ("10.1.2.3", "测试浏览器", "系统")


def test_entries_cannot_be_changed_or_deleted_through_the_application(db):
    entry = audit_record(actor=None, action=AuditAction.EXPORT)
    entry.note = "篡改"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="篡改")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_database_refuses_update_by_raw_sql(db):
    entry = audit_record(actor=None, action=AuditAction.EXPORT)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET note = 'x' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).note == ""
