"""Reading YAML safely and fast, and finding where in the text a value came from.

`load_yaml` turns bytes into plain Python data with PyYAML's safe C loader (the pure-Python
safe loader when libyaml is missing). It never constructs arbitrary objects, and it refuses
what would hurt us before it can:

- control characters and bytes that are not UTF-8, located to the line and column;
- nesting deeper than `MAX_DEPTH` (libyaml's C composer recurses without limit and crashes
  past ~20,000 levels, and its scanner slows quadratically with flow depth), counted while
  composing, so a deep document is refused after `MAX_DEPTH` levels have been read;
- alias "billion laughs" bombs: when the text can hold aliases at all (it has both `&` and
  `*`), the size of the document with every alias expanded is measured over the composed
  node graph, each node once (memoised), and refused above a limit before anything is
  constructed; recursive aliases are refused too;
- duplicate mapping keys, which PyYAML silently resolves to the last one: recorded while
  constructing, with their position, at no extra pass over the data.

Locating is kept off the fast path: `NodeTree` composes the text again only when there is
a problem to report, and maps a location (a pydantic `loc` tuple) back to its node.
"""

from __future__ import annotations

import contextlib
import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mmplan.core.files import gc_paused

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - libyaml is present wherever PyYAML has wheels
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_DEPTH = 50  # a catalog is 7 levels deep, a progress file 4; near this limit, neither
_TOO_DEEP = (
    f"the document is nested more than {MAX_DEPTH} levels deep "
    "(a catalog needs 7, a progress file 4)"
)
EXPANSION_FACTOR = 10  # aliases may at most multiply the document's size by this...
EXPANSION_FLOOR = 100_000  # ...unless it stays below this many nodes anyway

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STANDARD_TAG_PREFIX = "tag:yaml.org,2002:"
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r") + b"\x7f"
_OTHER_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
# Characters YAML does not allow in a stream (C0/C1 controls, surrogates, non-characters),
# and those it allows that would reorder the text on a terminal (bidirectional controls)
# or break a line where none is seen (U+2028, U+2029).
_NOT_PRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
    "|[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
# The same characters in a value written with escapes ("\e[2J", "\u202e"); a line feed
# and a tab are text there (block scalars hold them too).
_UNSAFE_IN_VALUES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


class YamlProblem(Exception):
    """The text cannot be read as safe YAML; `line` and `column` are 1-based (0: no place)."""

    def __init__(
        self, message: str, line: int = 0, column: int = 0, composed: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.composed = composed  # the text composed: NodeTree can find the problem's path


@dataclass(frozen=True)
class DuplicateKey:
    """A mapping key written twice; YAML keeps only the last value."""

    key: str
    line: int
    column: int
    first_line: int


@dataclass(frozen=True)
class YamlDocument:
    """The plain data of one YAML document and the duplicate keys met while building it."""

    value: Any
    duplicate_keys: tuple[DuplicateKey, ...]


def load_yaml(data: bytes) -> YamlDocument:
    """Plain Python data from YAML bytes (UTF-8), refusing anything unsafe; see module doc."""
    text = _decoded(data)
    _check_characters(data, text)
    loader = _CatalogLoader(text)
    try:
        with gc_paused():
            with _yaml_problems(composed=False):
                root = loader.get_single_node()
            if root is None:
                return YamlDocument(None, ())
            with _yaml_problems(composed=True):
                if "&" in text and "*" in text:  # no anchor or no alias: nothing to expand
                    _check_expansion(root, loader.composed_nodes)
                value = loader.construct_document(root)
    finally:
        loader.dispose()
    return YamlDocument(value, tuple(loader.duplicate_keys))


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _byte_position(data, error.start)
        byte = data[error.start]
        raise YamlProblem(
            f"byte 0x{byte:02x} is not UTF-8; save the file as UTF-8", line, column
        ) from None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def _check_characters(data: bytes, text: str) -> None:
    """Refuse control characters (a NUL usually means a binary file) with their place."""
    if len(data.translate(None, _OTHER_BYTES)) == 0 and data.isascii():
        return
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return
    offset = found.start()
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    if found.group() == "\0":
        raise YamlProblem(
            "a NUL byte: the file should be text (is this a binary file?)", line, column
        )
    raise YamlProblem(_unsafe_character(found.group()), line, column)


def _unsafe_character(character: str) -> str:
    code = ord(character)
    if 0x2000 <= code <= 0x206F or code == 0x061C:
        return (
            f"control character U+{code:04X} is not allowed "
            "(it would reorder or break the text on a terminal)"
        )
    return f"control character U+{code:04X} is not allowed"


@contextlib.contextmanager
def _yaml_problems(composed: bool) -> Iterator[None]:
    """Turn everything PyYAML can raise on hostile text into a located YamlProblem."""
    try:
        yield
    except yaml.MarkedYAMLError as error:
        problem = _marked_problem(error)
        problem.composed = composed
        raise problem from None
    except yaml.reader.ReaderError as error:
        raise YamlProblem(f"unreadable character: {error.reason}") from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"invalid YAML: {error}") from None
    except RecursionError:
        raise YamlProblem(_TOO_DEEP) from None


