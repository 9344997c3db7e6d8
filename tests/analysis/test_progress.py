"""Progress reports: a caller can follow a run stage by stage without changing its result."""

from __future__ import annotations

import pytest

from analysis import Note, Options, run
from analysis.pipeline import STAGES


def test_progress_goes_through_the_stages_in_order_and_ends_at_one(notes, result):
    heard: list[tuple[float, str]] = []
    again = run(notes, Options(progress=lambda fraction, stage: heard.append((fraction, stage))))

    stages = list(dict.fromkeys(stage for _fraction, stage in heard))
    assert stages[0] == "preparing" and stages[-1] == "done"
    assert {"language", "features", "filing", "clustering", "labels", "statistics"} <= set(stages)
    assert set(stages) <= set(STAGES)
    fractions = [fraction for fraction, _stage in heard]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in fractions)
    # Following the run changes nothing in what it finds.
    assert again.to_json() == result.to_json()


def test_no_notes_still_reports_done():
    heard = []
    run([], Options(progress=lambda fraction, stage: heard.append((fraction, stage))))
    assert heard == [(1.0, "done")]


def test_a_callback_that_raises_stops_the_run(notes):
    class Stop(Exception):
        pass

    def stop_at_clustering(_fraction: float, stage: str) -> None:
        if stage == "clustering":
            raise Stop

    with pytest.raises(Stop):
        run(notes, Options(progress=stop_at_clustering))


def test_options_with_a_callback_compare_like_options_without():
    assert Options(progress=print) == Options()
    assert "progress" not in repr(Options(progress=print))
    assert run([Note("a", "Mer buss")], Options(progress=lambda *_: None)).n_notes == 1
