"""Choices used by the core models."""

from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    VIEW_PII = "view_pii", "查看完整个人信息"
    EXPORT = "export", "导出"
    IMPORT = "import", "导入"
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出"
    LOCK = "lock", "账号锁定"
    UNLOCK = "unlock", "账号解锁"
    GRANT = "grant", "授予角色"
    REVOKE = "revoke", "撤销角色"
    TRANSITION = "transition", "流程流转"
    PASSWORD = "password", "修改密码"
    POST = "post", "记账"
