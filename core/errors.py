"""Error pages in Chinese, in the site's layout, with a way back home (templates/4xx.html, 500.html).

403 and 404 are Django's own views with our templates. The 500 page and the CSRF failure page
render without context processors: whatever failed (the database, a context processor) must not
fail again while the error is shown.
"""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


def _plain(title: str) -> str:
    return f'<!doctype html><meta charset="utf-8"><title>{title}</title><h1>{title}</h1><p><a href="/">返回首页</a></p>'


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: the page from the template alone (no request context); plain HTML if even that fails."""
    try:
        body = loader.get_template(template_name).render()
    except Exception:  # the error page must not raise: whatever broke the request may break it too
        logger.exception("the 500 page could not be rendered")
        body = _plain("系统出了点问题")
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: an expired or foreign form, said in plain words (the reason goes to the log)."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    try:
        body = loader.get_template("403_csrf.html").render()
    except Exception:
        logger.exception("the CSRF failure page could not be rendered")
        body = _plain(_("页面已过期，请重新提交"))
    return HttpResponseForbidden(body)
