"""Background tasks through Huey: SQLite storage by default, Redis when configured."""

from __future__ import annotations

from flask import Flask
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from . import analysis_tasks, reminder_tasks, retention_tasks, tasks


def make_huey(config: dict) -> Huey:
    """Build the task queue the configuration asks for."""
    if config.get("HUEY_IMMEDIATE"):
        return MemoryHuey("gjestebud", immediate=True)
    if config.get("REDIS_URL"):
        return RedisHuey("gjestebud", url=config["REDIS_URL"])
    return SqliteHuey("gjestebud", filename=config["HUEY_SQLITE_PATH"])


def init_app(app: Flask) -> None:
    huey = make_huey(app.config)
    app.extensions["huey"] = huey
    app.extensions[tasks.EXTENSION] = tasks.register(huey, app)
    app.extensions[analysis_tasks.EXTENSION] = analysis_tasks.register(huey, app)
    app.extensions[reminder_tasks.EXTENSION] = reminder_tasks.register(huey, app)
    app.extensions[retention_tasks.EXTENSION] = retention_tasks.register(huey, app)
    tasks.install_commit_hook()
