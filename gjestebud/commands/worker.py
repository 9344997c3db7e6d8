"""`gjestebud worker`: run background tasks."""

from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import with_appcontext
from huey import Huey


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run every pending task, then exit.")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
@with_appcontext
def command(burst: bool, workers: int) -> None:
    """Run the background task worker."""
    _log_to_stderr()
    huey = current_app.extensions["huey"]
    if burst:
        click.echo(f"Ran {run_burst(huey)} task(s).")
        return
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.run()


def run_burst(huey: Huey) -> int:
    """Run queued tasks and scheduled tasks that are due, until none are left; the count run."""
    ran = 0
    while True:
        # Scheduled tasks (e.g. e-mail retries) whose time has come join the queue first.
        for task in huey.read_schedule():
            huey.enqueue(task)
        task = huey.dequeue()
        if task is None:
            return ran
        if not huey.ready_to_run(task):
            huey.add_schedule(task)  # a retry queued with a delay: it waits for its time
            continue
        huey.execute(task)
        ran += 1


def _log_to_stderr() -> None:
    # The worker is a console process: show what it does (ids and statuses only, never
    # addresses or texts) unless the deployment has set up logging itself.
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
