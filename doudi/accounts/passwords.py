"""Password rules beyond Django's own (settings.AUTH_PASSWORD_VALIDATORS, issue 16 item 6)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError


class ContainsUserNameValidator:
    """A password may not contain the user name, nor the name with digits only around it
    (``btsh123456`` for btsh): Django's similarity check lets such a long tail through."""

    def validate(self, password: str, user=None) -> None:  # noqa: ANN001
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) < 3:
            return
        p = (password or "").lower()
        bare = re.sub(r"[\d\W_]+", "", p)
        if username in p or bare == re.sub(r"[\d\W_]+", "", username):
            raise ValidationError("密码不能包含用户名", code="password_contains_username")

    def get_help_text(self) -> str:
        return "密码不能包含用户名。"
