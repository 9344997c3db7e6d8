"""Wall time of an analysis run as the web app does it, at growing campaign sizes.

    python benchmarks/webapp.py --dev PATH/postits-dev.csv [--sizes 1000 10000]
                                [--database postgresql+psycopg://...] [--distinct]

For each size it makes a fresh campaign in a fresh database (a temporary SQLite file unless
`--database` names an empty PostgreSQL database, whose tables it drops afterwards), one meal per
place and target group of the source notes, and the notes themselves (sampled and perturbed as
in `scale.py`). Then it runs the background task an analyst starts, in this process, and prints
how long reading the notes, the pipeline, the word clouds and saving the result took, as the
run's own stages report them.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import synthesise  # noqa: E402


def _config(tmp: Path, database: str | None) -> dict:
    return {
        "SECRET_KEY": "benchmark-only",
        "SQLALCHEMY_DATABASE_URI": database or f"sqlite:///{tmp / 'bench.sqlite'}",
        "HUEY_IMMEDIATE": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PUBLIC_BASE_URL": "http://localhost",
        "SMTP_HOST": None,
        "MAIL_FOLDER": str(tmp / "outbox"),
    }


def _campaign(rows: list[dict]):
    """An open campaign with the places and target groups of `rows`, one meal for each pair."""
    from gjestebud.extensions import db
    from gjestebud.models import Organisation
    from gjestebud.services import campaigns, meals

    org = Organisation(name="Benchmark kommune", slug="benchmark")
    db.session.add(org)
    db.session.flush()
    places = sorted({r["location"] for r in rows})
    groups = sorted({r["target_group"] for r in rows})
    campaign = campaigns.create_campaign(org, campaigns.CampaignData(
        titles={"nb": "Benchmark"}, places=places, target_groups=groups, status="open"))
    db.session.flush()
    place_id = {p.name: p.id for p in campaign.places}
    group_id = {g.name: g.id for g in campaign.target_groups}
    meal_of = {}
    for place in places:
        for group in groups:
            meal, _token = meals.register_meal(campaign, meals.MealRegistration(
                host_name="Vert", place_id=place_id[place], target_group_id=group_id[group],
                held_on=date.today()))
            meal_of[(place, group)] = meal
    db.session.commit()
    return campaign, meal_of


def _add_notes(campaign, meal_of, rows: list[dict]) -> None:
    from gjestebud.extensions import db
    from gjestebud.services.notes import add_note

    questions = {q.code: q for q in campaign.questions}
    fallback = campaign.questions[0]
    for i, r in enumerate(rows):
        add_note(meal_of[(r["location"], r["target_group"])],
                 questions.get(r["question"], fallback), r["text"][:280], f"b{i}",
                 max_length=280, language=r["language"] or None)
        if i % 2000 == 1999:
            db.session.commit()
    db.session.commit()


class _Stages:
    """Times between the stages the run reports (its progress hook), by stage name."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.stage = "start"
        self.times: dict[str, float] = {}

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.times[self.stage] = self.times.get(self.stage, 0.0) + now - self.last
        self.stage, self.last = stage, now


def measure(dev: Path, n: int, database: str | None, distinct: bool) -> None:
    import sqlalchemy as sa

    from gjestebud import analysis_tasks, create_app
    from gjestebud.extensions import db
    from gjestebud.models import AnalysisRun
    from gjestebud.services import analysis_runs

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "notes.csv"
        synthesise(dev, n, data, distinct=distinct)
        with open(data, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        app = create_app(_config(tmp, database))
        with app.app_context():
            db.drop_all()
            db.create_all()
            try:
                campaign, meal_of = _campaign(rows)
                t0 = time.perf_counter()
                _add_notes(campaign, meal_of, rows)
                t_insert = time.perf_counter() - t0
                run, _created = analysis_runs.start_run(campaign, None)
                db.session.commit()
                stages = _Stages()
                original = analysis_tasks._progress

                def progress(run, value, stage):
                    stages(stage)
                    original(run, value, stage)

                analysis_tasks._progress = progress
                try:
                    t0 = time.perf_counter()
                    analysis_tasks.execute(run.id)
                    total = time.perf_counter() - t0
                finally:
                    analysis_tasks._progress = original
                stages("end")
                status = db.session.scalar(sa.select(AnalysisRun.status)
                                           .where(AnalysisRun.id == run.id))
                parts = "  ".join(f"{k} {v:.1f}" for k, v in stages.times.items()
                                  if k != "start")
                print(f"{n:>8} | {t_insert:>9.1f} | {total:>7.1f} | {status:>6} | {parts}",
                      flush=True)
            finally:
                db.session.remove()
                db.drop_all()
                db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dev", type=Path, required=True, help="notes CSV to sample from")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--database", help="an empty database URL (default: temporary SQLite)")
    parser.add_argument("--distinct", action="store_true",
                        help="make (almost) every note's text different from the others")
    args = parser.parse_args()
    print(f"{'notes':>8} | {'storing s':>9} | {'run s':>7} | {'status':>6} | seconds per stage")
    for n in args.sizes:
        measure(args.dev, n, args.database, args.distinct)


if __name__ == "__main__":
    main()
