"""``rapport config``: where the config file is and the settings in force, each with where it
comes from; passwords hidden. Works without opening the database."""

from __future__ import annotations

import argparse
import os

from cli.common import add_command

_SECRET_WORDS = ("password", "secret", "token")


def add_parsers(sub) -> None:
    cfg = add_command(sub, "config", "show the config file's path and the settings in force", run_config)
    cfg.add_argument("--keys", action="store_true", help="list every binding id with its key, for the [keys] table")
    cfg.set_defaults(needs_database=False)


def _hidden(key: str, value) -> str:
    from storage.db.connection import redact

    if any(word in key.lower() for word in _SECRET_WORDS) and not key.endswith("_command"):
        return "***"
    return redact(value) if isinstance(value, str) else repr(value)


def _database(args, config: dict) -> tuple[str, str]:
    from storage.db.connection import ENV_DATABASE, default_database_url

    if getattr(args, "database", None):
        return args.database, "--database"
    if os.environ.get(ENV_DATABASE):
        return os.environ[ENV_DATABASE], ENV_DATABASE
    if config.get("database"):
        return config["database"], "config file"
    return default_database_url(), "default"


def in_force(args, ctx) -> list[tuple[str, str, str]]:
    """(key, value shown, where it comes from) for every top-level setting."""
    from storage.config import export_folder
    from storage.settings import local_zone

    config = ctx.config

    def source(key: str) -> str:
        return "config file" if key in config else "default"

    zone = local_zone(config)
    rows = [
        ("employee", ctx.login, "config file" if config.get("employee") else "system user"),
        ("database", *_database(args, config)),
        ("export_dir", str(export_folder(config)), source("export_dir")),
        ("timezone", str(getattr(zone, "key", zone)), "config file" if "timezone" in config else "system"),
        ("theme", config.get("theme", "textual-dark"), source("theme")),
        ("date_format", config.get("date_format", "iso"), source("date_format")),
    ]
    rows[1] = ("database", _hidden("database", rows[1][1]), rows[1][2])
    return rows


def known_binding_ids() -> set[str]:
    """Every binding id of the app, its screens and widgets (imports them all)."""
    return {binding.id for binding in all_bindings() if binding.id}


def all_bindings() -> list:
    """Every Binding with an id of the app, its screens and widgets, in source order."""
    import importlib
    import pkgutil

    from textual.binding import Binding

    import screens
    import tui.widgets

    found: dict[str, Binding] = {}
    modules = ["tui.app"] + [
        f"{package.__name__}.{info.name}"
        for package in (screens, tui.widgets)
        for info in pkgutil.iter_modules(package.__path__)
    ]
    for name in modules:
        module = importlib.import_module(name)
        classes = [value for value in vars(module).values() if isinstance(value, type)]
        for cls in classes:
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    found.setdefault(binding.id, binding)
    return list(found.values())


def run_config(args: argparse.Namespace, ctx) -> int:
    if args.keys:
        keymap = ctx.config.get("keys", {})
        for binding in all_bindings():
            key = keymap.get(binding.id, binding.key)
            print(f"{binding.id:<32} {key:<12} {binding.description}")
        return 0
    path = ctx.config_path
    state = "" if path is not None and path.exists() else " (not found: every setting has its default)"
    print(f"config file: {path}{state}")
    for key, value, where in in_force(args, ctx):
        print(f"{key:<12} {value}  ({where})")
    keys = ctx.config.get("keys", {})
    if keys:
        known = known_binding_ids()
        print("[keys]")
        for binding_id, value in keys.items():
            note = "" if binding_id in known else "  (unknown binding id: no key has it)"
            print(f"  {binding_id} = {value}{note}")
    sync = ctx.config.get("sync", {})
    if sync:
        print("[sync]")
        for key, value in sync.items():
            print(f"  {key} = {_hidden(key, value)}")
    return 0
