"""Benchmark runner: prints medians, each beside a baseline measured in the same run, and ratios.

    python benchmarks/run.py            # the full set (about half a minute)
    python benchmarks/run.py --quick    # fewer repeats

Numbers, never pass/fail for the test suite: machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.engine import Result, close_while_held, delay_to_received, many_runs, run_cycle
from benchmarks.poll import answer_to_bar, answers_per_second
from benchmarks.quit import quit_times
from benchmarks.realbroker import all_results as real_broker
from benchmarks.ui import idle_cpu, keypress_to_row, launch_instructions, launch_to_first_paint


def _print(results: list[Result]) -> None:
    header = f"{'benchmark':<36} {'tutor':>10} {'baseline':>10} {'ratio':>7}  goal / baseline"
    print(header)
    print("-" * len(header))
    for r in results:
        mark = "met" if r.met else "MISSED"
        print(
            f"{r.name:<36} {r.tutor:>8.1f}{r.unit[:2]:>2} {r.baseline:>8.1f}{r.unit[:2]:>2} "
            f"{r.ratio:>7.3f}  {r.goal} [{mark}] vs {r.baseline_label}"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--only", default=None, help="only the benchmarks whose label has this")
    args = parser.parse_args(argv)
    repeats = 4 if args.quick else 12
    runs = 50 if args.quick else 200
    results: list[Result] = []
    logging.disable(logging.CRITICAL)  # a baseline (start_worker) sends Celery's logs to stderr
    for label, bench in (
        # the issue asks for at least 12 launches; a median of 24 moves less with the VM's noise
        ("launch in tmux", lambda: launch_to_first_paint(max(12, repeats * 2))),
        ("launch instructions (valgrind)", launch_instructions),
        ("quit in tmux", lambda: quit_times(max(3, repeats // 2))),
        ("delay → received", lambda: [delay_to_received(max(2, repeats // 3))]),
        ("run cycle", lambda: [run_cycle(repeats * 2)]),
        ("close while held", lambda: [close_while_held(repeats * 2)]),
        (f"{runs} runs", lambda: many_runs(runs)),
        ("keypress", lambda: [keypress_to_row(max(2, repeats // 4))]),
        ("idle lesson", lambda: [idle_cpu(2.0 if args.quick else 5.0)]),
        ("class poll", lambda: [answers_per_second(rounds=repeats // 2), answer_to_bar(repeats)]),
        ("real broker (Redis)", lambda: real_broker(max(3, repeats // 2))),
    ):
        if args.only and args.only not in label:
            continue
        print(f"measuring {label}…", file=sys.stderr, flush=True)
        results.extend(bench())
    _print(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
