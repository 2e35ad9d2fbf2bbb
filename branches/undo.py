"""What the 撤销 link after 办结, 登记送学, a transfer and a review (乡镇审核, 县级审定) undoes
(core.undo). Each handler loads its rows through core.access, as the step itself did: a user
who could not do the step cannot undo it."""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _

from branches.models import Assessment, Attendance, Membership, Need, Retiree
from branches.services.activities import attendance_catch_up_undo
from branches.services.people import need_reopen, retiree_transfer_undo
from branches.services.recognition import assessment_review_undo
from core import access
from core.formatting import format_cn_date
from core.undo import UndoHandler, register_undo


def _need(user, data) -> Need:
    return access.get_writable(user, Need, action=access.CHANGE, pk=data["need"])


def _absences(user, data):
    """The person's absences named in the undo link, among the roll lines the user may record."""
    access.require(user, access.CHANGE, Attendance)
    rows = access.rows(user, Attendance, access.CHANGE).filter(person_id=data["person"], pk__in=data["attendances"])
    line = rows.select_related("person").first()
    if line is None:
        raise Http404
    return line.person, rows


def _retiree(user, data) -> Retiree:
    """The retiree of an undone transfer, as the transfer page loads it."""
    retirees = Retiree.objects.select_related("person")
    retiree = access.get_writable(user, retirees, action=access.CHANGE, pk=data["retiree"])
    access.require(user, access.ADD, Membership)
    return retiree


def _assessment(user, data) -> Assessment:
    return access.get_writable(user, Assessment, action="review", pk=data["assessment"])


def register() -> None:
    def describe_resolve(user, data):
        return _("把这条需求改回“未办结”：%(need)s") % {"need": _need(user, data)}

    def undo_resolve(user, data):
        need_reopen(need=_need(user, data), version=data["version"], by=user)
        return _("已撤销办结，需求重新打开")

    register_undo("need_resolve", UndoHandler(describe=describe_resolve, undo=undo_resolve))

    def describe_catch_up(user, data):
        person, _rows = _absences(user, data)
        return _("撤销%(date)s为%(name)s登记的送学上门（%(n)s次会议）") % {
            "date": format_cn_date(dt.date.fromisoformat(data["on"])),
            "name": person.name,
            "n": len(data["attendances"]),
        }

    def undo_catch_up(user, data):
        _person, rows = _absences(user, data)
        count = attendance_catch_up_undo(attendances=rows, on=dt.date.fromisoformat(data["on"]), by=user)
        return _("已撤销送学上门登记：%(n)s次会议改回缺席") % {"n": count}

    register_undo("home_study", UndoHandler(describe=describe_catch_up, undo=undo_catch_up))

    def describe_transfer(user, data):
        retiree = _retiree(user, data)
        return _("撤销%(name)s的组织关系转接，转回原支部") % {"name": retiree.person.name}

    def undo_transfer(user, data):
        previous = retiree_transfer_undo(
            retiree=_retiree(user, data), membership_pk=data["membership"], version=data["version"], by=user
        )
        return _("已撤销转接，该同志仍在%(branch)s") % {"branch": previous.branch}

    register_undo("retiree_transfer", UndoHandler(describe=describe_transfer, undo=undo_transfer))

    def describe_review(user, data):
        assessment = _assessment(user, data)
        step = _("乡镇审核") if data["level"] == "town" else _("县级审定")
        return _("撤销对“%(assessment)s”的%(step)s，评分和意见留作草稿") % {"assessment": assessment, "step": step}

    def undo_review(user, data):
        assessment_review_undo(
            assessment=_assessment(user, data),
            level=data["level"],
            before=data["before"],
            version=data["version"],
            by=user,
        )
        return _("已撤销审核，评估回到审核前的状态")

    register_undo("assessment_review", UndoHandler(describe=describe_review, undo=undo_review))