def _marked_problem(error: yaml.MarkedYAMLError) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = (error.problem or "invalid YAML").strip()
    if problem.startswith("exceeded maximum nesting depth"):  # libyaml's own limit (6.0.4+)
        return YamlProblem(_TOO_DEEP, line, column)
    unknown_tag = "could not determine a constructor for the tag "
    if problem.startswith(unknown_tag):
        tag = problem.removeprefix(unknown_tag).strip("'")
        shown = "!!" + tag.removeprefix(_STANDARD_TAG_PREFIX) if tag.startswith("tag:") else tag
        return YamlProblem(
            f"tag '{shown}' is not allowed: the file holds plain data only", line, column
        )
    if isinstance(error, ConstructorError) and error.context is None:
        return YamlProblem(problem, line, column)
    context = (error.context or "").strip()
    if context and error.context_mark is not None and error.problem_mark is not None:
        context += f" at line {error.context_mark.line + 1}"
    message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    return YamlProblem(message, line, column)


class _CatalogLoader(_SafeLoader):
    """The safe loader, with a depth limit, duplicate-key records and located value errors."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # Only an escape can put a control character in a value: the text itself was checked.
        self.check_strings = "\\" in stream
        self.depth = 0
        self.composed_nodes = 0
        self.duplicate_keys: list[DuplicateKey] = []

    # The composer (C or Python) calls these around every non-alias node it builds: the
    # cheapest place to bound the depth before libyaml or the recursion can suffer.
    def descend_resolver(self, current_node: Node | None, current_index: Any) -> None:
        self.depth += 1
        self.composed_nodes += 1
        if self.depth > MAX_DEPTH:
            mark = current_node.start_mark if current_node is not None else None
            raise YamlProblem(
                _TOO_DEEP,
                mark.line + 1 if mark else 0,
                mark.column + 1 if mark else 0,
            )

    def ascend_resolver(self) -> None:
        self.depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        """SafeConstructor's mapping, recording duplicate keys instead of hiding them."""
        if not isinstance(node, MappingNode):
            raise ConstructorError(
                None, None, f"expected a mapping node, but found {node.id}", node.start_mark
            )
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:  # `<<: *defaults` merges; later keys override
                return self._construct_merged_mapping(node, deep)
            key = self.construct_object(key_node, deep=deep)
            try:
                repeated = key in mapping
            except TypeError:
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found an unhashable key",
                    key_node.start_mark,
                ) from None
            if repeated:
                self._record_duplicate(key, node, key_node)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def _construct_merged_mapping(self, node: MappingNode, deep: bool) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG or not isinstance(key_node, ScalarNode):
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                self._record_duplicate(key, node, key_node)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def _record_duplicate(self, key: Any, mapping: MappingNode, again: Node) -> None:
        first = next(k for k, _ in mapping.value if k.tag == again.tag and k.value == again.value)
        mark = again.start_mark
        self.duplicate_keys.append(
            DuplicateKey(
                key=str(key),
                line=mark.line + 1,
                column=mark.column + 1,
                first_line=first.start_mark.line + 1,
            )
        )

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        """A date that does not exist (2026-02-30) stays text, for the schema to report.

        Raising here would stop at the first one; as text it is reported, located, with
        every other problem of the file (and a title that looks like a date stays a title).
        """
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return node.value

    def construct_yaml_str(self, node: ScalarNode) -> str:
        """A string, refusing control characters written as escapes ("\\e", "\\u202e")."""
        value: str = super().construct_yaml_str(node)
        if self.check_strings:
            found = _UNSAFE_IN_VALUES.search(value)
            if found is not None:
                mark = node.start_mark
                raise YamlProblem(
                    _unsafe_character(found.group()) + " (written as an escape)",
                    mark.line + 1,
                    mark.column + 1,
                    composed=True,
                )
        return value

    def construct_yaml_int(self, node: ScalarNode) -> Any:
        """An integer too long for Python to convert (thousands of digits) stays text."""
        try:
            return super().construct_yaml_int(node)
        except (ValueError, OverflowError):
            return node.value


_CatalogLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _CatalogLoader.construct_yaml_timestamp
)
_CatalogLoader.add_constructor("tag:yaml.org,2002:int", _CatalogLoader.construct_yaml_int)
_CatalogLoader.add_constructor("tag:yaml.org,2002:str", _CatalogLoader.construct_yaml_str)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [item for pair in node.value for item in pair]
    return []


