"""Settings: the edition's date (SOURCE_DATE_EPOCH, else edition_date, else the day of the build),
command-line overrides, and clear errors for bad values."""

from __future__ import annotations

from datetime import date

from annalist.config import Settings, build_date, load_settings


def test_edition_date_is_source_date_epoch_first(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    assert build_date(Settings(edition_date="2021-03-30")) == "2023-11-14"


def test_edition_date_is_the_setting_without_source_date_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build_date(Settings(edition_date="2021-03-30")) == "2021-03-30"


def test_edition_date_is_the_day_of_the_build_otherwise(monkeypatch):
    """Never the newest article's date: a 2026 build of 2016 articles says 2026."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build_date(Settings()) == date.today().isoformat()
    assert build_date(Settings(), today=date(2026, 5, 1)) == "2026-05-01"


def test_edition_date_reads_an_unquoted_yaml_date(tmp_path):
    (tmp_path / "annalist.yaml").write_text("edition_date: 2026-05-01\n", encoding="utf-8")
    settings, problems = load_settings(tmp_path)
    assert settings.edition_date == "2026-05-01" and problems == []


def test_a_bad_edition_date_is_an_error_naming_the_file(tmp_path):
    for bad in ('"May 2026"', '"2026-13-01"', '"20260501"'):
        (tmp_path / "annalist.yaml").write_text(f"edition_date: {bad}\n", encoding="utf-8")
        settings, problems = load_settings(tmp_path)
        assert settings.edition_date == ""
        assert [p.severity for p in problems] == ["error"]
        assert "annalist.yaml" in str(problems[0]) and "edition_date" in str(problems[0])


def test_command_line_base_url_replaces_the_setting(tmp_path):
    (tmp_path / "annalist.yaml").write_text('base_url: "https://example.org/a/"\n', encoding="utf-8")
    assert load_settings(tmp_path)[0].base_url == "https://example.org/a/"
    assert load_settings(tmp_path, {"base_url": "http://mirror.example.net/b"})[0].base_url == "http://mirror.example.net/b/"
    assert load_settings(tmp_path, {"base_url": None})[0].base_url == "https://example.org/a/"


def test_no_settings_file_means_the_defaults(tmp_path):
    assert load_settings(tmp_path) == (Settings(), [])
