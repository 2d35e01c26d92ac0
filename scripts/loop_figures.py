#!/usr/bin/env python3
"""Draws docs/loop-figures.svg from the 90-day simulation's figures.

  ./build/recall_tests "[.loop-figures]" -s | grep '^csv,' > /tmp/loop.csv
  python3 scripts/loop_figures.py /tmp/loop.csv docs/loop-figures.svg

Two panels, one line per tracker: recall's readiness figure after each daily
sync, and the Knowledge Gaps lines (solid: all of them; dashed: recall's own).
Standard library only.
"""
import csv
import sys

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
W, H, PAD = 720, 250, 48


def panel(series, top, title, y_max, y_label):
    out = [f'<text x="{PAD}" y="{top + 16}" font-weight="bold">{title}</text>']
    x0, y0, x1, y1 = PAD, top + 28, W - 16, top + H - 30
    out.append(f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="none" stroke="#999"/>')
    days = max(len(points) for _, _, points, _ in series)
    for tick in range(0, days + 1, 15):
        x = x0 + (x1 - x0) * tick / max(1, days - 1)
        out.append(f'<text x="{x:.1f}" y="{y1 + 14}" font-size="10" text-anchor="middle">{tick}</text>')
    for frac in (0, 0.25, 0.5, 0.75, 1):
        y = y1 - (y1 - y0) * frac
        out.append(f'<line x1="{x0}" x2="{x1}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{x0 - 4}" y="{y + 3:.1f}" font-size="10" text-anchor="end">{y_max * frac:g}</text>')
    out.append(f'<text x="12" y="{(y0 + y1) / 2}" font-size="10" transform="rotate(-90 12 {(y0 + y1) / 2})" text-anchor="middle">{y_label}</text>')
    for name, colour, points, dashed in series:
        path = " ".join(
            f"{x0 + (x1 - x0) * i / max(1, days - 1):.1f},{y1 - (y1 - y0) * min(v, y_max) / y_max:.1f}"
            for i, v in enumerate(points))
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.6"{dash}/>')
    return out


def main(source, target):
    rows = {}
    with open(source) as f:
        for row in csv.DictReader(f):
            rows.setdefault(row["tracker"], []).append(row)
    names = list(rows)
    readiness = [(n, COLOURS[i % 4], [int(r["readiness"]) for r in rows[n]], False)
                 for i, n in enumerate(names)]
    lines = []
    for i, n in enumerate(names):
        lines.append((n, COLOURS[i % 4], [int(r["gap_lines"]) for r in rows[n]], False))
        lines.append((n, COLOURS[i % 4], [int(r["recall_lines"]) for r in rows[n]], True))
    most = max(max(p) for _, _, p, _ in lines)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{2 * H + 40}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="100%" height="100%" fill="white"/>']
    svg += panel(readiness, 0, "Recall Readiness after each daily sync (%)", 100, "%")
    svg += panel(lines, H, "Knowledge Gaps lines (solid: all; dashed: recall's own)",
                 max(10, (most + 9) // 10 * 10), "lines")
    for i, n in enumerate(names):
        x = PAD + i * (W - PAD) // max(1, len(names))
        svg.append(f'<line x1="{x}" x2="{x + 18}" y1="{2 * H + 24}" y2="{2 * H + 24}" '
                   f'stroke="{COLOURS[i % 4]}" stroke-width="2"/>')
        svg.append(f'<text x="{x + 24}" y="{2 * H + 28}">{n}</text>')
    svg.append(f'<text x="{W - 16}" y="{2 * H + 28}" text-anchor="end" font-size="10">day</text>')
    svg.append("</svg>")
    with open(target, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
