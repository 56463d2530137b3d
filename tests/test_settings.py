"""config.toml: every key checked with a one-line warning, the theme written back keeping the
file's comments, [keys] remapping bindings, and ``rapport config`` (README.md#settings-configtoml)."""

from __future__ import annotations

import stat

import pytest

from cli.main import main
from storage.config import load_settings
from storage.settings import validate, write_setting

CONFIG = """\
# Anna's settings
employee = "anna"   # my login
employe = "typo"
timezone = "Europe/Berlin"

[keys]
# ctrl+n is taken by tmux here
quick_add = "f10"
"""


def test_unknown_and_wrongly_typed_keys_are_named_and_left_out():
    config, warnings = validate(
        {
            "employe": "anna",
            "employee": 5,
            "timezone": "Mars/Base",
            "date_format": "roman",
            "keys": {"quick_add": 7},
            "theme": "nord",
            "sync": {"vdir": "/x"},
        },
        "config.toml",
    )
    assert config == {"theme": "nord", "sync": {"vdir": "/x"}}
    assert len(warnings) == 5
    assert all("\n" not in w and w.startswith("config.toml: ") for w in warnings)
    for key in (
        "'employe'",
        "employee must be text, not 5",
        "timezone: 'Mars/Base'",
        "date_format: 'roman'",
        "keys: quick_add",
    ):
        assert sum(key in w for w in warnings) == 1, key


def test_load_settings_reads_the_file_and_warns(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    config, warnings = load_settings(path)
    assert config == {"employee": "anna", "timezone": "Europe/Berlin", "keys": {"quick_add": "f10"}}
    assert warnings == [
        f"config file {path}: unknown key 'employe' (ignored; known: employee, "
        "database, export_dir, timezone, theme, date_format, keys, sync)"
    ]


def test_writing_the_theme_keeps_comments_and_stays_top_level(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    path.chmod(0o640)
    write_setting(path, "theme", "nord")
    text = path.read_text()
    assert text.startswith(CONFIG.split("[keys]")[0].rstrip("\n"))
    assert "# ctrl+n is taken by tmux here" in text and "# my login" in text
    config, _ = load_settings(path)
    assert config["theme"] == "nord" and config["keys"] == {"quick_add": "f10"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    write_setting(path, "theme", "gruvbox")
    assert load_settings(path)[0]["theme"] == "gruvbox" and text.count("theme") == 1


def test_writing_creates_a_private_file(tmp_path):
    path = tmp_path / "new" / "config.toml"
    write_setting(path, "theme", "nord")
    assert load_settings(path)[0] == {"theme": "nord"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_broken_file_is_not_overwritten(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("employee = \n")
    with pytest.raises(ValueError):
        write_setting(path, "theme", "nord")
    assert path.read_text() == "employee = \n"


def test_rapport_config_prints_path_and_settings_without_passwords(tmp_path, monkeypatch, capsys):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG + '\n[sync]\nuser = "anna"\npassword = "hunter2"\nnope = "x"\n')
    monkeypatch.setenv("RAPPORT_CONFIG", str(path))
    monkeypatch.setenv("RAPPORT_DATABASE", "postgresql://anna:s3cret@db.example/crm")
    assert main(["config"]) == 0  # no database opened: that server does not exist
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == f"config file: {path}"
    assert "employee     anna  (config file)" in out
    assert "database     postgresql://anna:***@db.example/crm  (RAPPORT_DATABASE)" in out
    assert "timezone     Europe/Berlin  (config file)" in out
    assert "  quick_add = f10" in out and "unknown binding id" not in out
    assert "hunter2" not in out and "s3cret" not in out and "password = ***" in out
    assert (
        err == f"rapport: config file {path}: unknown key 'employe' (ignored; known: employee, "
        "database, export_dir, timezone, theme, date_format, keys, sync)\n"
    )


def test_rapport_config_names_an_unknown_binding_id(tmp_path, monkeypatch, capsys):
    path = tmp_path / "config.toml"
    path.write_text('[keys]\nquick_ad = "f9"\n')
    monkeypatch.setenv("RAPPORT_CONFIG", str(path))
    assert main(["config"]) == 0
    assert "  quick_ad = f9  (unknown binding id: no key has it)" in capsys.readouterr().out


async def test_theme_and_remapped_key_survive_a_restart(sqlite_ctx, tmp_path):
    from screens.quick_add import QuickAddScreen
    from tui.app import RapportApp

    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    sqlite_ctx.config, _ = load_settings(path)
    sqlite_ctx.config_path = path
    app = RapportApp(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, QuickAddScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"theme", "enter")  # the palette's theme picker
        await pilot.pause()
        await pilot.press(*"gruvbox", "enter")
        await pilot.pause()
        assert app.theme == "gruvbox"
    assert "# ctrl+n is taken by tmux here" in path.read_text()
    sqlite_ctx.config, warnings = load_settings(path)
    assert sqlite_ctx.config["theme"] == "gruvbox"
    again = RapportApp(sqlite_ctx)
    async with again.run_test(size=(80, 24)) as pilot:
        assert again.theme == "gruvbox"
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(again.screen, QuickAddScreen)
        await pilot.press("escape", "f1")  # F1 names the key as remapped, not ctrl+n
        await pilot.pause()
        keys = str(again.screen.query_one("#help-text").render())
        assert "f10         Quick add" in keys and "^n" not in keys


async def test_config_warnings_and_an_unknown_theme_show_in_the_tui(sqlite_ctx):
    from tui.app import RapportApp

    sqlite_ctx.config = {"theme": "no-such-theme"}
    sqlite_ctx.config_warnings = ["config file c.toml: unknown key 'employe' (ignored)"]
    app = RapportApp(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert shown[0].endswith("config file c.toml: unknown key 'employe' (ignored)")
        assert "theme 'no-such-theme' is not a theme Rapport knows" in shown[1]
        assert app.theme == "textual-dark"


def test_rapport_config_keys_lists_binding_ids_with_the_keys_in_force(tmp_path, monkeypatch, capsys):
    path = tmp_path / "config.toml"
    path.write_text('[keys]\nquick_add = "f10"\n')
    monkeypatch.setenv("RAPPORT_CONFIG", str(path))
    assert main(["config", "--keys"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["quick_add", "f10", "Quick", "add"]
    assert any(line.split()[:2] == ["followups.complete", "c"] for line in lines)
    assert len(lines) > 100
