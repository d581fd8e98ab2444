"""Which part of a figure's breakdown a claim's number is given for, in any language.

Written for this project: each text gives a number for one part of a figure, or for the
total. The part is found by the label's words (English) or by meaning (any language, through
the bundled model); a number for a part is checked against the part, never the total.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.xref_app_support import engine_with_vectors, seed
from tracker.xref.figure_matching import parts_by_meaning
from tracker.xref.figures import FigureFacts, FigurePart, check_text
from tracker.xref.matching import MatchSettings, semantic_encoder

RECRUITS = FigureFacts(
    subject="foreign citizens recruited to fight for Russia in Moscow",
    value=1500,
    qualifier="more_than",
    period_start=date(2023, 4, 1),
    period_end=date(2024, 5, 31),
    parts=(
        FigurePart("South and East Asia", 771),
        FigurePart("Former Soviet republics", 523),
        FigurePart("Africa", 72),
    ),
)
DONBAS = FigureFacts(
    subject="people killed in the conflict in Donbas",
    value=14300,
    qualifier="about",
    period_start=date(2014, 4, 1),
    period_end=date(2021, 12, 31),
    parts=(FigurePart("civilians", 3404), FigurePart("servicemen", 4400)),
)
REFUGEES = FigureFacts(
    subject="Ukrainian refugees in Germany",
    value=1_100_000,
    qualifier="about",
    parts=(FigurePart("women", 600_000), FigurePart("children", 350_000)),
)

FIGURES = {"recruits": RECRUITS, "donbas": DONBAS, "refugees": REFUGEES}
# Texts written for this project, each with the part its number is given for (null: the
# total). "calibration": the cases the rule was chosen on; "heldout": written after it.
_LINES = (Path(__file__).parent / "data/quantities/figure_parts.jsonl").read_text("utf-8")
CASES = [json.loads(line) for line in _LINES.splitlines() if line.strip()]
# Measured when the rule was chosen (stop 25): 12 of the 16 held-out cases. Four name their
# part indirectly ("азіатів", "граждан Индии", "граждан Узбекистана", "Asians") and are
# checked against the total, as every Russian and Ukrainian text was before.
HELD_OUT_FOUND = 12


def part_found(names_parts, case) -> str | None:
    first = check_text(case["text"], [FIGURES[case["figure"]]], names_parts=names_parts,
                       min_similarity=0)[0]  # fmt: skip
    return first.figure.part_of.split(", of ")[0] if first.figure.part_of else None


@pytest.fixture(scope="module")
def names_parts():
    encoder = semantic_encoder(MatchSettings(), [])
    assert encoder is not None, "the bundled model must load"
    return parts_by_meaning(encoder)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["set"] == "calibration"], ids=lambda c: c["text"][:40]
)
def test_a_number_is_checked_against_the_part_it_is_given_for(names_parts, case):
    # Russian and Ukrainian numbers for a part were checked against the total: "771 from
    # South and East Asia" understated "more than 1,500" by 1.9x.
    assert part_found(names_parts, case) == case["part"]


def test_held_out_texts_find_their_part_as_often_as_measured(names_parts):
    held_out = [c for c in CASES if c["set"] == "heldout"]
    found = sum(part_found(names_parts, case) == case["part"] for case in held_out)
    assert len(held_out) == 16
    assert found >= HELD_OUT_FOUND


def test_the_total_is_checked_against_the_number_the_part_is_not_given_for():
    # "60% of them women" named the women; the 1.1 million was checked against them.
    checks = check_text(
        "Germany hosts 1.1 million Ukrainian refugees, 60% of them women", [REFUGEES],
        min_similarity=0,
    )  # fmt: skip
    by_number = {check.quantity.text: check for check in checks}
    assert by_number["1.1 million"].figure.part_of is None
    assert by_number["1.1 million"].comparison.relation == "consistent"
    # A share of a counted part is compared as a share of the total: 600,000 of about
    # 1.1 million is about 54.5% (it was "not comparable", a percentage against a count).
    assert by_number["60%"].figure.part_of == "women: 600,000 of about 1.1 million"
    assert by_number["60%"].comparison.relation == "consistent"
    most = check_text("Germany hosts 1.1 million Ukrainian refugees, 90% of them women",
                      [REFUGEES], min_similarity=0)  # fmt: skip
    assert most[0].comparison.reason.endswith("(about 35.5 percentage points lower).")


def test_a_russian_claim_about_a_part_gets_the_parts_check_in_the_app(db):
    records = seed(db)
    xref = engine_with_vectors(db)
    db.commit()
    text = CASES[0]["text"]  # 771 recruits from South and East Asia, in Russian
    found = xref.figures(db, text, "ru")
    assert [f.figure_id for f in found] == [records["figure"].id]
    check = found[0].check
    assert check.comparison.relation == "consistent"
    assert check.comparison.reason.startswith("The claim says 771;")
    assert "771 (South and East Asia, of more than 1,500)" in check.comparison.reason
