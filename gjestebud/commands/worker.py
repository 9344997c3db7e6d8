"""`gjestebud worker`: run background tasks."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run every pending task, then exit.")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
@with_appcontext
def command(burst: bool, workers: int) -> None:
    """Run the background task worker."""
    huey = current_app.extensions["huey"]
    if burst:
        ran = 0
        while True:
            task = huey.dequeue()
            if task is None:
                break
            huey.execute(task)
            ran += 1
        click.echo(f"Ran {ran} task(s).")
        return
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.run()
