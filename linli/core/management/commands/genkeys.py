"""`linli genkeys`: print a fresh set of production keys as KEY=value lines (an environment file)."""

import base64
import secrets

from django.core.management.base import BaseCommand


def generate_keys() -> dict[str, str]:
    """Django's secret key, and 32 random bytes each for personal-data encryption and look-up hashes."""
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "LINLI_FIELD_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "LINLI_HASH_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


class Command(BaseCommand):
    help = (
        "生成一组新的生产环境密钥（DJANGO_SECRET_KEY、LINLI_FIELD_KEY、LINLI_HASH_KEY），"
        "每行一个 KEY=value，可直接作为环境变量文件。密钥一经使用不可更换：LINLI_FIELD_KEY "
        "丢失则已加密的身份证号和电话无法解密，LINLI_HASH_KEY 更换则无法按身份证号查找。"
    )

    def handle(self, *args, **options):
        for name, value in generate_keys().items():
            self.stdout.write(f"{name}={value}")
