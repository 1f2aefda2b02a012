"""The charter as a PDF, drawn with fpdf2 (pure Python, from PyPI, no system libraries).

The PDF is plain ASCII: fpdf2's built-in Helvetica, uncompressed streams, no embedded font. So the
text is searchable as it stands, and the authorization walks' sentinel check reads it like any
page. Vowels with a macron are written doubled (Kāhui Ako → Kaahui Ako), the double-vowel
spelling of te reo Māori, rather than losing their length; other accents are dropped. The printable
page keeps every character (print it to PDF from the browser for a typeset copy).
"""

import unicodedata

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .trajectory import format_value

ASCII = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "−": "-",
        "…": "...",
        "→": "->",
        "·": "-",
        "✓": "yes",
        "✗": "no",
        "⚠": "!",
        "ā": "aa",
        "ē": "ee",
        "ī": "ii",
        "ō": "oo",
        "ū": "uu",
        "Ā": "Aa",
        "Ē": "Ee",
        "Ī": "Ii",
        "Ō": "Oo",
        "Ū": "Uu",
    }
)


def ascii_text(text) -> str:
    text = str(text or "").translate(ASCII)
    text = unicodedata.normalize("NFKD", text)
    return text.encode("ascii", "ignore").decode("ascii")


class CharterPDF(FPDF):
    def __init__(self, title: str):
        super().__init__(format="A4")
        self.doc_title = title
        self.family = "Helvetica"
        self.set_compression(False)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(self.clean(title))
        self.set_lang("en-GB")

    def clean(self, text) -> str:
        return ascii_text(text)

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 8, self.clean(f"{self.doc_title} · page {self.page_no()}"), align="C")

    def heading(self, text, size=14):
        self.ln(2)
        self.set_font(self.family, "B", size)
        self.multi_cell(0, size * 0.5, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text, *, label=None, size=10):
        if not text:
            return
        if label:
            self.set_font(self.family, "B", size)
            self.multi_cell(0, 5, self.clean(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self.family, "", size)
        self.multi_cell(0, 5, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def rows(self, header, rows, widths):
        self.set_font(self.family, "B", 9)
        with self.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
            row = table.row()
            for cell in header:
                row.cell(self.clean(cell))
            self.set_font(self.family, "", 9)
            for values in rows:
                row = table.row()
                for cell in values:
                    row.cell(self.clean(cell))
        self.ln(2)


def charter_pdf(context) -> bytes:
    network, charter = context["network"], context["charter"]
    pdf = CharterPDF(f"Charter of {network.name}")
    pdf.add_page()
    pdf.heading(f"Charter of {network.name}", 18)
    in_force = charter.in_force
    pdf.para(
        f"In force: version {in_force.number}, since {in_force.in_force_at:%d %B %Y}"
        if in_force
        else "No version has come into force yet."
    )
    pdf.para(charter.purpose, label="Purpose")
    pdf.para(charter.shared_values, label="Shared values")
    pdf.heading(context["foci_word"])
    for view in context["foci"]:
        focus = view.focus
        pdf.heading(f"{context['focus_word']}: {focus.title}", 12)
        pdf.para(focus.description)
        pdf.para(focus.pupils, label="Which pupils")
        pdf.para(focus.pupil_groups, label="Groups of pupils")
        pdf.para(focus.visible_when_achieved, label="What will be visible when it is achieved")
        pdf.para(focus.adult_learning_link, label="How adult learning links to pupil learning")
        if focus.lead_group:
            pdf.para(focus.lead_group.name, label="Led by")
        warnings = view.warnings
        if warnings:
            pdf.para(
                "; ".join(result.criterion.quote for result in warnings),
                label="Focus check: criteria not yet met",
            )
        for goal_view in view.goals:
            goal = goal_view.goal
            pdf.para(
                f"{goal.measure} ({goal.unit}) — status: {goal_view.status.label}",
                label="Goal",
            )
            rows = [
                ["Baseline", f"{goal.baseline_date:%d %b %Y}", format_value(goal.baseline_value)]
            ]
            rows += [
                ["Progress", f"{entry.measured_on:%d %b %Y}", format_value(entry.value)]
                for entry in goal_view.entries
            ]
            rows.append(["Target", f"{goal.target_date:%d %b %Y}", format_value(goal.target_value)])
            pdf.rows(["Point", "Date", f"Value ({goal.unit})"], rows, (30, 40, 50))
    pdf.para(context["status_rule"], label="How status is worked out", size=8)
    if context["commitments"]:
        pdf.heading("Protocols and commitments")
        for commitment in context["commitments"]:
            pdf.para(commitment.text, label=f"Binds: {commitment.binds}")
            pdf.para(commitment.how_checked, label="How it is checked")
    output = bytes(pdf.output())
    # The binary comment on line 2 only hints "binary" to old transfer tools; the file is ASCII.
    first, second, rest = output.split(b"\n", 2)
    return b"\n".join([first, b"%" + b"A" * (len(second) - 1), rest])
