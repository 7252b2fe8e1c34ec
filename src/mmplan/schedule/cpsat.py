"""CP-SAT's model and solver: the part of OR-Tools' `cp_model` that the exact pass uses.

`ortools.sat.python.cp_model` imports numpy and pandas when it loads, and its `CpModel` is
built on the helper's C++ `CpBaseModel`, which imports numpy when one is made: about 0.3
CPU s of every plan that searches, for helpers mmplan never calls. This module writes the
model's `CpModelProto` (CP-SAT's own model format) itself, as ortools 9.15's `cp_model` writes
it, with the helper's variables and linear expressions (`x + y <= 3`), and solves it with the
helper's `SolveWrapper`: the helper loads in about 0.1 CPU s, without numpy or pandas. It has
the methods mmplan calls, no more. pyproject.toml pins ortools to the versions it follows;
tests/test_cpsat.py checks that it writes the same models as `cp_model`, and that they solve
to the same proven optimum and plan.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

from ortools.sat.python import cp_model_helper as cmh
from ortools.util.python.sorted_interval_list import Domain  # type: ignore[import-untyped]

BoundedLinearExpression = cmh.BoundedLinearExpression
CpSolverResponse = cmh.CpSolverResponse
CpSolverStatus = cmh.CpSolverStatus
IntervalVar = cmh.IntervalVar
IntVar = cmh.IntVar
LinearExpr = cmh.LinearExpr
Literal = cmh.Literal
LinearExprT = LinearExpr | IntVar | int
OPTIMAL = cmh.CpSolverStatus.OPTIMAL
FEASIBLE = cmh.CpSolverStatus.FEASIBLE
INFEASIBLE = cmh.CpSolverStatus.INFEASIBLE

_UNBOUNDED = (-(2**63), 2**63 - 1)  # a side of a domain without a bound

__all__ = ["FEASIBLE", "INFEASIBLE", "OPTIMAL", "Constraint", "CpModel", "CpSolver", "Domain"]


class Constraint:
    """A constraint just added; `only_enforce_if` makes it hold only when literals do."""

    def __init__(self, proto: cmh.ConstraintProto) -> None:
        self.proto = proto

    def only_enforce_if(self, *literals: Literal) -> Constraint:
        """The constraint holds when every one of `literals` is true."""
        self.proto.enforcement_literal.extend(literal.index for literal in literals)
        return self


def _write(expr: LinearExprT, into: cmh.LinearExpressionProto) -> None:
    """`expr` (at most affine where CP-SAT asks it) as a LinearExpressionProto."""
    if isinstance(expr, int):
        into.offset = expr
        return
    flat = cmh.FlatIntExpr(expr)
    into.vars.extend(var.index for var in flat.vars)
    into.coeffs.extend(flat.coeffs)
    into.offset = flat.offset


class CpModel:
    """Variables, constraints, an objective and a hint, written into `model_proto`."""

    def __init__(self) -> None:
        self.model_proto = cmh.CpModelProto()
        self._constants: dict[int, int] = {}  # value -> its variable's index

    def new_int_var(self, lb: int, ub: int, name: str) -> IntVar:
        """An integer variable in [lb, ub]."""
        return self.new_int_var_from_domain(Domain(lb, ub), name)

    def new_int_var_from_domain(self, domain: Domain, name: str) -> IntVar:
        """An integer variable in `domain`."""
        var: IntVar = IntVar(self.model_proto).with_name(name).with_domain(domain)
        return var

    def new_bool_var(self, name: str) -> IntVar:
        """A 0-1 variable."""
        return self.new_int_var_from_domain(Domain(0, 1), name)

    def new_constant(self, value: int) -> IntVar:
        """A variable fixed to `value` (one per value, unnamed, as `cp_model` makes them)."""
        index = self._constants.get(value)
        if index is None:
            var = IntVar(self.model_proto).with_domain(Domain(value, value))
            index = self._constants[value] = var.index
        return IntVar(self.model_proto, index)

    def _constraint(self) -> cmh.ConstraintProto:
        added: cmh.ConstraintProto = self.model_proto.constraints.add()
        return added

    def add(self, ct: BoundedLinearExpression | bool) -> Constraint:
        """A linear constraint (`x + y <= 3`, `x == 2 * y`), or a constant one (`True`)."""
        if isinstance(ct, bool):  # as cp_model: at least one of true (or of nothing)
            return self.add_bool_or([self.new_constant(1)] if ct else [])
        if not isinstance(ct, BoundedLinearExpression) or not ct.ok:
            raise TypeError(f"not a linear constraint with integer coefficients: {ct!r}")
        proto = self._constraint()
        proto.linear.vars.extend(var.index for var in ct.vars)
        proto.linear.coeffs.extend(ct.coeffs)
        proto.linear.domain.extend(
            bound if bound in _UNBOUNDED else bound - ct.offset
            for bound in ct.bounds.flattened_intervals()
        )
        return Constraint(proto)

    def add_bool_or(self, literals: Iterable[Literal]) -> Constraint:
        """At least one of `literals` is true."""
        proto = self._constraint()
        proto.bool_or.literals.extend(literal.index for literal in literals)
        return Constraint(proto)

    def add_max_equality(self, target: LinearExprT, exprs: Iterable[LinearExprT]) -> Constraint:
        """`target == max(exprs)`."""
        proto = self._constraint()
        _write(target, proto.lin_max.target)
        for expr in exprs:
            _write(expr, proto.lin_max.exprs.add())
        return Constraint(proto)

    def add_multiplication_equality(
        self, target: LinearExprT, exprs: Iterable[LinearExprT]
    ) -> Constraint:
        """`target == exprs[0] * exprs[1] * ...`."""
        proto = self._constraint()
        _write(target, proto.int_prod.target)
        for expr in exprs:
            _write(expr, proto.int_prod.exprs.add())
        return Constraint(proto)

    def add_cumulative(
        self, intervals: Iterable[IntervalVar], demands: Iterable[LinearExprT], capacity: int
    ) -> Constraint:
        """On every day, the demands of the intervals in progress add up to at most `capacity`."""
        proto = self._constraint()
        _write(capacity, proto.cumulative.capacity)
        proto.cumulative.intervals.extend(interval.index for interval in intervals)
        for demand in demands:
            _write(demand, proto.cumulative.demands.add())
        return Constraint(proto)

    def new_interval_var(
        self, start: LinearExprT, size: LinearExprT, end: LinearExprT, name: str
    ) -> IntervalVar:
        """An interval with `start + size == end` (each at most affine)."""
        return self._interval(name, start, size, end, ())

    def new_fixed_size_interval_var(self, start: LinearExprT, size: int, name: str) -> IntervalVar:
        """An interval of `size` from `start`."""
        return self._interval(name, start, size, start + size, ())

    def new_optional_interval_var(
        self,
        start: LinearExprT,
        size: LinearExprT,
        end: LinearExprT,
        is_present: Literal,
        name: str,
    ) -> IntervalVar:
        """An interval that counts, and holds `start + size == end`, only when `is_present`."""
        return self._interval(name, start, size, end, (is_present,))

    def _interval(
        self,
        name: str,
        start: LinearExprT,
        size: LinearExprT,
        end: LinearExprT,
        present: Sequence[Literal],
    ) -> IntervalVar:
        index = len(self.model_proto.constraints)
        proto = self._constraint()
        proto.name = name
        proto.enforcement_literal.extend(literal.index for literal in present)
        _write(start, proto.interval.start)
        _write(end, proto.interval.end)
        _write(size, proto.interval.size)
        interval: IntervalVar = IntervalVar(self.model_proto, index)
        return interval

    def minimize(self, objective: LinearExprT) -> None:
        """Minimise `objective`, an integer linear expression."""
        proto = self.model_proto
        proto.clear_objective()
        proto.clear_floating_point_objective()
        if isinstance(objective, int):
            proto.objective.offset = objective
        else:
            flat = cmh.FlatIntExpr(objective)
            proto.objective.vars.extend(var.index for var in flat.vars)
            proto.objective.coeffs.extend(flat.coeffs)
            proto.objective.offset = flat.offset
        proto.objective.scaling_factor = 1.0

    def add_hint(self, var: IntVar, value: int | bool) -> None:
        """Suggest `var == value` to the search."""
        hint = self.model_proto.solution_hint
        if var.index >= 0:
            hint.vars.append(var.index)
            hint.values.append(int(value))
        else:  # a negated literal
            hint.vars.append(-var.index - 1)
            hint.values.append(int(not value))


class CpSolver:
    """Solves a `CpModel` with `parameters`; the last solve's values, bound and response."""

    def __init__(self) -> None:
        self.parameters = cmh.SatParameters()
        self._response: CpSolverResponse | None = None
        self._wrapper: cmh.SolveWrapper | None = None
        self._lock = threading.Lock()  # stop_search may come from another thread

    def solve(self, model: CpModel) -> CpSolverStatus:
        """Search until done or a limit of `parameters`; the response's status."""
        wrapper = cmh.SolveWrapper()
        with self._lock:
            self._wrapper = wrapper
        wrapper.set_parameters(self.parameters)
        self._response = wrapper.solve(model.model_proto)  # type: ignore[no-untyped-call]
        with self._lock:
            self._wrapper = None
        status: CpSolverStatus = self._response.status
        return status

    def stop_search(self) -> None:
        """Ask a running search to stop soon (from another thread)."""
        with self._lock:
            if self._wrapper is not None:
                self._wrapper.stop_search()

    @property
    def response_proto(self) -> CpSolverResponse:
        """The last solve's response."""
        if self._response is None:
            raise RuntimeError("solve() has not been called")
        return self._response

    def value(self, expr: LinearExprT) -> int:
        """The value of `expr` in the solution found."""
        value: int = cmh.ResponseHelper.value(self.response_proto, expr)
        return value

    def boolean_value(self, literal: Literal) -> bool:
        """The value of `literal` in the solution found."""
        value: bool = cmh.ResponseHelper.boolean_value(self.response_proto, literal)
        return value

    @property
    def best_objective_bound(self) -> float:
        """The best lower bound on the objective proven."""
        bound: float = self.response_proto.best_objective_bound
        return bound

    @staticmethod
    def status_name(status: CpSolverStatus) -> str:
        """`OPTIMAL`, `FEASIBLE`, ..."""
        name: str = status.name
        return name
