"""Stages 4-5 and catalog views: cost, eligibility, `list`, `show` and `compare`."""
