"""Core permissions: reading the audit log (审计管理员 only) and editing the working-day calendar."""

from .roles import Role, register_permissions

register_permissions(
    {
        "core.view_audit": ("查看审计日志", {Role.AUDITOR}),
        "core.edit_calendar": ("维护工作日历", {Role.DISTRICT_ADMIN}),
    }
)
