#!/usr/bin/env python3
"""The simulation's chart: bench/sim_chart.py SIMULATION.csv SUMMARY.csv OUT.png

Reads what `Simulate --out` wrote (the workers per five minutes, and one line per strategy) and
draws two panels: the day's work against the workers each strategy pays for, and each strategy's
cost for the day with its p99 queueing delay.
"""

import csv
import sys

COLOURS = {
    "on-demand": "#d62728",
    "fixed-peak": "#ff7f0e",
    "fixed-mean": "#9467bd",
    "autoscaled": "#2ca02c",
    "autoscaled-min1": "#17becf",
}


def seconds(v):
    if v == 0:
        return "0"
    if v < 1:
        return "%.0f ms" % (v * 1000)
    if v < 100:
        return "%.1f s" % v
    if v < 3600:
        return "%.0f s" % v
    return "%.1f h" % (v / 3600)


def main(series_path, summary_path, out):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with open(series_path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(summary_path, encoding="utf-8") as f:
        summary = list(csv.DictReader(f))
    hours = [float(r["minute"]) / 60 for r in rows]

    fig, (left, right) = plt.subplots(
        1, 2, figsize=(13, 6), dpi=110, gridspec_kw={"width_ratios": [1.5, 1]}
    )
    left.fill_between(
        hours,
        [float(r["offered_workers"]) for r in rows],
        step="post",
        color="#bbbbbb",
        label="work submitted (busy workers)",
    )
    for s in summary:
        column = s["key"] + "_workers"
        if s["key"] == "autoscaled-min1" or column not in rows[0]:
            continue  # all but on top of min 0's line
        left.step(
            hours,
            [float(r[column]) for r in rows],
            where="post",
            color=COLOURS.get(s["key"]),
            label=s["name"],
            linewidth=1.4,
        )
    left.set_yscale("log")
    left.set_xlim(0, 24)
    left.set_xticks(range(0, 25, 3))
    left.set_xlabel("hour of the day (all accounts together)")
    left.set_ylabel("workers paid for (log scale)")
    left.set_title("Workers paid for, every five minutes")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2)

    names = [s["name"] for s in summary]
    costs = [float(s["cost_usd"]) for s in summary]
    bars = right.barh(
        range(len(summary)), costs, color=[COLOURS.get(s["key"], "#777777") for s in summary]
    )
    right.set_yticks(range(len(summary)))
    right.set_yticklabels(names, fontsize=8)
    right.invert_yaxis()
    right.set_xlabel("cost for the day, USD")
    right.set_title("Cost, and p99 queueing delay")
    right.set_xlim(0, max(costs) * 1.45)
    for bar, s in zip(bars, summary):
        right.text(
            bar.get_width() + max(costs) * 0.02,
            bar.get_y() + bar.get_height() / 2,
            "$%.0f, p99 %s" % (float(s["cost_usd"]), seconds(float(s["p99_s"]))),
            va="center",
            fontsize=8,
        )
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
