"""CP-SAT's model and solver: the part of OR-Tools' `cp_model` that the exact pass uses.

`ortools.sat.python.cp_model` imports numpy and pandas when it loads (about 0.35 CPU s of
every plan that searches) for helpers mmplan never calls. Since OR-Tools 9.15 its `CpModel`
and `CpSolver` are thin Python layers over the C++ classes of `cp_model_helper`, which loads
in about 0.1 CPU s without either. This module is those layers, written as ortools 9.15's
`cp_model.py` writes them, for the methods mmplan calls only. pyproject.toml pins ortools to
the versions whose helper it follows (it calls the helper's underscore methods, as
`cp_model.py` does), and tests/test_cpsat.py checks that it proves the same optimum as
`cp_model` on the planner's models.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

from ortools.sat.python import cp_model_helper as cmh
from ortools.util.python.sorted_interval_list import Domain  # type: ignore[import-untyped]

BoundedLinearExpression = cmh.BoundedLinearExpression
Constraint = cmh.Constraint
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

__all__ = ["FEASIBLE", "INFEASIBLE", "OPTIMAL", "CpModel", "CpSolver", "Domain"]

# The helper's type stubs leave out the underscore methods that build constraints; each call
# to one is marked `attr-defined` below.


class CpModel(cmh.CpBaseModel):
    """Variables, constraints, an objective and a hint, written into the model's proto."""

    def __init__(self) -> None:
        cmh.CpBaseModel.__init__(self, None)

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
        """A variable fixed to `value`."""
        return IntVar(self.model_proto, self.get_or_make_index_from_constant(value))

    def add(self, ct: BoundedLinearExpression | bool) -> Constraint:
        """A linear constraint (`x + y <= 3`), or a constant one (`True`, `False`)."""
        if isinstance(ct, BoundedLinearExpression):
            constraint: Constraint = self._add_bounded_linear_expression(ct)  # type: ignore[attr-defined]
            return constraint
        if isinstance(ct, bool):
            return self.add_bool_or([True] if ct else [])
        raise TypeError(f"not supported: CpModel.add({type(ct).__name__!r})")

    def add_bool_or(self, literals: Iterable[Literal | bool]) -> Constraint:
        """At least one of `literals` is true."""
        kind = cmh.BoolArgumentConstraint.bool_or
        constraint: Constraint = self._add_bool_argument_constraint(kind, literals)  # type: ignore[attr-defined]
        return constraint

    def add_max_equality(self, target: LinearExprT, exprs: Iterable[LinearExprT]) -> Constraint:
        """`target == max(exprs)`."""
        kind = cmh.LinearArgumentConstraint.max
        constraint: Constraint = self._add_linear_argument_constraint(kind, target, exprs)  # type: ignore[attr-defined]
        return constraint

    def add_multiplication_equality(
        self, target: LinearExprT, exprs: Iterable[LinearExprT]
    ) -> Constraint:
        """`target == exprs[0] * exprs[1] * ...`."""
        kind = cmh.LinearArgumentConstraint.prod
        constraint: Constraint = self._add_linear_argument_constraint(kind, target, exprs)  # type: ignore[attr-defined]
        return constraint

    def add_cumulative(
        self, intervals: Iterable[IntervalVar], demands: Iterable[LinearExprT], capacity: int
    ) -> Constraint:
        """On every day, the demands of the intervals in progress add up to at most `capacity`."""
        constraint: Constraint = self._add_cumulative(intervals, demands, capacity)  # type: ignore[attr-defined]
        return constraint

    def new_interval_var(
        self, start: LinearExprT, size: LinearExprT, end: LinearExprT, name: str
    ) -> IntervalVar:
        """An interval with `start + size == end`."""
        return self._interval(name, start, size, end, [])

    def new_fixed_size_interval_var(self, start: LinearExprT, size: int, name: str) -> IntervalVar:
        """An interval of `size` from `start`."""
        return self._interval(name, start, size, start + size, [])

    def new_optional_interval_var(
        self,
        start: LinearExprT,
        size: LinearExprT,
        end: LinearExprT,
        is_present: Literal,
        name: str,
    ) -> IntervalVar:
        """An interval that counts, and holds `start + size == end`, only when `is_present`."""
        return self._interval(name, start, size, end, [is_present])

    def _interval(
        self,
        name: str,
        start: LinearExprT,
        size: LinearExprT,
        end: LinearExprT,
        present: Sequence[Literal],
    ) -> IntervalVar:
        interval: IntervalVar = self._new_interval_var(name, start, size, end, present)  # type: ignore[attr-defined]
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
