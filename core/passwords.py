"""Password rules (AUTH_PASSWORD_VALIDATORS) beyond Django's own, with Chinese messages.

Django's validators keep the length (12, ASVS 2.1.1), the common-password list and
the similarity to the user's name; these add: three of four kinds of character, never
the username inside, and none of the last `PASSWORD_HISTORY_COUNT` passwords again.
`PasswordHistoryValidator.password_changed` is called by Django whenever a password is
saved (`AbstractBaseUser.save`), so it also stamps `password_changed_at`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import password_validation as django_validators
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Django's own rules, with messages in Chinese (Django's zh-Hans catalogue lacks them).


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self):
        return _("密码太短，至少需要%(min_length)d个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("至少%(min_length)d个字符。") % {"min_length": self.min_length}


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def get_error_message(self):
        return _("这个密码太常见，容易被猜中，请换一个。")

    def get_help_text(self):
        return _("不能是常见密码。")


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("密码与您的%(verbose_name)s太相似。")

    def get_help_text(self):
        return _("不能与您的用户名、姓名或邮箱相似。")


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self):
        return _("密码不能全是数字。")

    def get_help_text(self):
        return _("不能全是数字。")


CHARACTER_CLASSES = (str.isupper, str.islower, str.isdigit, lambda c: not c.isalnum())


class CharacterClassesValidator:
    """At least `min_classes` of: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(any(test(char) for char in password) for test in CHARACTER_CLASSES)
        if present < self.min_classes:
            raise ValidationError(
                _("密码须至少包含大写字母、小写字母、数字、符号中的%(count)s种。"),
                code="password_too_simple",
                params={"count": self.min_classes},
            )

    def get_help_text(self):
        return _("至少包含大写字母、小写字母、数字、符号中的%(count)s种。") % {"count": self.min_classes}


class UsernameNotContainedValidator:
    """The username may not appear in the password (in any case)."""

    def validate(self, password, user=None):
        username = (user.get_username() if user is not None else "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            raise ValidationError(_("密码中不能包含用户名。"), code="password_contains_username")

    def get_help_text(self):
        return _("不能包含用户名。")


class PasswordHistoryValidator:
    """Not one of the user's last `count` passwords; keeps their hashes when one is saved."""

    def __init__(self, count: int | None = None):
        self.count = count or settings.PASSWORD_HISTORY_COUNT

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        recent = list(user.password_history.values_list("password", flat=True)[: self.count])
        if user.password:
            recent.append(user.password)
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(
                _("不能使用最近%(count)s次用过的密码。"), code="password_reused", params={"count": self.count}
            )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        from core.models import PasswordHistory, User  # the models import nothing from here

        now = timezone.now()
        PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
        keep = user.password_history.values_list("pk", flat=True)[: self.count]
        user.password_history.exclude(pk__in=list(keep)).delete()
        User.objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now

    def get_help_text(self):
        return _("不能与最近%(count)s次用过的密码相同。") % {"count": self.count}
