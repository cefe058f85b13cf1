"""Bench case for the audit log, read by the 审计管理员."""

from linli.bench.cases import BenchRequest, bench_case


@bench_case("core:audit_list", kind="list")
def audit_list(data):
    return BenchRequest(data.user("auditor"), "/core/audit/", "审计日志（审计管理员）")
