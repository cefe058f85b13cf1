"""Password policy (NFR-3): at least three of upper case, lower case, digits and symbols."""

import re

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    def validate(self, password: str, user=None) -> None:
        classes = sum(
            bool(re.search(pattern, password)) for pattern in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]")
        )
        if classes < 3:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少三类。", code="password_classes"
            )

    def get_help_text(self) -> str:
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类。"
