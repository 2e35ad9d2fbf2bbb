"""Builds the Word template of the annual report (reports/word/annual_report.docx).

The file is kept in the project so that an office can open it in Word, put its own
letterhead on it and point `REPORT_WORD_TEMPLATE` at the result; this module only
makes the default one: `python -m reports.exports.word_template`.

Typesetting after GB/T 9704-2012 (党政机关公文格式): A4, margins 37 / 35 / 28 / 26 mm,
title in 方正小标宋简体 二号, headings in 黑体 三号, body in 仿宋_GB2312 三号 with a fixed
28 pt line pitch and a two-character first-line indent. Every style names its East
Asian font explicitly: without it Word (and python-docx's default template) falls
back to a Japanese font (MS Mincho) for Chinese text.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "word" / "annual_report.docx"

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
ERHAO, SANHAO, SIHAO = Pt(22), Pt(16), Pt(14)


def set_fonts(style, east_asian: str, size, *, bold: bool = False) -> None:
    font = style.font
    font.name = east_asian  # w:ascii and w:hAnsi
    font.size = size
    font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), east_asian)
    fonts.set(qn("w:hAnsi"), east_asian)


def _pitch(style, *, indent: bool) -> None:
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号


def build(path: Path = DEFAULT_PATH) -> Path:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    styles = document.styles
    set_fonts(styles["Normal"], BODY_FONT, SANHAO)
    _pitch(styles["Normal"], indent=True)
    set_fonts(styles["Title"], TITLE_FONT, ERHAO)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _pitch(styles["Title"], indent=False)
    styles["Title"].paragraph_format.space_after = Pt(28)
    # The built-in Title has a bottom border and a theme colour: an official document has neither.
    for child in list(styles["Title"].element.get_or_add_pPr()):
        if child.tag == qn("w:pBdr"):
            child.getparent().remove(child)
    styles["Title"].font.color.rgb = None
    set_fonts(styles["Heading 1"], HEADING_FONT, SANHAO)
    _pitch(styles["Heading 1"], indent=True)
    styles["Heading 1"].font.color.rgb = None
    set_fonts(styles["Table Grid"], BODY_FONT, SIHAO)
    for name in ("Subtitle",):
        set_fonts(styles[name], "楷体_GB2312", SANHAO)
        _pitch(styles[name], indent=False)
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        styles[name].font.color.rgb = None

    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph("{{ subtitle }}", style="Subtitle")
    document.add_paragraph("{%p for section in sections %}")
    document.add_paragraph("{{ section.number }}、{{ section.title }}", style="Heading 1")
    document.add_paragraph("{%p for text in section.sentences %}")
    document.add_paragraph("{{ text }}")
    document.add_paragraph("{%p endfor %}")
    table = document.add_table(rows=4, cols=2)
    table.style = styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.cell(0, 0).text, table.cell(0, 1).text = "{{ item_label }}", "{{ value_label }}"
    table.cell(1, 0).text = "{%tr for row in section.rows %}"
    table.cell(2, 0).text, table.cell(2, 1).text = "{{ row.label }}", "{{ row.text }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.first_line_indent = Pt(0)
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{{ issuer }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{{ issued_on }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


if __name__ == "__main__":
    print(build())
