"""Ship the two default criteria lists (no region): 六好离退休干部党支部 and 五好基层关工委.

A county copies one of them ("复制到本县") and edits its own copy; these rows
stay read-only. The reverse step deletes exactly the rows added here.
"""

from decimal import Decimal

from django.db import migrations
from django.db.models import Q

SCHEMES = [
    {
        "name": "六好离退休干部党支部",
        "target": "branch",
        "description": (
            "离退休干部“六好”党支部创建标准（系统默认）。各县（区）可复制到本县后，按省、市要求调整项目和分值。"
        ),
        "criteria": [
            (
                "政治引领好",
                "20",
                "坚持用党的创新理论武装头脑，及时传达学习上级会议和文件精神；老同志政治坚定，"
                "在重大问题上立场鲜明；经常开展“传承红色基因”等主题教育，引导老同志讲好党的故事、"
                "正面发声。",
            ),
            (
                "组织设置好",
                "15",
                "支部按期换届，班子健全（书记1名、委员若干，分工明确），将党性强、威信高、身体较好的"
                "同志选进班子；党小组、片组设置合理，临时党支部、功能性党支部覆盖到位；"
                "实行“党支部+关工委”的，一套人马两块牌，同部署、同落实、同检查、同考核。",
            ),
            (
                "学习教育好",
                "20",
                "严格落实“三会一课”、主题党日、组织生活会和民主评议党员制度，记录完整；"
                "创新“‘三会一课’+互联网”线上会议和现场教学；对年龄大、行动不便的老党员建立"
                "“一对一”送学上门机制，准备大字版学习资料，做到学习“不掉队”“不漏学”。",
            ),
            (
                "管理服务好",
                "15",
                "建立组织生活、党员管理、民主评议、联系群众等制度并落实；及时收集老同志个性需求并"
                "办结，有台账可查；开展政治生日、走访慰问、结对帮扶，生活困难、独居、高龄老同志有人"
                "联系、有人关心。",
            ),
            (
                "作用发挥好",
                "15",
                "组织老同志参与政策宣讲、关心下一代、基层治理和矛盾纠纷调解，担任网格员、楼栋长、"
                "红管家等；成立志愿服务队，围绕中心工作建言献策，活动有记录、有成效。",
            ),
            (
                "保障落实好",
                "15",
                "有固定活动阵地（党员活动室、社区娱乐室、农家书屋等）并正常使用；党费返还、"
                "支部书记和委员工作补贴、离退休干部活动经费按规定落实；上级党组织配备联络员，"
                "到点指导按要求开展。",
            ),
        ],
    },
    {
        "name": "五好基层关工委",
        "target": "committee",
        "description": "“五好”基层关工委创建标准（系统默认）。各县（区）关工委可复制到本县后调整。",
        "criteria": [
            (
                "组织领导好",
                "20",
                "党委（党组织）重视，列入党建工作和年度考核；关工委机构健全，主任、执行主任落实，"
                "成员涵盖党政领导、群团、派出所、法庭、学校等单位；推行“党支部+关工委”和"
                "执行主任与退休支部书记（委员）“一肩挑”。",
            ),
            (
                "五老队伍好",
                "20",
                "老干部、老战士、老专家、老教师、老模范积极参与，实行“五老”志愿者登记制度，"
                "建立“五老”数据库；组建志愿服务队、“五老”工作室，队伍结构合理、人数稳定。",
            ),
            (
                "工作制度好",
                "20",
                "有年度计划和总结，定期召开会议研究工作；学习、联系、慰问、经费管理等制度健全；"
                "对“五老”骨干、先进典型、生活困难对象开展节日和住院看望慰问。",
            ),
            (
                "活动阵地好",
                "20",
                "有固定办公和活动场所（关工委办公室、金秋讲堂、校外辅导站等）；有工作经费"
                "（如乡镇每年3万元工作经费）并专款专用，“五老”因工作产生的费用按规定列支。",
            ),
            (
                "工作成效好",
                "20",
                "开展“传承红色基因、争做时代新人”等主题教育，关爱留守儿童、困境儿童，"
                "开展“金秋助学”“暖冬慰问”“春蕾计划”和一对一结对资助；护学、防溺水、课外辅导"
                "有记录；获得上级表彰或经验推广。",
            ),
        ],
    },
]


def _shipped(apps):
    AssessmentScheme = apps.get_model("branches", "AssessmentScheme")
    condition = Q(pk__in=[])
    for spec in SCHEMES:
        condition |= Q(name=spec["name"], target=spec["target"])
    return AssessmentScheme.objects.filter(condition, region__isnull=True)


def add_schemes(apps, schema_editor):
    AssessmentScheme = apps.get_model("branches", "AssessmentScheme")
    AssessmentCriterion = apps.get_model("branches", "AssessmentCriterion")
    for spec in SCHEMES:
        scheme, created = AssessmentScheme.objects.get_or_create(
            region=None,
            name=spec["name"],
            target=spec["target"],
            defaults={"description": spec["description"]},
        )
        if not created:
            continue
        AssessmentCriterion.objects.bulk_create(
            AssessmentCriterion(
                scheme=scheme,
                order=order,
                title=title,
                max_score=Decimal(score),
                description=description,
            )
            for order, (title, score, description) in enumerate(spec["criteria"], start=1)
        )


def remove_schemes(apps, schema_editor):
    AssessmentCriterion = apps.get_model("branches", "AssessmentCriterion")
    schemes = _shipped(apps)
    AssessmentCriterion.objects.filter(scheme__in=schemes).delete()
    schemes.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_schemes, remove_schemes),
    ]
