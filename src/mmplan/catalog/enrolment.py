"""Where a learner enrols in a course: the platform and the page, from the catalog's urls."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from mmplan.catalog.model import Catalog, split_course_id
from mmplan.core.base import Frozen

# Hosts whose platform has a name learners know; any other host is named by itself.
_PLATFORMS = {"edx.org": "edX", "mitxonline.mit.edu": "MITx Online"}
_DEFAULT_PLATFORM = "edX"  # a catalog program's platform when it names none


class Enrolment(Frozen):
    """The page where a course is taken, and the platform that hosts it."""

    platform: str
    url: str


def platform_of(url: str) -> str:
    """`edX` for an edx.org page, `MITx Online` for mitxonline.mit.edu, else the host name."""
    host = (urlsplit(url).hostname or url).removeprefix("www.")
    return _PLATFORMS.get(host, host)


def where_to_enrol(catalog: Catalog, course_ids: Iterable[str]) -> dict[str, Enrolment]:
    """The enrolment page of each course: the course's url, else its program's; courses with
    neither (a learner's own catalog, often) are left out rather than guessed, and so are
    the pages of a program that runs on another platform than edX, on any platform but its
    own: it left them behind (moved, or `active` there after `catalog refresh`)."""
    found: dict[str, Enrolment] = {}
    for course_id in course_ids:
        program_id, code = split_course_id(course_id, "")
        try:
            program = catalog.program(program_id)
            url = program.course(code).url or program.url
        except KeyError:
            continue
        if not url:
            continue
        platform = platform_of(url)
        if platform != program.platform and program.platform != _DEFAULT_PLATFORM:
            continue  # a page it left behind: it runs elsewhere now (DEDP's edX pages)
        found[course_id] = Enrolment(platform=platform, url=url)
    return found
