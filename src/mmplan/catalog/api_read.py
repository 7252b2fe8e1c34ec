"""Reading MITx Online's public API: raw JSON -> typed records, every field checked.

The fields read are those the API documents (mitodl/mitxonline: courses/serializers/v2/
programs.py, courses/serializers/v2/courses.py, courses/serializers/v1/base.py; the
OpenAPI models of mitodl/mitxonline-api-clients: `PaginatedCourseWithCourseRunsSerializerV2List`,
`BaseCourseRun`, `ProductFlexiblePrice`, `V2ProgramRequirementData`):

- a page: `count`, `next`, `results`;
- a program: `id`, `readable_id`, `title` (required), `live`, `program_type`,
  `departments[].name`, `req_tree` (nodes of `data.node_type`, `data.operator`,
  `data.operator_value`, `data.course`, `data.title`, and `children`);
- a course: `id`, `readable_id`, `title`, `courseruns` (required), `min_weeks`, `max_weeks`,
  `min_weekly_hours`, `max_weekly_hours`;
- a run: `courseware_id` (required), `start_date`, `end_date`, `enrollment_end`,
  `upgrade_deadline`, `is_self_paced`, `live`, `products`;
- a product: `price` (required), `is_active`, `product_flexible_price` (`amount`,
  `discount_type`).

Any other field is ignored, so the API may grow without breaking a refresh; a required
field missing or of the wrong type is a `RefreshError` naming it and the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from mmplan.core.errors import RefreshError, shown

_MISSING = object()


@dataclass(frozen=True)
class Record:
    """One JSON object of a response, and how a message names it."""

    data: Mapping[str, Any]
    where: str  # "programs page https://..., result 3 (program-v1:MITx+DEDP)"
    source: str  # the address of the page it came from

    def get(self, name: str, kind: type | tuple[type, ...], *, required: bool = False) -> Any:
        """A field of the expected JSON type (None when absent or null and not required)."""
        value = self.data.get(name, _MISSING)
        if value is _MISSING or value is None:
            if required:
                state = "is missing" if value is _MISSING else "is null"
                raise RefreshError(f"{self.where}: required field '{name}' {state}")
            return None
        wrong_bool = isinstance(value, bool) and bool not in _kinds(kind)
        if wrong_bool or not isinstance(value, kind):
            _wrong(self, name, kind, value)
        return value

    def child(self, data: Any, where: str) -> Record:
        if not isinstance(data, dict):
            raise RefreshError(f"{self.where}: {where} is {_json_type(data)}, not an object")
        return Record(data, f"{self.where}, {where}", self.source)


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _wrong(record: Record, name: str, kind: type | tuple[type, ...], value: Any) -> NoReturn:
    expected = " or ".join(_JSON_NAMES.get(k, k.__name__) for k in _kinds(kind))
    raise RefreshError(
        f"{record.where}: field '{name}' should be {expected}, got {_json_type(value)}"
    )


_JSON_NAMES = {str: "text", int: "a number", float: "a number", bool: "true or false"}
_JSON_NAMES |= {list: "a list", dict: "an object"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return f"text {shown(value, 30)}"
    return "a list" if isinstance(value, list) else "an object"


def page_results(document: Any, where: str) -> tuple[list[Any], str | None]:
    """A page's `results` and its `next` address (None on the last page)."""
    if not isinstance(document, dict):
        raise RefreshError(
            f"{where}: expected a page (an object with results), got {_json_type(document)}"
        )
    page = Record(document, where, "")
    page.get("count", int, required=True)
    return page.get("results", list, required=True), page.get("next", str)


@dataclass(frozen=True)
class ApiRun:
    key: str
    start: date | None
    end: date | None
    enrollment_end: date | None
    upgrade_deadline: date | None
    self_paced: bool
    live: bool
    price: Decimal | None  # the active product's list price
    lowest_price: Decimal | None  # with its flexible price, when the API shows one


@dataclass(frozen=True)
class ApiCourse:
    id: int
    key: str  # readable_id: course-v1:MITx+14.310x
    code: str  # the course number: 14.310x
    title: str
    runs: tuple[ApiRun, ...]
    weeks: tuple[int | None, int | None]
    weekly_hours: tuple[float | None, float | None]
    source: str
    where: str


@dataclass(frozen=True)
class Node:
    """A requirement tree node: an operator over its children, or a course."""

    kind: str  # program_root, operator, course, program
    operator: str | None
    value: int | None  # operator_value: how many to choose
    course: int | None
    title: str | None
    children: tuple[Node, ...]


@dataclass(frozen=True)
class ApiProgram:
    id: int
    key: str  # readable_id: program-v1:MITx+DEDP
    title: str
    live: bool
    program_type: str | None
    departments: tuple[str, ...]
    tree: tuple[Node, ...]
    course_ids: tuple[int, ...]
    source: str
    where: str


def read_course(record: Record) -> ApiCourse:
    key = record.get("readable_id", str, required=True)
    record = Record(record.data, f"{record.where} ({shown(key, 60)})", record.source)
    runs = record.get("courseruns", list, required=True)
    return ApiCourse(
        id=record.get("id", int, required=True),
        key=key,
        code=course_number(key),
        title=record.get("title", str, required=True),
        runs=tuple(_read_run(record.child(run, f"courseruns[{i}]")) for i, run in enumerate(runs)),
        weeks=(record.get("min_weeks", int), record.get("max_weeks", int)),
        weekly_hours=(_hours(record, "min_weekly_hours"), _hours(record, "max_weekly_hours")),
        source=record.source,
        where=record.where,
    )


