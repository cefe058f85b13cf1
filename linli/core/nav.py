"""Menu entries of the core app."""

from .navigation import NavItem, register

register(
    NavItem("审计日志", "core:audit_list", "core.view_audit", icon="journal-text", group="系统", order=900),
)
