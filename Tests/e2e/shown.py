"""What the pages should show for a figure, computed here from the chain's integers by the rules
of Tests/Fixtures/amount-format.json (written apart from Public/js/format.js, so the two check
each other), and the exact time as Chromium writes it in en-GB."""

import math
from datetime import datetime, timezone


def _parts(amount: int, decimals: int) -> tuple[str, str]:
    whole, fraction = divmod(amount, 10**decimals)
    return f"{whole:,}", (f"{fraction:0{decimals}d}".rstrip("0") if decimals else "")


def exact_text(amount: int, decimals: int = 18) -> str:
    whole, fraction = _parts(amount, decimals)
    return f"{whole}.{fraction}" if fraction else whole


def plain_text(amount: int, decimals: int = 18) -> str:
    return exact_text(amount, decimals).replace(",", "")


def _cut(whole: str, fraction: str, keep: int) -> str:
    if len(fraction) <= keep:
        return f"{whole}.{fraction}" if fraction else whole
    kept = fraction[:keep].rstrip("0")
    return (f"{whole}.{kept}" if kept else whole) + "…"


def balance_text(amount: int, decimals: int = 18) -> str:
    """A balance or listed amount: at most 4 decimals, cut; dust as < 0.0001."""
    if decimals > 4 and 0 < amount < 10 ** (decimals - 4):
        return "< 0.0001"
    return _cut(*_parts(amount, decimals), 4)


def readable_text(amount: int, decimals: int = 18, places: int = 6) -> str:
    """As the agent writes it: 6 decimals from 1 up, four significant digits below."""
    whole, fraction = _parts(amount, decimals)
    if not fraction:
        return whole
    keep = max(places, len(fraction) - len(fraction.lstrip("0")) + 4) if whole == "0" else places
    return _cut(whole, fraction, keep)


def gwei_text(wei: int) -> str:
    """A gas price on the pages: gwei by the balance rule."""
    return f"{balance_text(wei, 9)} gwei"


def day_text(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, timezone.utc)
    return f"{moment.day} {moment.strftime('%b %Y')}"


def exact_time(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, timezone.utc)
    return f"{moment.day} {moment.strftime('%b %Y, %H:%M:%S')} UTC"


def days_left(expires_at: int, now: float) -> int:
    """Whole days left, rounded half up, at least 1."""
    return max(1, math.floor((expires_at - now) / 86_400 + 0.5))


def relative_text(seconds_ago: float) -> str:
    """Within the hour: "just now" under 45 s (or slightly ahead), else "N min ago"."""
    if abs(seconds_ago) < 45:
        return "just now"
    return f"{max(1, round(seconds_ago / 60))} min ago"
