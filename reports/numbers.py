"""How Chinese official reports write numbers: the one place for these conventions.

The seeds write "慰问物资累计价值16万余元", "启动资金15万元", "覆盖1491名离退休干部",
"培训……1097人次", "调解矛盾纠纷32起". So:

- amounts of 10,000 yuan and more are written in 万元; an amount that 万 with at most two
  decimals cannot write exactly is cut down to what it can say for sure, followed by 余
  ("over"): 160,350 → 16万余元, 15,350 → 1.5万余元, 1,500,000 → 150万元;
- smaller amounts in 元, without a thousands separator: 3000元, 400元;
- counts are plain digits with their measure word (次, 期次, 场次, 起, 条, 个, 名, 人次);
- a figure that is zero is left out of the sentence instead of being printed as "0次"; a
  sentence whose every figure is zero is left out altogether.

The sentences themselves are Chinese text and so go through gettext with named
placeholders (`%(count)s`), like every other string.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext as _

WAN = Decimal(10000)


def plain(value: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 150, 1.5, 1.55."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def yuan(amount) -> str:
    """An amount of money as the reports write it: "3000元", "1.5万元", "16万余元", "150万元"."""
    amount = Decimal(amount)
    if amount < WAN:
        whole = amount.quantize(Decimal(1), rounding=ROUND_DOWN)
        if whole == amount:
            return _("%(amount)s元") % {"amount": plain(whole)}
        return _("%(amount)s元") % {"amount": plain(amount.quantize(Decimal("0.01")))}
    in_wan = amount / WAN
    exact = in_wan.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    if exact == in_wan:
        return _("%(amount)s万元") % {"amount": plain(exact)}
    # Keep two significant digits at least: 1.5万余 for 15,350, 16万余 for 160,350.
    step = Decimal(1) if in_wan >= 10 else Decimal("0.1")
    return _("%(amount)s万余元") % {"amount": plain(in_wan.quantize(step, rounding=ROUND_DOWN))}


def count(number, unit: str) -> str:
    """A count with its measure word: count(25, "期次") → "25期次"."""
    return f"{int(number)}{unit}"


@dataclass(frozen=True)
class Clause:
    """One part of a sentence with its figures; left out when every figure is zero.

    `text` is already translated and holds `%(name)s` placeholders; `figures` maps each
    name to a number, and `money` names the figures that are amounts in yuan.
    """

    text: str
    figures: dict
    money: frozenset = frozenset()

    def is_empty(self) -> bool:
        return all(not value for value in self.figures.values())

    def render(self) -> str:
        return self.text % {name: self._figure(name, value) for name, value in self.figures.items()}

    def _figure(self, name, value) -> str:
        if isinstance(value, str):
            return value  # already written out, e.g. a `series`
        return yuan(value) if name in self.money else str(int(value))


def clause(text: str, money: tuple[str, ...] = (), **figures) -> Clause:
    return Clause(text, figures, frozenset(money))


def sentence(*clauses: Clause | None, lead: str = "") -> str:
    """The clauses that have a figure, joined as one Chinese sentence, or "" when none has.

    sentence(clause("开展慰问%(n)s次", n=251), clause("共慰问%(n)s人次", n=843), lead="近年来，")
    → "近年来，开展慰问251次，共慰问843人次。" (None stands for a clause that does not apply.)
    """
    parts = [c.render() for c in clauses if c is not None and not c.is_empty()]
    if not parts:
        return ""
    return lead + "，".join(parts) + "。"


def series(*items: tuple[str, int | Decimal], unit: str = "", money: bool = False) -> str:
    """Named counts joined with 、, zeros left out: series(("县级", 1), ("乡镇", 0), ("村", 5), unit="个")
    → "县级1个、村5个" ("" when all are zero). With `money`, amounts as `yuan` writes them:
    series(("上级拨款", 150000), ("捐赠", 3000), money=True) → "上级拨款15万元、捐赠3000元"."""
    return "、".join(
        f"{label}{yuan(number) if money else f'{int(number)}{unit}'}" for label, number in items if number > 0
    )
