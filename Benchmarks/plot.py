"""Turns OperatorBenchmark's cold-start CSV into a PNG of time, CPU and memory against P.

    .venv/bin/python Benchmarks/plot.py docs/benchmarks/coldstart.csv docs/benchmarks/coldstart.png

Several runs of one runner and size are reduced to their median. Log-log axes: a straight line
of slope 1 is linear growth (a dotted line of slope 1 through the smallest size is drawn to compare).
"""

import csv
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)


def load(path):
    """{runner: {parents: {column: [values]}}} from the CSV, skipping empty fields."""
    table = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            for column, value in row.items():
                if value not in ("", None) and column not in ("runner", "parents"):
                    table[row["runner"]][int(row["parents"])][column].append(float(value))
    return table


def series(table, runner, column):
    points = sorted(
        (parents, statistics.median(columns[column]))
        for parents, columns in table[runner].items()
        if columns.get(column)
    )
    return [p for p, _ in points], [v for _, v in points]


COLORS = {"roperator": "tab:blue", "bare": "tab:orange", "kopf": "tab:green"}


def panel(axis, table, column, title, unit, runners):
    for runner in runners:
        xs, ys = series(table, runner, column)
        if xs:
            axis.plot(xs, ys, marker="o", label=runner, color=COLORS.get(runner))
            if len(xs) > 1 and ys[0] > 0:
                axis.plot(xs, [ys[0] * x / xs[0] for x in xs], linestyle=":", color="grey")
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_title(title)
    axis.set_xlabel("parents (P)")
    axis.set_ylabel(unit)
    axis.grid(True, which="both", alpha=0.3)
    axis.legend()


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot.py COLDSTART.csv OUTPUT.png")
    table = load(sys.argv[1])
    runners = [r for r in ("roperator", "bare", "kopf") if r in table]
    figure, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    panel(axes[0], table, "seconds", "cold start: time to converge", "seconds", runners)
    panel(axes[1], table, "cpu_s", "CPU seconds of the process doing the work", "CPU seconds", runners)
    panel(axes[2], table, "peak_rss_mb", "operator peak RSS", "MB", [r for r in runners if r != "bare"])
    figure.suptitle("OperatorBenchmark cold start (dotted: linear in P)")
    figure.tight_layout()
    figure.savefig(sys.argv[2], dpi=100)


if __name__ == "__main__":
    main()