def _check_expansion(root: Node, distinct_nodes: int) -> None:
    """Refuse a document whose aliases expand it far beyond its size, or refer to themselves.

    Each node's expanded size is computed once (post-order over the node graph), so even a
    billion-laughs document costs time proportional to its text, not to its expansion.
    """
    limit = max(EXPANSION_FLOOR, EXPANSION_FACTOR * distinct_nodes)
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            total = 1 + sum(size[id(child)] for child in _children(node))
            if total > limit:
                raise YamlProblem(
                    f"aliases expand the document to more than {limit:,} values "
                    "(an alias bomb?); write the values out instead",
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    composed=True,
                )
            size[key] = total
            continue
        if key in size:
            continue
        if key in on_path:
            raise YamlProblem(
                "an alias refers to the collection that contains it (a recursive alias)",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                composed=True,
            )
        on_path.add(key)
        stack.append((node, True))
        for child in reversed(_children(node)):
            if id(child) in on_path:
                raise YamlProblem(
                    "an alias refers to the collection that contains it (a recursive alias)",
                    child.start_mark.line + 1,
                    child.start_mark.column + 1,
                    composed=True,
                )
            if id(child) not in size:
                stack.append((child, False))


Loc = Sequence[str | int]


@dataclass(frozen=True)
class Step:
    """One step of a located path: the key or index taken, and the node it led to."""

    key: str | int
    node: Node


class NodeTree:
    """The composed nodes of a document, for mapping data locations back to line:column.

    Composing costs about as much as loading, so it is done only when a problem must be
    located, never on the way to a valid catalog.
    """

    def __init__(self, data: bytes) -> None:
        loader = _CatalogLoader(_decoded(data))
        try:
            with gc_paused():
                self.root: Node | None = loader.get_single_node()
        finally:
            loader.dispose()

    def walk(self, loc: Loc) -> list[Step]:
        """The nodes along `loc`, as far as they exist in the text (a missing key stops it)."""
        steps: list[Step] = []
        node = self.root
        for item in loc:
            if node is None:
                break
            child = _child(node, item)
            if child is None:
                break
            key, node = child
            steps.append(Step(key, node))
        return steps

    def loc_at(self, line: int, column: int) -> tuple[str | int, ...]:
        """The location of the deepest key or value that starts at line:column (1-based)."""
        best: tuple[str | int, ...] = ()
        if self.root is None:
            return best
        # Breadth first: a node reachable through aliases is named by its shortest path.
        queue: deque[tuple[Node, tuple[str | int, ...]]] = deque([(self.root, ())])
        seen: set[int] = set()
        while queue:
            node, loc = queue.popleft()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if _starts_at(node, line, column) and len(loc) >= len(best):
                best = loc
            if isinstance(node, SequenceNode):
                queue.extend((child, (*loc, i)) for i, child in enumerate(node.value))
            elif isinstance(node, MappingNode):
                for key, value in node.value:
                    name = key.value if isinstance(key, ScalarNode) else "?"
                    if _starts_at(key, line, column) and len(loc) + 1 >= len(best):
                        best = (*loc, name)
                    queue.append((value, (*loc, name)))
        return best


def _starts_at(node: Node, line: int, column: int) -> bool:
    mark = node.start_mark
    return bool(mark.line + 1 == line and mark.column + 1 == column)


def _child(node: Node, item: str | int) -> tuple[str | int, Node] | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in reversed(node.value):  # of duplicate keys, YAML keeps the last
            if isinstance(key_node, ScalarNode) and key_node.value == str(item):
                return item, value_node
        return None
    if isinstance(node, SequenceNode):
        if item in ("lo", "hi") and len(node.value) == 2:  # a [lo, hi] range written as a pair
            index = 0 if item == "lo" else 1
            return index, node.value[index]
        if isinstance(item, int) and 0 <= item < len(node.value):
            return item, node.value[item]
    return None


def find_key_node(mapping: Node, key: str) -> Node | None:
    """The key node (not the value) of `key` in a mapping node, for 'unknown key' places."""
    if isinstance(mapping, MappingNode):
        for candidate, _ in mapping.value:
            if isinstance(candidate, ScalarNode) and candidate.value == key:
                return candidate
    return None


def scalar_value(mapping: Node, key: str) -> str | None:
    """The text of a scalar value in a mapping node (a program's id, a course's code)."""
    if isinstance(mapping, MappingNode):
        for candidate, value in reversed(mapping.value):
            if isinstance(candidate, ScalarNode) and candidate.value == key:
                return value.value if isinstance(value, ScalarNode) else None
    return None
