"""Cost estimates as text and as JSON-ready data. Pure: the CLI alone prints.

Money is shown in USD to the cent (half up); JSON carries the unrounded amounts as numbers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from monitor.cost.estimate import Estimate, Line

CENT = Decimal("0.01")


def usd(amount: Decimal, signed: bool = False) -> str:
    """`$7.57`, or `+$0.30` / `-$1.20` when signed."""
    cents = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    sign = ("-" if cents < 0 else "+") if signed else ("-" if cents < 0 else "")
    return f"{sign}${abs(cents)}"


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value.quantize(Decimal('0.0001')).normalize():f}"


def line_text(line: Line, signed: bool = False) -> str:
    """`24 metrics: custom metrics, $0.30 per metric = $7.20 (ap-northeast-1)`; an unpriced line says so."""
    price = "no verified price" if line.unit_price is None else f"{usd(line.unit_price)} per {line.unit}"
    return f"{_units(line.count, line.unit)}: {line.what}, {price} = {usd(line.monthly, signed)} ({line.region})"


def estimate_text(estimate: Estimate) -> str:
    """The whole estimate: line items, total, the free tier apart, assumptions, source."""
    lines = [f"Monthly cost of what the config makes: {usd(estimate.total)}/month"]
    lines += [f"  {line_text(line)}" for line in estimate.lines]
    if estimate.free_tier:
        lines.append(f"  {usd(estimate.after_free_tier)}/month after the account's free tier, "
                     "if nothing else in the account uses it:")
        lines += [f"    {line_text(line, signed=True)}" for line in estimate.free_tier]
    return "\n".join(lines + _notes(estimate))


def delta_text(delta: Estimate, whole: Estimate | None = None) -> str:
    """The plan's cost block: `Cost: +$0.30/month (+3 standard-resolution alarms)` and the config's total."""
    what = ", ".join(_short(line) for line in delta.lines) or "no change"
    lines = [f"Cost: {usd(delta.total, signed=True)}/month ({what})"]
    if whole is not None:
        lines.append(f"      {usd(whole.total)}/month for everything the config makes "
                     f"({usd(whole.after_free_tier)} after the free tier, if nothing else in the account uses it)")
    lines += [f"      warning: {text}" for text in delta.warnings + (whole.warnings if whole else ())
              if text]
    lines.append(f"      list prices of {delta.source} as of {delta.as_of}, before tax")
    return "\n".join(dict.fromkeys(lines))


def _short(line: Line) -> str:
    """`+3 standard-resolution alarms (3 alarm metrics x $0.10)`, `+24 custom metrics x $0.30`."""
    sign = "+" if line.count > 0 else "-"
    price = "not priced" if line.unit_price is None else f"x {usd(line.unit_price)}"
    if line.unit == "alarm metric" and line.things:
        return f"{sign}{abs(line.things)} {line.what} ({_units(abs(line.count), line.unit)} {price})"
    if line.unit == line.what.rstrip("s").split()[-1]:   # "metric" of "custom metrics": no need to say both
        return f"{sign}{_number(abs(line.count))} {line.what} {price}"
    return f"{sign}{_units(abs(line.count), line.unit)} of {line.what} {price}"


def _units(count: Decimal, unit: str) -> str:
    """`1 alarm metric`, `3 alarm metrics`, `0.219 GB ingested`."""
    plural = unit if count == 1 or unit.startswith(("GB", "1,000", "thousand")) else unit + "s"
    return f"{_number(count)} {plural}"


def _notes(estimate: Estimate) -> list[str]:
    notes = [f"  assumed: {text}" for text in estimate.assumptions]
    notes += [f"  warning: {text}" for text in estimate.warnings]
    return notes + [f"  prices: list prices of {estimate.source} as of {estimate.as_of}, USD before tax"]


def line_json(line: Line) -> dict:
    return {"item": line.item, "what": line.what, "region": line.region, "count": float(line.count),
            "unit": line.unit, "unit_price_usd": None if line.unit_price is None else float(line.unit_price),
            "monthly_usd": float(line.monthly)}


def estimate_json(estimate: Estimate) -> dict:
    """{"lines": [...], "total_usd": n, "free_tier": [...], "after_free_tier_usd": n, "assumptions", "warnings", ...}."""
    return {"currency": "USD", "period": "month", "lines": [line_json(line) for line in estimate.lines],
            "total_usd": float(estimate.total), "free_tier": [line_json(line) for line in estimate.free_tier],
            "after_free_tier_usd": float(estimate.after_free_tier), "assumptions": list(estimate.assumptions),
            "warnings": list(estimate.warnings), "prices": {"source": estimate.source, "as_of": estimate.as_of}}


def plan_cost_json(delta: Estimate, whole: Estimate) -> dict:
    """The plan document's `cost`: the delta of its changes and the config's whole estimate."""
    return {"delta": {"lines": [line_json(line) for line in delta.lines], "total_usd": float(delta.total),
                      "warnings": list(delta.warnings)},
            "config": estimate_json(whole)}
