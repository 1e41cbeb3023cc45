"""A comparison matrix cell as text, for ``socins compare`` and ``socins reform --compare`` alike."""

from __future__ import annotations


def cell_text(cell: dict, scheme: str) -> str:
    """A matrix cell: status and payers, an age, or rates."""
    value = cell.get("value")
    if scheme == "retirement-age":
        from socins_cli.engines.retirement import format_age

        text = format_age(value) if value else "—"
    elif scheme == "contribution-rate":
        text = ", ".join(f"{who} {v * 100:g}%" for who, v in value.items() if v is not None) if value else "—"
    else:
        text = cell["status"] + (f" ({', '.join(cell['payers'])})" if cell["payers"] else "")
    return text + ("" if cell.get("settled", True) else " [open]")
