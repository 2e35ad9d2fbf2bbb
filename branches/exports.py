"""The columns each list of the branches app exports (`?export=xlsx`, core.exports).

One declaration per list; a column is a header and an ORM path on the list's
rows (annotations the list adds may be named too). `personal=True` columns name
or describe a person: leaders' exports leave them out.
"""

from django.utils.translation import gettext_lazy as _

from core.exports import ExportColumn as C

BRANCH = (
    C(_("支部名称"), "name"),
    C(_("支部类型"), "kind"),
    C(_("上级党总支"), "parent__name"),
    C(_("依托单位"), "host_unit"),
    C(_("所在区划"), "region__name"),
    C(_("区划代码"), "region__code", kind="text"),
    C(_("所属片组"), "cluster__name"),
    C(_("成立日期"), "founded_on"),
    C(_("党员人数"), "party_member_count"),
    C(_("在册人数"), "member_count"),
)

CLUSTER = (
    C(_("片组名称"), "name"),
    C(_("所属区划"), "region__name"),
    C(_("片组长单位"), "leading_unit"),
    C(_("副片组长单位"), "deputy_unit"),
    C(_("支部数"), "branch_count"),
    C(_("在册人数"), "member_count"),
)

VENUE = (
    C(_("名称"), "name"),
    C(_("类型"), "kind"),
    C(_("所在区划"), "region__name"),
    C(_("地址"), "address"),
    C(_("面积（平方米）"), "area_m2"),
    C(_("产权或提供单位"), "owner"),
)

COMMITTEE = (
    C(_("名称"), "name"),
    C(_("层级"), "level"),
    C(_("所在区划"), "region__name"),
    C(_("上级关工委"), "parent__name"),
    C(_("共建党支部"), "branch__name"),
    C(_("依托单位"), "host_unit"),
    C(_("成立日期"), "founded_on"),
    C(_("五好基层关工委创建"), "five_good_status"),
    C(_("一肩挑"), "one_shoulder"),
)

WORK_COMMITTEE = (
    C(_("名称"), "name"),
    C(_("所属县（区）"), "region__name"),
    C(_("每名委员每年到点指导次数"), "required_visits_per_year"),
)

GUIDANCE_VISIT = (
    C(_("指导日期"), "visited_on"),
    C(_("党工委委员"), "member__person__name", personal=True),
    C(_("支部"), "branch__name"),
    C(_("检查内容"), "checked"),
    C(_("发现问题与指导意见"), "findings"),
)

RETIREE = (
    C(_("姓名"), "person__name", personal=True),
    C(_("身份证号"), "person__id_number", kind="id_number"),
    C(_("性别"), "person__gender", personal=True),
    C(_("出生日期"), "person__birth_date", personal=True),
    C(_("联系电话"), "person__mobile", kind="text", personal=True),
    C(_("所在支部"), "branch__name"),
    C(_("离休/退休"), "status"),
    C(_("原工作单位"), "former_unit"),
    C(_("原职务"), "former_post"),
    C(_("离退休日期"), "retired_on"),
    C(_("中共党员"), "is_party_member"),
    C(_("入党日期"), "joined_party_on", personal=True),
    C(_("行动不便"), "limited_mobility", personal=True),
    C(_("独居"), "lives_alone", personal=True),
    C(_("生活困难"), "in_hardship", personal=True),
    C(_("专长"), "skills"),
)

CARE_PAIR = (
    C(_("帮扶干部"), "cadre__name", personal=True),
    C(_("帮扶对象"), "retiree__person__name", personal=True),
    C(_("所在支部"), "retiree__branch__name"),
    C(_("结对日期"), "started_on"),
    C(_("结束日期"), "ended_on"),
    C(_("帮扶重点"), "note", personal=True),
)

HARDSHIP_PAYMENT = (
    C(_("发放日期"), "paid_on"),
    C(_("帮扶对象"), "retiree__person__name", personal=True),
    C(_("金额（元）"), "amount"),
    C(_("领取人"), "payee", personal=True),
    C(_("资金名称"), "fund"),
    C(_("备注"), "note", personal=True),
)

NEED = (
    C(_("受理日期"), "received_on"),
    C(_("支部"), "branch__name"),
    C(_("提出人"), "retiree__person__name", personal=True),
    C(_("需求内容"), "content", personal=True),
    C(_("承办人"), "handler"),
    C(_("办结日期"), "resolved_on"),
    C(_("办理结果"), "outcome", personal=True),
)

ACTIVITY = (
    C(_("活动日期"), "held_on"),
    C(_("支部"), "branch__name"),
    C(_("活动类型"), "kind"),
    C(_("主题"), "topic"),
    C(_("地点"), "place"),
    C(_("线上会议"), "is_online"),
    C(_("主讲人或主持人"), "speaker", personal=True),
    C(_("出席人数"), "present_count"),
    C(_("缺席人数"), "absent_count"),
    C(_("支部以外参与人数"), "people_reached"),
)

COMPLIANCE_RULE = (
    C(_("县（区）"), "region__name"),
    C(_("支部类型"), "branch_kind"),
    C(_("活动类型"), "activity_kind"),
    C(_("周期"), "period"),
    C(_("每周期至少次数"), "times"),
)

HONOUR = (
    C(_("荣誉名称"), "title"),
    C(_("级别"), "level"),
    C(_("授予单位"), "awarded_by"),
    C(_("授予日期"), "awarded_on"),
    C(_("日期准确到"), "awarded_precision"),
    C(_("支部"), "branch__name"),
    C(_("关工委"), "committee__name"),
    C(_("个人"), "person__name", personal=True),
)

ASSESSMENT_SCHEME = (
    C(_("名称"), "name"),
    C(_("评估对象"), "target"),
    C(_("适用县（区）"), "region__name"),
)

ASSESSMENT = (
    C(_("年度"), "year"),
    C(_("评估标准"), "scheme__name"),
    C(_("支部"), "branch__name"),
    C(_("关工委"), "committee__name"),
    C(_("状态"), "status"),
    C(_("提交时间"), "submitted_at"),
)
