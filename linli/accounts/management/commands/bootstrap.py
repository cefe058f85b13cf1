"""`linli bootstrap`: the two things only an installer may create, the district root and the first 系统管理员."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from linli.accounts import services
from linli.core.roles import Role
from linli.orgs import services as org_services
from linli.orgs.choices import NodeKind
from linli.orgs.models import OrgNode


class Command(BaseCommand):
    help = (
        "安装后初始化：建立区（组织树根节点）和第一个系统管理员账号。密码交互输入两次，"
        "或由环境变量 LINLI_BOOTSTRAP_PASSWORD 提供；首次登录须修改密码。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, help="区的名称，如 五华区")
        parser.add_argument("--code", default="", help="行政区划代码，如 530102")
        parser.add_argument("--sysadmin", required=True, help="系统管理员用户名")

    def handle(self, *args, **options):
        if OrgNode.objects.filter(parent=None).exists():
            raise CommandError("已经初始化过（组织树已有根节点），未作任何修改。")
        password = os.environ.get("LINLI_BOOTSTRAP_PASSWORD") or self._ask_password()
        try:
            with transaction.atomic():
                district = org_services.node_create(
                    actor=None,
                    parent=None,
                    kind=NodeKind.DISTRICT,
                    name=options["district"],
                    code=options["code"],
                    check_actor=False,
                )
                user = services.user_create(
                    actor=None,
                    username=options["sysadmin"],
                    password=password,
                    display_name="系统管理员",
                    must_change_password=True,
                    check_actor=False,
                )
                services.role_grant(actor=None, user=user, role=Role.SYSADMIN, check_actor=False)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(
            f"已建立「{district.name}」和系统管理员账号「{user.username}」（首次登录须修改密码）。"
            "请用该账号登录，建立区管理员等账号并授权。"
        )

    def _ask_password(self) -> str:
        first = getpass.getpass("系统管理员密码：")
        if first != getpass.getpass("再输入一次："):
            raise CommandError("两次输入的密码不一致，未作任何修改。")
        return first
