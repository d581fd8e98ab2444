"""Helpers for desk tests: form data as a browser would post it."""

from __future__ import annotations

from typing import Any


def claim_form(
    text: str = "NATO troops are secretly fighting in Kharkiv.",
    *,
    appearances: list[dict[str, str]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """The claim form's fields; `appearances` rows become appearances-N-* fields."""
    data: dict[str, Any] = {
        "text": text,
        "language": "",
        "summary_en": "",
        "rating": "",
        "rationale": "",
        "new_narratives": "",
        "article_refs": "",
        "figure_refs": "",
        "version": "",
        "save": "Save draft",
    }
    rows = (
        appearances
        if appearances is not None
        else [{"url": "https://news.example.org/2024/kharkiv", "appeared_on": "2024-03-02"}]
    )
    for index, row in enumerate(rows):
        data[f"appearances-{index}-url"] = row.get("url", "")
        data[f"appearances-{index}-appeared_on"] = row.get("appeared_on", "")
        data[f"appearances-{index}-outlet"] = row.get("outlet", "")
        data[f"appearances-{index}-platform"] = row.get("platform", "web")
        data[f"appearances-{index}-snapshot_id"] = row.get("snapshot_id", "")
        if row.get("create_outlet"):
            data[f"appearances-{index}-create_outlet"] = "y"
    data.update(fields)
    return data


def page_text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def article_form(**fields):
    data = {
        "url": "",
        "title": "Gas prices: what the claim leaves out",
        "publisher": "Us",
        "author": "",
        "published_on": "2023-01-12",
        "language": "en",
        "text": "Body.",
        "claim_statement": "Sanctions hurt Europe more than Russia.",
        "rating": "misleading",
        "rating_text": "",
        "save": "Save article",
        "version": "",
    }
    data.update(fields)
    return data


def figure_form(**fields):
    data = {
        "subject": "foreign citizens recruited in Moscow",
        "qualifier": "more_than",
        "value": "1500",
        "kind": "count",
        "unit": "people",
        "currency": "",
        "period_start": "2023-04-01",
        "period_end": "2024-05-31",
        "place": "Moscow",
        "publisher": "UK Ministry of Defence",
        "cited_source": "iStories",
        "source_url": "",
        "published_on": "",
        "article_id": "",
        "quote": "",
        "lower_bound": "",
        "upper_bound": "",
        "version": "",
        "save": "Save figure",
        "parts-0-label": "South and East Asia",
        "parts-0-value": "771",
        "parts-1-label": "Former Soviet republics",
        "parts-1-value": "523",
        "parts-2-label": "Africa",
        "parts-2-value": "72",
    }
    data.update(fields)
    return data
