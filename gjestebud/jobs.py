"""Background tasks through Huey: SQLite storage by default, Redis when configured."""

from __future__ import annotations

from flask import Flask
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey


def make_huey(config: dict) -> Huey:
    """Build the task queue the configuration asks for."""
    if config.get("HUEY_IMMEDIATE"):
        return MemoryHuey("gjestebud", immediate=True)
    if config.get("REDIS_URL"):
        return RedisHuey("gjestebud", url=config["REDIS_URL"])
    return SqliteHuey("gjestebud", filename=config["HUEY_SQLITE_PATH"])


def init_app(app: Flask) -> None:
    app.extensions["huey"] = make_huey(app.config)
