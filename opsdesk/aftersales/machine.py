"""Each case type's states, in the order the notes run them, and the moves allowed between them."""

from __future__ import annotations

from opsdesk.aftersales.models import CaseState as S
from opsdesk.aftersales.models import CaseType as T

# type → (first state, {state: allowed next states}); a state with no entry is final.
MACHINES: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    T.RETURN_REFUND: (S.REQUESTED, {
        S.REQUESTED: (S.APPROVED, S.CANCELLED),
        S.APPROVED: (S.INTERCEPT_REPORTED, S.RETURNED, S.CANCELLED),
        S.INTERCEPT_REPORTED: (S.RETURNED, S.CANCELLED),
        S.RETURNED: (S.REFUNDED,),
    }),
    T.LOST_PARCEL: (S.OPENED, {
        S.OPENED: (S.REPORTED, S.CLAIMED, S.CANCELLED),
        S.REPORTED: (S.CLAIMED, S.CANCELLED),
        S.CLAIMED: (S.SETTLED,),
    }),
    T.REISSUE: (S.OPENED, {
        S.OPENED: (S.ERP_NOTED, S.CANCELLED),
        S.ERP_NOTED: (S.SHIPPED,),
    }),
    T.OMIT_PACKING_LIST: (S.OPENED, {S.OPENED: (S.SENT, S.CANCELLED)}),
    T.INVOICE: (S.REQUESTED, {S.REQUESTED: (S.ISSUED, S.CANCELLED)}),
    # A complaint is logged, then settled with the buyer (or withdrawn) before its deadline.
    T.COMPLAINT: (S.OPENED, {S.OPENED: (S.SETTLED, S.CANCELLED)}),
}
MACHINES[T.DAMAGED] = MACHINES[T.LOST_PARCEL]


def first_state(case_type: str) -> str:
    return MACHINES[case_type][0]


def next_states(case_type: str, state: str) -> tuple[str, ...]:
    return MACHINES[case_type][1].get(state, ())


def states_of(case_type: str) -> list[str]:
    """Every state the type can be in, first to last."""
    first, moves = MACHINES[case_type]
    seen = [first]
    for targets in moves.values():
        seen.extend(t for t in targets if t not in seen)
    return seen
