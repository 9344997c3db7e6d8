"""`gjestebud mail`: check the e-mail settings and look into the outbox."""

from __future__ import annotations

from collections import Counter

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..services import mailer, outbox

group = click.Group("mail", help="E-mail: send a test message, see and deliver the outbox.")


@group.command("test")
@click.argument("address")
@click.option("--lang", type=click.Choice(["nb", "nn", "en"]), default="nb", show_default=True)
@click.option("--now", is_flag=True, help="Deliver in this process instead of via the worker.")
@with_appcontext
def test_command(address: str, lang: str, now: bool) -> None:
    """Queue a test message to ADDRESS."""
    try:
        message = outbox.queue_test_message(address, lang)
    except outbox.InvalidMessage as exc:
        raise click.BadParameter(str(exc), param_hint="ADDRESS") from exc
    db.session.commit()
    message_id = message.id
    if not now:
        click.echo(f"Queued message {message_id}; the worker delivers it (gjestebud worker).")
        return
    outcome = mailer.deliver(message_id)
    click.echo(f"Message {message_id}: {outcome.status}")
    if outcome.detail:
        click.echo(f"Server said: {outcome.detail}")
    if not current_app.config.get("SMTP_HOST") and outcome.status == "sent":
        click.echo(f"No SMTP host is set: the message is in {current_app.config['MAIL_FOLDER']}")


@group.command("status")
@click.option("--limit", default=20, show_default=True, help="Messages to list.")
@with_appcontext
def status_command(limit: int) -> None:
    """Count messages by status and list those that failed or are waiting."""
    counts = outbox.status_counts()
    click.echo("  ".join(f"{status}: {count}" for status, count in counts.items()))
    for message in outbox.list_messages(limit=limit):
        next_try = f"{message.next_attempt_at:%Y-%m-%d %H:%M}" if message.next_attempt_at else "-"
        click.echo(
            f"{message.id:>6}  {message.status:<8} {message.kind:<12} "
            f"attempts {message.attempts}  next {next_try}  {message.last_error or ''}".rstrip()
        )


@group.command("deliver")
@with_appcontext
def deliver_command() -> None:
    """Deliver every due message now, in this process."""
    outcomes = Counter(outcome.status for outcome in mailer.deliver_due())
    click.echo("  ".join(f"{status}: {count}" for status, count in sorted(outcomes.items()))
               or "Nothing was due.")
