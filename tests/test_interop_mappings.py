"""Column mappings: the shipped ones, validation errors, and their value transforms."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tracker.interop.errors import MappingError
from tracker.interop.mapping import load_mapping, parse_mapping, shipped_mappings
from tracker.interop.rows import ImportRecord, read_rows

TODAY = date(2024, 6, 1)


def _write_mapping(tmp_path, text: str):
    path = tmp_path / "custom.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _euvs_rows(tmp_path, *rows: dict) -> list:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return list(read_rows(path, "jsonl", "euvsdisinfo", today=TODAY))


CASE = {
    "date": "03.10.2017",
    "outlet": "TV Zvezda",
    "language": "Russian",
    "origin": "Ukraine, Syria",
    "keywords": "TV Zvezda, Military",
    "source": "https://tvzvezda.ru/news/vstrane_i_mire/content/201710030853-nx7c.htm",
    "title": "Explosions in Vinnitsa were organized by Ukrainian soldiers",
    "summary": "The recent explosions were organized by the soldiers themselves.",
    "disproof": "The SBU said it suspected sabotage.",
    "euvsdisinfo_report_url": "https://euvsdisinfo.eu/report/explosions-in-vinnitsa/",
    "outlets": "tvzvezda.ru",
    "countries": "Ukraine+Syria",
}


def test_shipped_mappings():
    assert shipped_mappings() == ["euvsdisinfo", "generic", "public", "tracker"]


@pytest.mark.parametrize("name", ["euvsdisinfo", "generic", "public", "tracker"])
def test_shipped_mapping_loads(name):
    assert load_mapping(name).name == name


def test_unknown_shipped_name_lists_the_shipped_ones():
    with pytest.raises(
        MappingError, match="no mapping named 'nope'; shipped: euvsdisinfo, generic"
    ):
        load_mapping("nope")


def test_unknown_target_fields_are_named(tmp_path):
    path = _write_mapping(
        tmp_path,
        'name = "x"\n[fields]\nclaim_text = "a"\nheadline = "b"\nnarrative = "c"\n',
    )
    with pytest.raises(MappingError, match="unknown target fields: headline, narrative"):
        load_mapping(path)


def test_unknown_transform_is_named(tmp_path):
    path = _write_mapping(
        tmp_path, 'name = "x"\n[fields]\nclaim_text = {from="a", transform="up"}\n'
    )
    with pytest.raises(MappingError, match="unknown transform 'up'"):
        load_mapping(path)


def test_unknown_option_is_named(tmp_path):
    path = _write_mapping(tmp_path, 'name = "x"\n[fields]\nclaim_text = {from="a", colum="b"}\n')
    with pytest.raises(MappingError, match="field claim_text: unknown options: colum"):
        load_mapping(path)


def test_from_and_value_together_are_refused(tmp_path):
    path = _write_mapping(tmp_path, 'name = "x"\n[fields]\nclaim_text = {from="a", value="b"}\n')
    with pytest.raises(MappingError, match="exactly one of 'from' and 'value'"):
        load_mapping(path)


def test_missing_name_is_refused(tmp_path):
    path = _write_mapping(tmp_path, '[fields]\nclaim_text = "a"\n')
    with pytest.raises(MappingError, match="'name' is missing"):
        load_mapping(path)


def test_unknown_setting_is_named(tmp_path):
    path = _write_mapping(
        tmp_path, 'name = "x"\nrequird = ["claim_text"]\n[fields]\nclaim_text = "a"\n'
    )
    with pytest.raises(MappingError, match="unknown settings: requird"):
        load_mapping(path)


def test_required_field_must_be_mapped(tmp_path):
    path = _write_mapping(
        tmp_path, 'name = "x"\nrequired = ["source_url"]\n[fields]\ntitle = "a"\n'
    )
    with pytest.raises(MappingError, match="required fields not mapped: source_url"):
        load_mapping(path)


def test_list_field_needs_the_list_transform(tmp_path):
    path = _write_mapping(
        tmp_path, 'name = "x"\n[fields]\nkeywords = {from="k", transform="text"}\n'
    )
    with pytest.raises(MappingError, match="a list field needs transform 'list'"):
        load_mapping(path)


def test_invalid_toml_is_reported(tmp_path):
    path = _write_mapping(tmp_path, "name = \n")
    with pytest.raises(MappingError, match="not valid TOML"):
        load_mapping(path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(MappingError, match="mapping file not found"):
        load_mapping(tmp_path / "absent.toml")


def _one(rows: list) -> ImportRecord:
    (record,) = rows
    assert isinstance(record, ImportRecord), record
    return record


def test_euvsdisinfo_dotted_date_is_day_first(tmp_path):
    assert _one(_euvs_rows(tmp_path, CASE)).appearance_date == date(2017, 10, 3)


def test_euvsdisinfo_language_name_becomes_a_code(tmp_path):
    record = _one(_euvs_rows(tmp_path, CASE))
    assert (record.language, record.appearance_language) == ("en", "ru")


def test_euvsdisinfo_country_in_language_column_is_not_guessed(tmp_path):
    record = _one(_euvs_rows(tmp_path, {**CASE, "language": "Bulgaria"}))
    assert record.appearance_language is None
    assert record.warnings == (
        "appearance_language (column 'language'): unknown language 'Bulgaria': not taken",
    )


def test_euvsdisinfo_keywords_split_on_commas(tmp_path):
    assert _one(_euvs_rows(tmp_path, CASE)).keywords == ("TV Zvezda", "Military")


def test_euvsdisinfo_countries_split_on_plus(tmp_path):
    assert _one(_euvs_rows(tmp_path, CASE)).countries == ("Ukraine", "Syria")


@pytest.mark.parametrize("wording", ["no braces", "{} twice {}", 5])
def test_a_format_needs_one_pair_of_braces(wording):
    with pytest.raises(MappingError, match="'format' is a text with one"):
        parse_mapping({"name": "x", "fields": {"title": {"from": "t", "format": wording}}})


def test_euvsdisinfo_fields(tmp_path):
    record = _one(_euvs_rows(tmp_path, CASE))
    assert record.claim_text == CASE["title"]
    # The report's title as EUvsDisinfo gives it: as a debunk's headline, the bare claim
    # read as the finding.
    assert record.title == f"DISINFO: {CASE['title']}"
    assert (record.summary, record.rationale) == (CASE["summary"], CASE["disproof"])
    assert record.debunk_text == CASE["disproof"]
    assert (record.outlet, record.outlet_domain) == ("TV Zvezda", "tvzvezda.ru")
    assert record.external_id == "https://euvsdisinfo.eu/report/explosions-in-vinnitsa"
    assert record.debunk_url == CASE["euvsdisinfo_report_url"]


def test_euvsdisinfo_outlet_that_is_no_domain_is_left_empty(tmp_path):
    record = _one(_euvs_rows(tmp_path, {**CASE, "outlets": "Facebook resource"}))
    assert record.outlet_domain is None
