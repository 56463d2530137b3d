"""The config file's settings in the TUI: the theme and the user's keymap applied at start,
the date format, a warning per unusable key, and a theme picked in the palette written back
to config.toml (tomlkit keeps the file's comments: storage.settings.write_setting).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui import dates

if TYPE_CHECKING:
    from tui.app import RapportApp as App

SAVE_DELAY = 0.5  # seconds: the theme picker previews each theme it passes; save the last one


def apply(app: App) -> None:
    """Before the first screen: theme, keymap, date format (from ``app.ctx.config``)."""
    config = app.ctx.config
    dates.use_format(config.get("date_format", "iso"))
    theme = config.get("theme")
    if theme:
        if theme in app.available_themes:
            app.theme = theme
        else:
            app.ctx.config_warnings.append(
                f"config file {app.ctx.config_path}: theme {theme!r} is not a theme Rapport knows "
                "(ignored; ctrl+p, then 'theme', lists them)"
            )
    keys = config.get("keys")
    if keys:
        app.set_keymap(dict(keys))
    app._saved_theme = app.theme


def started(app: App) -> None:
    """Once mounted: show the config warnings and start watching for a new theme."""
    for warning in app.ctx.config_warnings:
        app.notify(warning, title="Config", severity="warning", timeout=10, markup=False)
    app.theme_changed_signal.subscribe(app, lambda _theme: _theme_changed(app))


def _theme_changed(app: App) -> None:
    timer = getattr(app, "_theme_timer", None)
    if timer is not None:
        timer.stop()
    app._theme_timer = app.set_timer(SAVE_DELAY, lambda: save_theme(app))


def save_theme(app: App) -> None:
    """Write the app's theme to the config file if it changed since start or the last save."""
    app._theme_timer = None
    path = app.ctx.config_path
    if path is None or app.theme == app._saved_theme:
        return
    from storage.settings import write_setting

    try:
        write_setting(path, "theme", app.theme)
    except (OSError, ValueError) as exc:
        app.notify(f"Theme not saved to {path}: {exc}", severity="error", markup=False)
        return
    app._saved_theme = app.theme
    app.ctx.config["theme"] = app.theme


def flush(app: App) -> None:
    """On the way out: a theme chosen in the last half second is saved too."""
    if getattr(app, "_theme_timer", None) is not None:
        save_theme(app)
