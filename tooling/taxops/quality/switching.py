"""The switching rules: which inspection (normal, tightened, reduced) the next
lot gets, replayed from the results of the lots before it. Each rule as the
standards word it (MIL-STD-105E 4.7 and ANSI/ASQ Z1.4 8.3-8.4, ISO 2859-1:1999
9.3-9.4; lots judged on original inspection):

- normal to tightened: 2 of 5 or fewer consecutive lots not accepted;
- tightened to normal: 5 consecutive lots accepted;
- normal to reduced: ISO 2859-1:1999's switching score (9.3.3) reaches 30. It
  starts at 0 with normal inspection; after each lot, add 3 when the acceptance
  number is 2 or more and the lot would also have been accepted one AQL step
  tighter (else reset to 0), add 2 when the acceptance number is 0 or 1 and the
  lot is accepted (else reset to 0). MIL-STD-105E asks instead for 10 accepted
  lots whose nonconforming items stay within Table VIII's limit number (a limit
  Z1.4 8.5 lets both parties drop); the score plays that part here. Production
  must also be steady and the responsible authority must agree: taxops says
  the score allows the switch, and a user who does not take it passes
  ``--inspection normal``;
- reduced to normal: a lot not accepted, or accepted with more than the
  acceptance number but fewer than the rejection number (MIL-STD-105E 4.7.4 b:
  the reduced plans' gap); irregular or delayed production, the standard's other
  reason, is the user's to call (``--inspection normal``);
- discontinue: the cumulative number of lots not accepted on tightened
  inspection reaches 5 (ANSI/ASQ Z1.4 8.4, ISO 2859-1:1999 9.4).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from taxops.quality.acceptance import Inspection

SWITCH_TO_REDUCED_SCORE = 30


@dataclass(frozen=True)
class LotResult:
    """One audited lot: the plan's numbers and what the sample held."""

    inspection: Inspection
    accept: int
    reject: int
    nonconforming: int
    #: Acceptance number one AQL step tighter (normal inspection), for the score.
    tighter_accept: int | None = None

    @property
    def accepted(self) -> bool:
        if self.inspection is Inspection.REDUCED:
            return self.nonconforming < self.reject
        return self.nonconforming <= self.accept


@dataclass(frozen=True)
class State:
    inspection: Inspection = Inspection.NORMAL
    #: Accepted (True) or not, for the lots since the last switch, newest last.
    recent: tuple[bool, ...] = ()
    score: int = 0
    rejected_on_tightened: int = 0
    discontinued: bool = False
    reasons: tuple[str, ...] = field(default_factory=tuple)


def next_state(state: State, lot: LotResult) -> State:
    """The state after one more lot."""
    accepted = lot.accepted
    recent = (*state.recent, accepted)
    if state.inspection is Inspection.NORMAL:
        last5 = recent[-5:]
        if last5.count(False) >= 2:
            return State(
                Inspection.TIGHTENED,
                reasons=("2 of the last 5 lots or fewer were not accepted: tightened inspection",),
            )
        score = _score(state.score, lot)
        if score >= SWITCH_TO_REDUCED_SCORE:
            return State(
                Inspection.REDUCED,
                reasons=(
                    f"switching score {score} reached {SWITCH_TO_REDUCED_SCORE}: reduced "
                    "inspection is allowed if production is steady and the authority agrees",
                ),
            )
        return replace(state, recent=recent, score=score, reasons=())
    if state.inspection is Inspection.TIGHTENED:
        rejected = state.rejected_on_tightened + (0 if accepted else 1)
        if rejected >= 5:
            return replace(
                state,
                recent=recent,
                rejected_on_tightened=rejected,
                discontinued=True,
                reasons=("5 lots not accepted on tightened inspection: discontinue inspection",),
            )
        if len(recent) >= 5 and all(recent[-5:]):
            return State(
                Inspection.NORMAL,
                rejected_on_tightened=0,
                reasons=("5 consecutive lots accepted: back to normal inspection",),
            )
        return replace(state, recent=recent, rejected_on_tightened=rejected, reasons=())
    # Reduced.
    if not accepted or lot.nonconforming > lot.accept:
        why = (
            "a lot was not accepted"
            if not accepted
            else "a lot was accepted above its acceptance number"
        )
        return State(Inspection.NORMAL, reasons=(f"{why} on reduced inspection: back to normal",))
    return replace(state, recent=recent, reasons=())


def _score(score: int, lot: LotResult) -> int:
    if not lot.accepted:
        return 0
    if lot.accept >= 2:
        tighter = lot.tighter_accept
        return score + 3 if tighter is not None and lot.nonconforming <= tighter else 0
    return score + 2


def replay(lots: list[LotResult], start: State | None = None) -> State:
    """The state after a history of lots, oldest first."""
    state = start or State()
    for lot in lots:
        if state.discontinued:
            break
        state = next_state(state, lot)
    return state