def course_number(key: str) -> str:
    """`course-v1:MITx+14.310x` -> `14.310x`; another form of key is kept whole."""
    if key.startswith("course-v1:") and key.count("+") == 1:
        return key.partition("+")[2]
    return key


def _hours(record: Record, name: str) -> float | None:
    """A weekly-hours figure: the API gives text (`"12"`), sometimes a number."""
    value = record.get(name, (str, int, float))
    if value is None or value == "":
        return None
    try:
        hours = float(value)
    except ValueError:
        return None  # free text ("12-14 hours") is not a figure the catalog can take
    return hours if 0 < hours <= 168 else None


def _read_run(record: Record) -> ApiRun:
    key = record.get("courseware_id", str, required=True)
    products = record.get("products", list) or []
    price, lowest = _price(record, products)
    return ApiRun(
        key=key,
        start=_day(record, "start_date"),
        end=_day(record, "end_date"),
        enrollment_end=_day(record, "enrollment_end"),
        upgrade_deadline=_day(record, "upgrade_deadline"),
        self_paced=bool(record.get("is_self_paced", bool)),
        live=record.get("live", bool) is not False,
        price=price,
        lowest_price=lowest,
    )


def _day(record: Record, name: str) -> date | None:
    """A date-time of the API (ISO 8601, `Z` for UTC) as its UTC day."""
    text = record.get(name, str)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RefreshError(
            f"{record.where}: field '{name}' should be a date-time, got {shown(text, 40)}"
        ) from None
    return moment.date() if moment.tzinfo is None else moment.astimezone(UTC).date()


def _price(record: Record, products: list[Any]) -> tuple[Decimal | None, Decimal | None]:
    """The run's list price (its active product's), and the lowest with a flexible price."""
    for index, raw in enumerate(products):
        product = record.child(raw, f"products[{index}]")
        price = _money(product, product.get("price", (str, int, float), required=True), "price")
        if product.get("is_active", bool) is False:
            continue
        flexible = product.get("product_flexible_price", dict)
        lowest = price if flexible is None else _discounted(product, price, flexible)
        return price, lowest
    return None, None


def _money(record: Record, value: Any, name: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise RefreshError(
            f"{record.where}: field '{name}' should be an amount, got {shown(str(value), 30)}"
        ) from None
    if not amount.is_finite() or not 0 <= amount <= 1_000_000:
        raise RefreshError(f"{record.where}: field '{name}' is not a price: {amount}")
    return amount


def _discounted(product: Record, price: Decimal, raw: dict[str, Any]) -> Decimal:
    """The price after a flexible-price discount (V0Discount: `amount`, `discount_type`)."""
    discount = product.child(raw, "product_flexible_price")
    amount = _money(discount, discount.get("amount", (str, int, float), required=True), "amount")
    kind = discount.get("discount_type", str, required=True)
    if kind == "percent-off":
        result = price * (1 - min(amount, Decimal(100)) / 100)
    elif kind == "dollars-off":
        result = price - amount
    elif kind == "fixed-price":
        result = amount
    else:  # paid-amount-off and any newer kind: no fixed figure
        return price
    return max(Decimal(0), min(price, result.quantize(Decimal("0.01"))))


def read_program(record: Record) -> ApiProgram:
    key = record.get("readable_id", str, required=True)
    record = Record(record.data, f"{record.where} ({shown(key, 60)})", record.source)
    departments = record.get("departments", list) or []
    names = []
    for index, raw in enumerate(departments):
        name = record.child(raw, f"departments[{index}]").get("name", str)
        if name:
            names.append(name)
    tree = record.get("req_tree", list) or []
    courses = record.get("courses", list) or []
    return ApiProgram(
        id=record.get("id", int, required=True),
        key=key,
        title=record.get("title", str, required=True),
        live=record.get("live", bool) is not False,
        program_type=record.get("program_type", str),
        departments=tuple(names),
        tree=tuple(_node(record, raw, f"req_tree[{i}]", 0) for i, raw in enumerate(tree)),
        course_ids=tuple(c for c in courses if isinstance(c, int) and not isinstance(c, bool)),
        source=record.source,
        where=record.where,
    )


MAX_TREE_DEPTH = 8


def _node(parent: Record, raw: Any, where: str, depth: int) -> Node:
    node = parent.child(raw, where)
    if depth > MAX_TREE_DEPTH:
        raise RefreshError(f"{node.where}: the requirement tree is nested too deeply")
    data = node.child(node.get("data", dict, required=True), "data")
    children = node.get("children", list) or []
    return Node(
        kind=data.get("node_type", str, required=True),
        operator=data.get("operator", str),
        value=_count(data),
        course=_id(data, "course"),
        title=data.get("title", str),
        children=tuple(
            _node(node, child, f"children[{i}]", depth + 1) for i, child in enumerate(children)
        ),
    )


def _count(data: Record) -> int | None:
    """`operator_value`: a count the API writes as text (`"2"`)."""
    value = data.get("operator_value", (str, int))
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise RefreshError(
            f"{data.where}: field 'operator_value' should be a count, got {shown(str(value), 20)}"
        ) from None


def _id(data: Record, name: str) -> int | None:
    """A course id: a number, or a number written as text (the serializer's CharField)."""
    value = data.get(name, (int, str))
    if value is None:
        return None
    if isinstance(value, str):
        if not value.isdigit():
            raise RefreshError(
                f"{data.where}: field '{name}' should be an id, got {shown(value, 20)}"
            )
        return int(value)
    return int(value)
