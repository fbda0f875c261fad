#!/usr/bin/env python3
"""make_attempts.py: writes the golden scenes' attempts as impressions CSVs.

  pad_attempt.csv   the default pad lesson (pad-even-spacing): a jittered
                    field at the target 40/cm2 with a sparse patch, a dense
                    patch, a row placed too deep (blowout), a corner too
                    shallow (fades) and strays outside the zone
  head_attempt.csv  the default head lesson (head-frontal-shaved): the zone
                    at 30/cm2 behind a soft hairline, a too-deep patch at
                    the left temple and a sparse patch at the right

Deterministic (its own LCG, no clock); regenerate only on purpose (see
README.md next to it). Python 3 standard library only.
"""
import math
import os
import sys


class Lcg:
    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFFFFFFFFFF

    def unit(self):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return ((self.s >> 11) & ((1 << 53) - 1)) / float(1 << 53)


def jittered(rng, x0, x1, y0, y1, per_cm2):
    step = 10.0 / math.sqrt(per_cm2)
    y = y0 + 0.5 * step
    while y < y1:
        x = x0 + 0.5 * step
        while x < x1:
            yield (x + (rng.unit() - 0.5) * 0.8 * step, y + (rng.unit() - 0.5) * 0.8 * step)
            x += step
        y += step


def pad(path):
    rng = Lcg(7)
    rows = []
    for x, y in jittered(rng, 20, 80, 30, 70, 40):
        if 58 < x < 74 and 52 < y < 66:
            if rng.unit() < 0.6:          # a sparse patch: most dots missing
                continue
        depth = 0.6 + 0.5 * rng.unit()
        if 66 < y < 69:
            depth = 2.2 + 0.6 * rng.unit()  # a row too deep
        if x < 34 and y < 40:
            depth = 0.05 + 0.05 * rng.unit()  # a corner too shallow
        rows.append((x, y, 0.0, depth, "0603RL"))
    for x, y in jittered(rng, 26, 38, 44, 56, 80):  # a dense patch on top
        rows.append((x, y, 0.0, 0.6 + 0.5 * rng.unit(), "0603RL"))
    for _ in range(14):                                # strays outside the zone
        rows.append((82 + 8 * rng.unit(), 35 + 30 * rng.unit(), 0.0, 0.8, "0603RL"))
    write(path, rows)


CHART_R = 95.0
CENTRE = (0.0, 30.0, -10.0)


def head_point(u, v, radius=100.0):
    """A point along the chart direction (u, v); the CSV reader projects it
    onto the head."""
    theta = math.hypot(u, v) / CHART_R
    phi = math.atan2(u, v)
    d = (math.sin(theta) * math.sin(phi), math.cos(theta), math.sin(theta) * math.cos(phi))
    return tuple(CENTRE[k] + radius * d[k] for k in range(3))


def hairline_v(u):
    # the lesson's hairline: [-60,80] [-40,90] [-20,94] [0,95] [20,94] [40,90] [60,80]
    pts = [(-60, 80), (-40, 90), (-20, 94), (0, 95), (20, 94), (40, 90), (60, 80)]
    for (a, va), (b, vb) in zip(pts, pts[1:]):
        if a <= u <= b:
            return va + (vb - va) * (u - a) / (b - a)
    return 80.0


def head(path):
    rng = Lcg(11)
    rows = []
    for u, v in jittered(rng, -60, 60, 20, 96, 30):
        edge = hairline_v(u)
        if v > edge:
            continue
        if v > edge - 8 and rng.unit() < (v - (edge - 8)) / 8:  # a soft transition
            continue
        if -52 < u < -34 and 40 < v < 62 and rng.unit() < 0.7:    # sparse at the right
            continue
        depth = 0.6 + 0.5 * rng.unit()
        if 34 < u < 54 and 45 < v < 68:
            depth = 2.0 + 0.8 * rng.unit()                          # blowout at the left
        x, y, z = head_point(u, v)
        rows.append((x, y, z, depth, "0603RL"))
    write(path, rows)


def write(path, rows):
    with open(path, "w") as f:
        f.write("x_mm,y_mm,z_mm,depth_mm,needle\n")
        for r in rows:
            f.write("%.3f,%.3f,%.3f,%.3f,%s\n" % r)
    print("%s: %d impressions" % (path, len(rows)))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else here
    pad(os.path.join(out, "pad_attempt.csv"))
    head(os.path.join(out, "head_attempt.csv"))
