"""A charter's content as a JSON snapshot, written out as lines, and the diff of two snapshots."""

import difflib
from dataclasses import dataclass

from .trajectory import format_value


def focus_word(network) -> str:
    """Kāhui Ako call their foci achievement challenges (docs/seed-practices.md#learning-foci)."""
    return "Achievement challenge" if network.country == "NZ" else "Learning focus"


def snapshot(charter) -> dict:
    """The charter's content now. Progress entries are records against it, not its content."""
    foci = []
    for focus in charter.foci.filter(dropped_at__isnull=True).select_related("lead_group"):
        goals = [
            {
                "id": goal.pk,
                "measure": goal.measure,
                "unit": goal.unit,
                "baseline_value": format_value(goal.baseline_value),
                "baseline_date": goal.baseline_date.isoformat(),
                "target_value": format_value(goal.target_value),
                "target_date": goal.target_date.isoformat(),
                "source": goal.get_source_display(),
                "source_note": goal.source_note,
            }
            for goal in focus.goals.filter(dropped_at__isnull=True)
        ]
        foci.append(
            {
                "id": focus.pk,
                "title": focus.title,
                "description": focus.description,
                "pupils": focus.pupils,
                "pupil_groups": focus.pupil_groups,
                "visible_when_achieved": focus.visible_when_achieved,
                "adult_learning_link": focus.adult_learning_link,
                "lead_group": focus.lead_group.name if focus.lead_group else "",
                "goals": goals,
            }
        )
    commitments = [
        {
            "id": commitment.pk,
            "text": commitment.text,
            "binds": commitment.binds,
            "how_checked": commitment.how_checked,
            "kind": commitment.kind,
            "attendance_threshold": commitment.attendance_threshold,
        }
        for commitment in charter.commitments.all()
    ]
    return {
        "purpose": charter.purpose,
        "shared_values": charter.shared_values,
        "foci": foci,
        "commitments": commitments,
    }


def _block(label: str, text: str, indent: str = "") -> list[str]:
    if not text:
        return []
    lines = str(text).splitlines() or [""]
    return [f"{indent}{label}: {lines[0]}"] + [f"{indent}    {line}" for line in lines[1:]]


def lines(content: dict, *, focus_label: str = "Learning focus") -> list[str]:
    """The snapshot as readable lines, one fact a line, so a diff reads like the charter."""
    out = _block("Purpose", content.get("purpose", ""))
    out += _block("Shared values", content.get("shared_values", ""))
    for focus in content.get("foci", []):
        out.append(f"{focus_label}: {focus['title']}")
        out += _block("Description", focus.get("description", ""), "  ")
        out += _block("Which pupils", focus.get("pupils", ""), "  ")
        out += _block("Groups of pupils", focus.get("pupil_groups", ""), "  ")
        out += _block("Visible when achieved", focus.get("visible_when_achieved", ""), "  ")
        out += _block("Adult and pupil learning", focus.get("adult_learning_link", ""), "  ")
        out += _block("Led by", focus.get("lead_group", ""), "  ")
        for goal in focus.get("goals", []):
            out.append(
                f"  Goal: {goal['measure']} ({goal['unit']}): from {goal['baseline_value']} on "
                f"{goal['baseline_date']} to {goal['target_value']} by {goal['target_date']}"
            )
    for commitment in content.get("commitments", []):
        out.append(f"Commitment: {commitment['text']}")
        out += _block("Binds", commitment.get("binds", ""), "  ")
        out += _block("Checked by", commitment.get("how_checked", ""), "  ")
        if commitment.get("attendance_threshold"):
            out.append(f"  Attendance threshold: {commitment['attendance_threshold']}%")
    return out


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed" or "same"
    text: str

    @property
    def sign(self) -> str:
        return {"added": "+", "removed": "−", "same": ""}[self.kind]


def diff(old: dict, new: dict, *, focus_label: str = "Learning focus") -> list[DiffLine]:
    """Every line of the newer snapshot, with the older one's removed lines in their place."""
    rows = []
    for line in difflib.ndiff(
        lines(old, focus_label=focus_label), lines(new, focus_label=focus_label)
    ):
        code, text = line[:2], line[2:]
        if code == "+ ":
            rows.append(DiffLine("added", text))
        elif code == "- ":
            rows.append(DiffLine("removed", text))
        elif code == "  ":
            rows.append(DiffLine("same", text))
    return rows
