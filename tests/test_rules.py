"""Each scheduling rule is one module of `mmplan.schedule.rules`, registered in `RULES`, that
says where every pass keeps it and names its check in the independent verifier."""

from __future__ import annotations

import pkgutil
import re

from mmplan.schedule import rules
from mmplan.schedule.rules import RULES
from mmplan.schedule.verify import _Verifier

HEADINGS = ("- Check:", "- Verify:")
PASSES = ("List schedule", "Lower bound", "Exact model")


def test_every_rule_module_is_registered() -> None:
    modules = {info.name for info in pkgutil.iter_modules(rules.__path__)}
    assert modules == {module.__name__.rpartition(".")[2] for module in RULES}


def test_every_rule_says_where_each_pass_keeps_it_and_the_verifier_checks_it() -> None:
    for module in RULES:
        doc = module.__doc__ or ""
        for heading in HEADINGS:
            assert heading in doc, (module.__name__, heading)
        for name in PASSES:
            assert name in doc, (module.__name__, name)
        checks = re.findall(r"verify\._Verifier\.(\w+)", doc)
        assert checks, module.__name__
        for check in checks:
            assert callable(getattr(_Verifier, check, None)), (module.__name__, check)
