"""A comparison matrix cell as text, for ``socins compare`` and ``socins reform --compare`` alike."""

from __future__ import annotations


def cell_text(cell: dict, scheme: str) -> str:
    """A matrix cell: status and payers, an age, or rates."""
    value = cell.get("value")
    if scheme == "retirement-age":
        from socins_cli.engines.retirement import format_age

        text = format_age(value) if value else "—"
    elif scheme == "contribution-rate":
        bounds = cell.get("bounds", {})
        text = ", ".join(f"{who} {_BOUND_MARKS.get(bounds.get(who), '')}{v * 100:g}%" for who, v in value.items()
                         if v is not None) if value else ""
        text = text or "—"
    else:
        text = cell["status"] + (f" ({', '.join(cell['payers'])})" if cell["payers"] else "")
    return text + ("" if cell.get("settled", True) else " [open]")


#: A rate the text sets as a limit (compare's ``bounds``): 不得超过 is at most, 不得低于 at least.
_BOUND_MARKS = {"at-most": "≤", "at-least": "≥"}
