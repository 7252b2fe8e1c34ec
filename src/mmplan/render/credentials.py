"""The plan's lines on money and credentials that a learner checks against other commands:
one credential per program, and a published program price beside the sum of course prices."""

from __future__ import annotations

from mmplan.render.formatting import day, period, price
from mmplan.schedule import Plan


def credential_texts(plan: Plan) -> list[str]:
    """One line per credential: a stacked plan earns each program's on its own day."""
    eligibility = plan.eligibility
    if len(eligibility.programs) < 2:
        if eligibility.missing:
            return [
                f"blocked: no announced run for {', '.join(eligibility.missing)} "
                "(check edX for new runs)"
            ]
        return [f"earned on {day(eligibility.earned_on)} if you pass every course"]
    texts = []
    for credential in eligibility.programs:
        if credential.missing:
            texts.append(
                f"{credential.program}: blocked: no announced run for "
                f"{', '.join(credential.missing)} (check edX for new runs)"
            )
        elif credential.earned_on is None:
            texts.append(f"{credential.program}: every course passed")
        else:
            texts.append(
                f"{credential.program}: earned on {day(credential.earned_on)} "
                "if you pass its courses"
            )
    return texts


def published_text(plan: Plan) -> str:
    """Beside the sum of today's course prices, each program's published price and its date:
    `list`, `show` and `compare` give both too, so the two figures never contradict."""
    published = [
        f"{p.id + ' ' if len(plan.programs) > 1 else ''}{price(p.published_price_usd)}"
        + (f" ({period(p.published_price_as_of)})" if p.published_price_as_of else "")
        for p in plan.programs
        if p.published_price_usd is not None
    ]
    if not published:
        return ""
    return f", the sum of course prices; published program price {', '.join(published)}"
