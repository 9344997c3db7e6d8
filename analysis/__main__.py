"""Command line: `python -m analysis themes INPUT.csv --out OUT.json [options]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    themes = sub.add_parser("themes", help="group notes into themes and write OUT.json")
    themes.add_argument("input", help="CSV with columns id,text,question,location[,...]")
    themes.add_argument("--out", required=True, help="where to write the JSON result")
    themes.add_argument("--examples", help="CSV with columns id,text,theme (already filed notes)")
    themes.add_argument("--wordclouds", help="directory for word cloud PNG files")
    themes.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    themes.add_argument("--library", help="JSON list of themes known beforehand, each with a "
                        "label and optional description, examples and keywords")
    themes.add_argument("--no-library", action="store_true",
                        help="ignore --library (no themes known beforehand; the default)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = _parser().parse_args(argv)
    from . import run
    from .files import InputError, read_examples, read_library, read_notes
    from .types import Options

    try:
        notes = read_notes(args.input)
        examples = read_examples(args.examples) if args.examples else []
        library = read_library(args.library) if args.library and not args.no_library else []
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    options = Options(seed=args.seed, examples=tuple(examples), prior_themes=tuple(library))
    result = run(notes, options)
    out = Path(args.out)
    if out.parent != Path(""):
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(result.to_json(), encoding="utf-8")
    if args.wordclouds:
        from .wordclouds import write_all

        write_all(result, notes, args.wordclouds, seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
