# SPDX-License-Identifier: GPL-2.0
"""Reading a lesson's trace (toytrace --json): the records of one port."""
import json
import sys


def load(path, port=None):
    """The records of the trace, those whose src or dst ends in :PORT."""
    recs = []
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if port is None or any(str(r.get(k, "")).endswith(":%s" % port)
                                   for k in ("src", "dst")):
                recs.append(r)
    return recs


def sent(recs, side=None):
    return [r for r in recs if r["event"] == "toy_segment_send"
            and (side is None or r.get("side") == side)]


def states(recs, side):
    """The new states SIDE went through, in order."""
    return [r["newstate"] for r in recs
            if r["event"] == "toy_state_change" and r.get("side") == side]


def expect(cond, what):
    """Exit 1 with WHAT unless COND: the check's reason."""
    if not cond:
        print("# %s" % what)
        sys.exit(1)
