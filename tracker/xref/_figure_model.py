"""Plain data for figure checks; import them from ``tracker.xref.figures``, which re-exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from tracker.xref.quantities import Kind, Quantity

FigureQualifier = Literal["exact", "more_than", "less_than", "about"]
Relation = Literal["consistent", "overstates", "understates", "not_comparable"]
Bound = Literal["at least", "about", "at most"]


@dataclass(frozen=True, slots=True)
class FigurePart:
    """One line of a figure's breakdown: "771 from South and East Asia"."""

    label: str
    value: float


@dataclass(frozen=True, slots=True)
class FigureFacts:
    """A published figure as plain values (the database model maps onto this).

    ``value`` is the number as published, read with ``qualifier`` ("more than 1,500");
    ``lower``/``upper`` are explicit bounds when the publisher gave a range. ``kind`` is
    count, percent or money (then ``currency`` is an ISO 4217 code). ``publisher`` is who
    published it ("UK Ministry of Defence"), ``cited_source`` whom they cite ("iStories").
    ``parts`` is a breakdown that need not add up to ``value``.
    """

    subject: str
    value: float
    qualifier: FigureQualifier = "exact"
    kind: Kind = "count"
    lower: float | None = None
    upper: float | None = None
    currency: str | None = None
    unit: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    place: str | None = None
    publisher: str | None = None
    cited_source: str | None = None
    parts: tuple[FigurePart, ...] = ()
    figure_id: int | None = None
    # For one part of a breakdown checked on its own: its label and the total it is part of.
    part_of: str | None = None


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How much room each qualifier leaves, as an interval around the stated number X.

    * exact X: X·(1 ± max(``exact``, half the rounding unit of X)), never wider than
      ``about`` ("1,500" allows 1,450–1,550; "771" allows ±2%);
    * about X ("about", "nearly", "rund", "около"): X·(1 ± ``about``);
    * more than X: X .. X·``more_than_factor`` (nobody says "more than 1,500" of 10,000);
    * less than X ("up to", "до"): X / ``less_than_factor`` .. X;
    * a range A–B: A·(1 − ``exact``) .. B·(1 + ``exact``);
    * a vague amount keeps its interval ("tens of thousands" = 10,000–99,999).

    Two intervals that overlap are consistent; otherwise one side over- or understates.
    """

    exact: float = 0.02
    rounding: bool = True
    about: float = 0.10
    more_than_factor: float = 2.0
    less_than_factor: float = 2.0


DEFAULT_TOLERANCE = Tolerance()


@dataclass(frozen=True, slots=True)
class ComparisonDetails:
    """The numbers a comparison used: both intervals and the two stated values of the ratio."""

    claim_low: float
    claim_high: float
    figure_low: float
    figure_high: float
    claim_value: float
    figure_value: float


@dataclass(frozen=True, slots=True)
class Comparison:
    """A claim's quantity against a figure.

    ``ratio`` is between the nearest stated values (the bigger over the smaller when they
    disagree; claim over figure when consistent); ``bound`` says whether the true gap is at
    least, about or at most that; ``reason`` is one English sentence for readers.
    """

    relation: Relation
    ratio: float | None
    bound: Bound | None
    reason: str
    details: ComparisonDetails | None = None


#: What the total's qualifier makes of the part of it that the breakdown leaves.
REMAINDER_PREFIXES = {"more_than": "at least ", "about": "about ", "less_than": "at most "}


@dataclass(frozen=True, slots=True)
class Breakdown:
    """How a figure's parts relate to its total.

    ``remainder`` is total minus the sum of the parts (negative when the parts exceed the
    total); ``remainder_qualifier`` carries the total's qualifier over ("more than 1,500"
    minus 1,366 is at least 134).
    """

    total: float
    accounted: float
    remainder: float
    remainder_qualifier: FigureQualifier
    exceeds: bool
    parts: tuple[FigurePart, ...]
    sentence: str

    @property
    def remainder_prefix(self) -> str:
        """How the total's qualifier reads on what the parts leave: "at least " 134."""
        return REMAINDER_PREFIXES.get(self.remainder_qualifier, "")


@dataclass(frozen=True, slots=True)
class FigureCheck:
    """One quantity of a claim text checked against one candidate figure."""

    quantity: Quantity
    figure: FigureFacts
    similarity: float
    comparison: Comparison
