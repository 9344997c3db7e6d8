"""Wall time and peak memory of the CLI at growing sizes, next to a plain TF-IDF + NMF run.

    python benchmarks/scale.py --dev PATH/postits-dev.csv [--sizes 1000 10000 100000]
                               [--examples N] [--distinct]

Larger sets are made inside this script by sampling the given notes and perturbing them (word
drops, swapped letters, words borrowed from other notes), so they have realistic length and
vocabulary growth. Each run is a fresh subprocess; peak memory is its maximum resident set size.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NMF_CODE = """
import csv, sys
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
with open(sys.argv[1], encoding="utf-8", newline="") as fh:
    texts = [r["text"] for r in csv.DictReader(fh)]
x = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
NMF(n_components=int(sys.argv[2]), init="nndsvda", random_state=0, max_iter=400).fit_transform(x)
"""


def _perturb(text: str, donors: list[str], rng: random.Random) -> str:
    words = text.split()
    if len(words) > 2 and rng.random() < 0.3:
        words.pop(rng.randrange(len(words)))
    if words and rng.random() < 0.2:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 3:
            j = rng.randrange(len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    if rng.random() < 0.3:
        words.append(rng.choice(rng.choice(donors).split() or [""]))
    return " ".join(words)


def synthesise(source: Path, n: int, out: Path, seed: int = 0, distinct: bool = False) -> int:
    """Write `n` notes sampled from `source`; returns how many distinct texts they hold.

    With `distinct`, a note whose text came out the same as an earlier one is perturbed again
    (up to 50 times), so that almost every note is different, as in a large real campaign.
    """
    with open(source, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rng = random.Random(seed)
    donors = [r["text"] for r in rows]
    seen: set[str] = set()
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text", "question", "location", "target_group", "language"])
        for i in range(n):
            r = rng.choice(rows)
            text = r["text"] if i < len(rows) else _perturb(r["text"], donors, rng)
            tries = 0
            while distinct and text in seen and tries < 50:
                text = _perturb(text, donors, rng)
                tries += 1
            seen.add(text)
            writer.writerow([f"s{i:06d}", text, r["question"], r["location"],
                             r["target_group"], r["language"]])
    return len(seen)


def write_examples(source: Path, n: int, out: Path, seed: int = 1) -> None:
    """`n` notes of the source with their `theme` column, as an analyst's filed examples."""
    with open(source, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("theme")]
    rng = random.Random(seed)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text", "theme"])
        for i, r in enumerate(rng.sample(rows, min(n, len(rows)))):
            writer.writerow([f"x{i:04d}", r["text"], r["theme"]])


def measure(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak resident MiB) of one subprocess."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dev", type=Path, required=True, help="notes CSV to sample from")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--nmf-k", type=int, default=16, help="topics for the NMF baseline")
    parser.add_argument("--wordclouds", action="store_true", help="also time word clouds")
    parser.add_argument("--distinct", action="store_true",
                        help="make (almost) every note's text different from the others")
    parser.add_argument("--examples", type=int, default=0,
                        help="also pass this many filed examples (needs a theme column)")
    args = parser.parse_args()
    print(f"{'notes':>8} {'distinct':>8} | {'pipeline s':>10} {'MiB':>6} | "
          f"{'TF-IDF+NMF s':>12} {'MiB':>6} | ratio")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            data = Path(tmp) / f"notes-{n}.csv"
            distinct = synthesise(args.dev, n, data, distinct=args.distinct)
            cmd = [sys.executable, "-m", "analysis", "themes", str(data),
                   "--out", str(Path(tmp) / f"out-{n}.json")]
            if args.wordclouds:
                cmd += ["--wordclouds", str(Path(tmp) / f"clouds-{n}")]
            if args.examples:
                examples = Path(tmp) / "examples.csv"
                write_examples(args.dev, args.examples, examples)
                cmd += ["--examples", str(examples)]
            t_pipe, m_pipe = measure(cmd)
            t_nmf, m_nmf = measure([sys.executable, "-c", NMF_CODE, str(data), str(args.nmf_k)])
            print(f"{n:>8} {distinct:>8} | {t_pipe:>10.1f} {m_pipe:>6.0f} | "
                  f"{t_nmf:>12.1f} {m_nmf:>6.0f} | {t_pipe / t_nmf:5.1f}x", flush=True)


if __name__ == "__main__":
    main()
