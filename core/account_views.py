"""The user's own account: changing the password, keeping an idle session alive."""

import time

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, JsonResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import audit
from core.models import AuditEntry
from core.security import SESSION_SEEN, must_change_password, password_expired


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any user changes their own password; those who must (first login, expired) are sent here."""

    form_class = PasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("core:home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["title"] = gettext_lazy("修改密码")
        if user.must_change_password:
            context["reason"] = _("这是管理员为您设置的密码，请先设置一个只有您自己知道的新密码，再继续使用。")
        elif password_expired(user):
            context["reason"] = _("系统管理员的密码须定期更换，您的密码已到期，请设置新密码。")
        return context

    def form_valid(self, form):
        response = super().form_valid(form)  # saves, keeps the session (update_session_auth_hash)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        audit.record(self.request, AuditEntry.Kind.PASSWORD_CHANGE, user=user)
        messages.success(self.request, _("密码已修改。"))
        return response


@require_POST
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """The 继续使用 button of the idle warning: the session counts as used now."""
    request.session[SESSION_SEEN] = int(time.time())
    return JsonResponse({"ok": True, "must_change_password": must_change_password(request.user)})
