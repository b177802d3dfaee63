#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""toytrace: watch AF_TOY segments as a ladder diagram, from the module's
trace events (module/trace.h, system "toy"), read from a tracefs instance
of its own. No bpftrace, no debug kernel: the stock kernel's tracefs.

    toytrace [--port P] [--addr IP] [--conn IP:P,IP:P]     live ladder
    toytrace --csv | --json                                one record per event
    toytrace --file saved.trace                            a saved `trace` file

The ladder has host A (the end that sent the first SYN) on the left, host B
on the right, one arrow per segment with its flags, seq and ack relative to
each side's initial sequence number (as Wireshark shows them), length and
window; each side's state when it changes; in the margin retransmissions
(with their reason), timeouts (with the backoff), drops (with the counter
they are counted in) and cwnd changes; the time since the start on every
line. A segment sent and never received ends in the middle, "X lost".
Beyond --rate lines per second (of trace time) on a connection, the rest
of that second's arrows and cwnd changes are summarised in one line per
direction, and the ladder says so; SYN, FIN and RST segments, lost ones,
retransmissions, timeouts and drops are always drawn.

Exit: --count N records, --duration S seconds, or SIGINT/SIGTERM; the
tracefs instance (instances/toytrace-PID) is removed in every case.
"""
import argparse
import csv
import json
import os
import re
import select
import signal
import sys
import time

TRACEFS = ("/sys/kernel/tracing", "/sys/kernel/debug/tracing")
MARK = "toytrace-start"
LINE_RE = re.compile(r"\s(\d+\.\d+):\s+(toy_\w+|tracing_mark_write):\s?(.*)$")
LISTENER = "0.0.0.0:0"
SEGMENT_EVENTS = ("toy_segment_send", "toy_segment_recv", "toy_segment_drop")
# every field module/trace.h prints, in CSV column order after our own
CSV_FIELDS = [
    "t", "event", "conn", "side", "netns", "netns_cookie", "src", "dst",
    "flags", "seq", "ack", "rseq", "rack", "len", "win", "mss", "ts",
    "tsval", "tsecr", "nsack", "sack", "rsack", "reason", "oldstate",
    "newstate", "end_seq", "rend_seq", "retrans", "snd_una", "snd_max",
    "snd_nxt", "snd_wnd", "backoff", "retries", "rto_us", "cwnd",
    "ssthresh", "srtt_us", "rttvar_us", "sacked_out", "dupacks", "ca_state",
    "dir", "old_wnd", "new_wnd", "probes", "cookie", "extra"]
MOD32 = 1 << 32


def parse_line(line):
    """One line of `trace` or `trace_pipe` -> a dict, or None if it is not
    a toy event (or our start mark). Numbers become ints."""
    m = LINE_RE.search(line)
    if not m:
        return None
    stamp, event, body = m.groups()
    rec = {"time": float(stamp), "event": event}
    if event == "tracing_mark_write":
        rec["mark"] = body.strip()
        return rec
    for kv in body.split():
        k, sep, v = kv.partition("=")
        if sep:
            rec[k] = int(v) if v.isdigit() else v
    return rec


def hnum(n):
    """12345678 -> '12.3M': numbers a summary line can afford."""
    for div, suf in ((1 << 30, "G"), (1 << 20, "M"), (1 << 10, "k")):
        if n >= div and (n >= 10 * div or suf != "k"):
            return "%.1f%s" % (n / div, suf)
    return str(n)


class Filter:
    """--port, --addr, --conn: which events to keep."""

    def __init__(self, ports, addrs, conn):
        self.ports = set(ports or ())
        self.addrs = set(addrs or ())
        self.conn = None
        if conn:
            ends = conn.split(",")
            if len(ends) != 2 or any(":" not in e for e in ends):
                raise ValueError("--conn wants IP:PORT,IP:PORT, not %r" % conn)
            self.conn = frozenset(ends)

    def kernel_filter(self):
        """A tracefs filter for the ports: fewer events to copy and parse."""
        ports = set(self.ports)
        if self.conn:
            ports |= {int(e.rsplit(":", 1)[1]) for e in self.conn}
            if self.ports:
                ports = self.ports
        if not ports or len(ports) > 8:
            return None
        return " || ".join("sport == %d || dport == %d" % (p, p)
                           for p in sorted(ports))

    def __call__(self, rec):
        src, dst = rec.get("src", ""), rec.get("dst", "")
        if self.conn and {src, dst} != self.conn and not (
                dst == LISTENER and src in self.conn):
            return False
        if self.ports:
            sp = int(src.rsplit(":", 1)[-1] or 0) if src else 0
            dp = int(dst.rsplit(":", 1)[-1] or 0) if dst else 0
            if sp not in self.ports and dp not in self.ports:
                return False
        if self.addrs:
            if src.rsplit(":", 1)[0] not in self.addrs and \
               dst.rsplit(":", 1)[0] not in self.addrs:
                return False
        return True


class Conn:
    """A connection: its two ends (A left, B right), each end's ISN (the
    base of relative numbers), state and last cwnd."""

    def __init__(self, num, a, b):
        self.num, self.a, self.b = num, a, b
        self.base = {}
        self.state = {a: "CLOSE", b: "CLOSE"}
        self.cwnd = {}
        self.netns = {}

    def side(self, end):
        return "A" if end == self.a else "B"

    def rel(self, end, value):
        """value relative to end's initial sequence number"""
        if end not in self.base:
            self.base[end] = value
        return (value - self.base[end]) % MOD32


class Tracker:
    """Names connections and ends and makes numbers relative: what the
    ladder, the CSV and the JSON share."""

    def __init__(self):
        self.conns = {}
        self.t0 = None

    def conn_of(self, rec):
        src, dst = rec.get("src"), rec.get("dst")
        if not src or not dst or dst == LISTENER:
            return None
        key = frozenset((src, dst))
        c = self.conns.get(key)
        if c:
            return c
        ev = rec["event"]
        # A is the end that opened: the SYN's sender, the SYN_SENT socket
        a = src
        if ev == "toy_state_change" and rec.get("newstate") == "SYN_RECV":
            a = dst
        elif ev in ("toy_segment_recv", "toy_segment_drop") and \
                rec.get("flags") == "SYN|ACK":
            a = dst
        elif ev == "toy_segment_send" and rec.get("flags") == "SYN|ACK":
            a = dst
        c = Conn(len(self.conns) + 1, a, dst if a == src else src)
        self.conns[key] = c
        return c

    def annotate(self, rec):
        """Add t, conn, side and the relative numbers to rec."""
        if self.t0 is None:
            self.t0 = rec["time"]
        rec["t"] = round(rec["time"] - self.t0, 6)
        c = self.conn_of(rec)
        if c is None:
            return None
        ev = rec["event"]
        src, dst = rec["src"], rec["dst"]
        local = dst if ev in ("toy_segment_recv", "toy_segment_drop") else src
        rec["conn"] = c.num
        rec["side"] = c.side(local)
        if "netns" in rec:
            c.netns.setdefault(local, rec["netns"])
        if ev in SEGMENT_EVENTS:
            flags = rec.get("flags", "")
            if "SYN" in flags.split("|") and ev != "toy_segment_drop":
                c.base.setdefault(src, rec["seq"])
            rec["rseq"] = c.rel(src, rec["seq"])
            if "ACK" in flags.split("|"):
                rec["rack"] = c.rel(dst, rec["ack"])
            n = rec.get("nsack", 0)
            if n:
                blocks = rec.get("sack", "").split(",")[:n]
                rec["rsack"] = " ".join(
                    "%d-%d" % (c.rel(dst, int(s)), c.rel(dst, int(e)))
                    for s, e in (b.split(":") for b in blocks))
        elif ev == "toy_retransmit":
            rec["rseq"] = c.rel(src, rec["seq"])
            rec["rend_seq"] = c.rel(src, rec["end_seq"])
        return c


class Ladder:
    """The two-column ladder diagram, in time order. A segment's arrow
    waits (at most --hold seconds) for its toy_segment_recv at the other
    end, so that it can reach the other column or stop in the middle."""

    W = 64

    def __init__(self, out, tracker, rate, hold):
        self.out = out
        self.tr = tracker
        self.rate = rate
        self.hold = hold
        self.queue = []         # [time, wall, ready, text-maker, rec, conn]
        self.pending = {}       # segment key -> queued sends
        self.now = 0.0
        self.bin = None
        self.lines = {}         # conn -> lines printed in the current second
        self.summ = {}          # (conn, side) -> summary of the second
        self.said_rate = False
        self.header_done = set()

    @staticmethod
    def key(rec, tsval=True):
        k = (rec["src"], rec["dst"], rec["seq"], rec["ack"],
             rec.get("flags", ""), rec["len"])
        return k + (rec.get("tsval"),) if tsval else k

    def add(self, rec, c):
        self.now = max(self.now, rec["time"])
        ev = rec["event"]
        if c is None:
            if ev == "toy_state_change" and rec.get("dst") == LISTENER:
                self._queue(rec, None, ready=True)
            return
        item = None
        if ev == "toy_segment_send":
            item = self._queue(rec, c, ready=False)
            self.pending.setdefault(self.key(rec), []).append(item)
            self.pending.setdefault(self.key(rec, False), []).append(item)
        elif ev in ("toy_segment_recv", "toy_segment_drop"):
            got = self.pending.get(self.key(rec, ev == "toy_segment_recv"))
            if got:
                item = got.pop(0)
                self._unpend(item)
                item[2] = True
                item[4]["fate"] = "dropped" if ev == "toy_segment_drop" \
                    else "received"
                if ev == "toy_segment_drop":
                    item[4]["drop"] = rec.get("reason")
            elif ev == "toy_segment_drop":
                self._queue(rec, c, ready=True)
            else:   # a recv with no send seen (sent before we started)
                rec["fate"] = "received"
                rec["event"] = "toy_segment_send"
                self._queue(rec, c, ready=True)
        else:
            self._queue(rec, c, ready=True)
        self.flush()

    def _queue(self, rec, c, ready):
        item = [rec["time"], time.monotonic(), ready, None, rec, c]
        self.queue.append(item)
        return item

    def _unpend(self, item):
        for tsval in (True, False):
            lst = self.pending.get(self.key(item[4], tsval))
            if lst and item in lst:
                lst.remove(item)

    def flush(self, final=False):
        wall = time.monotonic()
        while self.queue:
            item = self.queue[0]
            if not (item[2] or final or self.now - item[0] > self.hold or
                    wall - item[1] > self.hold + 0.5):
                break
            self.queue.pop(0)
            if not item[2]:
                self._unpend(item)
                item[4]["fate"] = "lost"
            self.emit(item[4], item[5])
        if final:
            self.end_bin()

    # ---- printing --------------------------------------------------------
    def line(self, rec, c, left="", mid="", right="", margin=""):
        tag = "#%d" % c.num if c else ""
        if mid:
            mid = "|" + mid + "|"
        else:
            mid = "|" + " " * self.W + "|"
        s = "%10.6f %3s %11s %s %-11s %s" % (rec["t"], tag, left, mid, right,
                                            margin)
        self.out.write(s.rstrip() + "\n")

    def header(self, c):
        """The connection's first line; its ends' namespaces when known"""
        for end in (c.a, c.b):
            if (c.num, end) not in self.header_done and end in c.netns:
                self.header_done.add((c.num, end))
                if c.num in self.header_done:
                    self.out.write("# connection #%d: %s %s is in netns %s\n"
                                   % (c.num, c.side(end), end, c.netns[end]))
        if c.num in self.header_done:
            return
        self.header_done.add(c.num)
        na, nb = c.netns.get(c.a, "?"), c.netns.get(c.b, "?")
        self.out.write("# connection #%d: A %s (netns %s) <-> B %s (netns %s)\n"
                       % (c.num, c.a, na, c.b, nb))
        self.out.write("%10s %3s %11s %s %-11s %s\n" % (
            "t (s)", "", "A", "|" + ("A " + c.a).ljust(self.W // 2) +
            ("B " + c.b).rjust(self.W - self.W // 2) + "|", "B", "margin"))

    def arrow(self, rec, c):
        # SYN+ACK, as the tutorials write it ('|' separates the columns)
        flags = (rec.get("flags") or "-").replace("|", "+")
        parts = [flags, "seq=%d" % rec["rseq"]]
        if "rack" in rec:
            parts.append("ack=%d" % rec["rack"])
        parts += ["len=%d" % rec["len"], "win=%d" % rec.get("win", 0)]
        if rec.get("mss"):
            parts.append("mss=%d" % rec["mss"])
        if rec.get("rsack"):
            parts.append("sack=" + rec["rsack"].replace(" ", ","))
        label = " ".join(parts)
        w = self.W
        fate = rec.get("fate", "received")
        right = rec["src"] == c.a       # A -> B
        if fate == "received":
            body = "--" + label + " "
            mid = (body + "-" * max(1, w - len(body) - 1) + ">") if right else \
                ("<" + "-" * max(1, w - len(body) - 1) + " " + label + "--")
        else:
            why = "lost" if fate == "lost" else "dropped: %s" % rec.get("drop")
            if right:
                mid = ("--" + label + " --X " + why).ljust(w)
            else:
                mid = (why + " X-- " + label + "--").rjust(w)
        return mid

    def emit(self, rec, c):
        if c is None:           # a listener's state
            self.out.write("%10.6f %3s listener %s: %s -> %s\n" % (
                rec["t"], "", rec["src"], rec.get("oldstate"),
                rec.get("newstate")))
            return
        self.header(c)
        sec = int(rec["t"])
        if sec != self.bin:
            self.end_bin()
            self.bin, self.lines = sec, {}
        ev = rec["event"]
        side = rec["side"]
        # per connection, and never a SYN, FIN or RST nor a lost segment:
        # a bulk transfer hides neither another connection nor its own
        # start, end and losses
        summarise = self.rate and self.lines.get(c.num, 0) >= self.rate and \
            not any(f in rec.get("flags", "") for f in ("SYN", "FIN", "RST")) \
            and rec.get("fate", "received") == "received"
        if ev == "toy_state_change":
            c.state[c.a if side == "A" else c.b] = rec["newstate"]
            st = rec["newstate"]
            self.line(rec, c, st if side == "A" else "", "",
                      st if side == "B" else "")
            return
        # retransmissions, timeouts and drops are always marked
        if summarise and ev in ("toy_segment_send", "toy_ack",
                                "toy_window_update"):
            self.summarise(rec, c)
            return
        if ev == "toy_segment_send":
            self.lines[c.num] = self.lines.get(c.num, 0) + 1
            self.line(rec, c, mid=self.arrow(rec, c))
            return
        margin = self.margin(rec, c)
        if margin:
            self.lines[c.num] = self.lines.get(c.num, 0) + 1
            self.line(rec, c, margin=margin)

    def margin(self, rec, c):
        ev, side = rec["event"], rec["side"]
        if ev == "toy_retransmit":
            return "%s: retransmit seq=%d-%d (%s, #%d)" % (
                side, rec["rseq"], rec["rend_seq"], rec.get("reason"),
                rec.get("retrans", 0))
        if ev == "toy_rto":
            return "%s: RTO backoff=%d rto=%dms cwnd=%d" % (
                side, rec.get("backoff", 0), rec.get("rto_us", 0) // 1000,
                rec.get("cwnd", 0))
        if ev == "toy_segment_drop":
            return "%s: drop %s seq=%d len=%d (%s)" % (
                side, (rec.get("flags") or "-").replace("|", "+"), rec["rseq"], rec["len"],
                rec.get("reason"))
        if ev == "toy_ack":
            end = rec["src"]
            old = c.cwnd.get(end)
            c.cwnd[end] = rec.get("cwnd")
            if old is None or old == rec.get("cwnd"):
                return ""
            ss = rec.get("ssthresh", 0)
            return "%s: cwnd %d -> %d (ssthresh %s, srtt %dus, %s)" % (
                side, old, rec["cwnd"], "-" if ss >= 0x7fffffff else ss,
                rec.get("srtt_us", 0), rec.get("ca_state"))
        if ev == "toy_zero_window_probe":
            return "%s: zero-window probe (#%d)" % (side, rec.get("probes", 0))
        if ev in ("toy_syncookie_send", "toy_syncookie_recv"):
            return "%s: SYN cookie %s" % (side, ev.rsplit("_", 1)[1])
        if ev == "toy_timewait_expire":
            return "%s: TIME_WAIT over" % side
        return ""

    def summarise(self, rec, c):
        if not self.said_rate:
            self.said_rate = True
            self.out.write("# toytrace: more than %d lines in a second on "
                           "a connection: summarising the rest of each such "
                           "second (--rate N to change, 0: never)\n"
                           % self.rate)
        s = self.summ.setdefault((c.num, rec["side"]), {
            "c": c, "t": rec["t"], "segs": 0, "bytes": 0, "lo": None,
            "hi": None, "acks": 0, "cwnd": []})
        ev = rec["event"]
        if ev == "toy_segment_send":
            if rec["len"]:
                s["segs"] += 1
                s["bytes"] += rec["len"]
                lo, hi = rec["rseq"], rec["rseq"] + rec["len"]
                s["lo"] = lo if s["lo"] is None else min(s["lo"], lo)
                s["hi"] = hi if s["hi"] is None else max(s["hi"], hi)
            else:
                s["acks"] += 1
        elif ev == "toy_ack":
            c.cwnd[rec["src"]] = rec.get("cwnd")
            s["cwnd"].append(rec.get("cwnd", 0))

    def end_bin(self):
        for (_, side), s in sorted(self.summ.items(), key=lambda i: i[0]):
            c = s["c"]
            other = "B" if side == "A" else "A"
            txt = "... summarised: %d data segments %s->%s" % (
                s["segs"], side, other)
            if s["segs"]:
                txt += ", seq %s..%s (%sB)" % (hnum(s["lo"]), hnum(s["hi"]),
                                              hnum(s["bytes"]))
            txt += ", %d ACKs" % s["acks"]
            if s["cwnd"]:
                txt += ", cwnd %s..%s" % (hnum(min(s["cwnd"])),
                                          hnum(max(s["cwnd"])))
            self.out.write("%10.6f %3s %s\n" % (s["t"], "#%d" % c.num, txt))
        self.summ = {}


class Records:
    """--csv and --json: every event, all its fields, t since the start."""

    def __init__(self, out, fmt):
        self.out, self.fmt = out, fmt
        if fmt == "csv":
            self.w = csv.DictWriter(out, CSV_FIELDS, extrasaction="ignore",
                                    lineterminator="\n")
            self.w.writeheader()

    def add(self, rec, _c):
        rec = dict(rec)
        rec.pop("time", None)
        if self.fmt == "json":
            self.out.write(json.dumps(rec, separators=(",", ":")) + "\n")
            return
        extra = [k for k in rec if k not in CSV_FIELDS]
        if extra:
            rec["extra"] = " ".join("%s=%s" % (k, rec[k]) for k in extra)
        self.w.writerow(rec)

    def flush(self, final=False):
        pass


class Instance:
    """Our own tracefs instance: toy events on, trace_pipe open, removed
    again on close (also after SIGINT/SIGTERM: the caller's finally)."""

    def __init__(self, root, name, buffer_kb, kfilter):
        if root is None:
            root = next((r for r in TRACEFS if os.path.isdir(r + "/instances")),
                        None)
            if root is None:
                raise OSError("no tracefs: mount -t tracefs tracefs "
                              "/sys/kernel/tracing")
        if not os.path.isdir(root + "/events/toy"):
            raise OSError("%s/events/toy missing: is toy.ko loaded?" % root)
        self.path = "%s/instances/%s" % (root, name)
        self.fd = None
        os.mkdir(self.path)
        try:
            self._write("buffer_size_kb", str(buffer_kb))
            if kfilter:
                try:
                    self._write("events/toy/filter", kfilter)
                except OSError:
                    pass        # the user-space filter still applies
            self._write("events/toy/enable", "1")
            self._write("trace_marker", MARK)
            self.fd = os.open(self.path + "/trace_pipe",
                              os.O_RDONLY | os.O_NONBLOCK)
        except BaseException:
            self.close()
            raise

    def _write(self, name, value):
        with open(self.path + "/" + name, "w") as f:
            f.write(value + "\n")

    def overruns(self):
        """events the ring buffer lost (it was full)"""
        n = 0
        try:
            for cpu in os.listdir(self.path + "/per_cpu"):
                with open("%s/per_cpu/%s/stats" % (self.path, cpu)) as f:
                    for ln in f:
                        if ln.startswith("overrun:"):
                            n += int(ln.split()[1])
        except OSError:
            pass
        return n

    def close(self):
        try:
            self._write("events/toy/enable", "0")
        except OSError:
            pass
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        for _ in range(50):
            try:
                os.rmdir(self.path)
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.1)


STOP = []


def on_signal(signum, _frame):
    STOP.append(signum)


def live_lines(inst, deadline):
    """Lines from trace_pipe until STOP or the deadline; None when idle,
    so that the ladder can time out arrows that wait for a receive."""
    rest = b""
    while not STOP and (deadline is None or time.monotonic() < deadline):
        r, _, _ = select.select([inst.fd], [], [], 0.25)
        if not r:
            yield None
            continue
        try:
            data = os.read(inst.fd, 1 << 16)
        except BlockingIOError:
            continue
        lines = (rest + data).split(b"\n")
        rest = lines.pop()
        for ln in lines:
            yield ln.decode("utf-8", "replace")


def file_lines(path):
    if path == "-":
        f = sys.stdin
    elif path.endswith(".gz"):
        import gzip     # only here: the VM's Python has no need of it
        f = gzip.open(path, "rt", encoding="utf-8", errors="replace")
    else:
        f = open(path, encoding="utf-8", errors="replace")
    with f:
        for ln in f:
            if not ln.startswith("#"):
                yield ln.rstrip("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="toytrace", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, action="append",
                    help="only events with this port (repeatable)")
    ap.add_argument("--addr", action="append",
                    help="only events with this IPv4 address (repeatable)")
    ap.add_argument("--conn", help="one connection: IP:PORT,IP:PORT")
    out = ap.add_mutually_exclusive_group()
    out.add_argument("--ladder", action="store_true",
                     help="the ladder diagram (the default)")
    out.add_argument("--csv", action="store_true", help="CSV, one row per event")
    out.add_argument("--json", action="store_true",
                     help="JSON lines, one object per event")
    ap.add_argument("--file", help="read a saved trace (`cat trace`, or "
                    "--save's; .gz too; - for stdin) instead of a live "
                    "instance")
    ap.add_argument("--save", help="also write the raw event lines here "
                    "(a file --file reads)")
    ap.add_argument("--count", type=int, help="stop after N events")
    ap.add_argument("--duration", type=float, help="stop after S seconds")
    ap.add_argument("--rate", type=int, default=200,
                    help="ladder lines per second before it summarises "
                    "(default 200, 0: never)")
    ap.add_argument("--hold", type=float, default=0.5,
                    help="seconds an arrow waits for its receive before it "
                    "is drawn lost (default 0.5)")
    ap.add_argument("--buffer-kb", type=int, default=8192,
                    help="ring buffer per CPU of the instance (default 8192)")
    ap.add_argument("--tracefs", help="tracefs mount (default: "
                    "/sys/kernel/tracing)")
    ap.add_argument("-o", "--output", help="write here, not to stdout")
    args = ap.parse_args(argv)
    try:
        filt = Filter(args.port, args.addr, args.conn)
    except ValueError as e:
        ap.error(str(e))

    outf = open(args.output, "w") if args.output else sys.stdout
    save = open(args.save, "w") if args.save else None
    tracker = Tracker()
    if args.csv or args.json:
        sink = Records(outf, "csv" if args.csv else "json")
    else:
        sink = Ladder(outf, tracker, args.rate, args.hold)
    inst = None
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, on_signal)
    start = time.monotonic()
    deadline = start + args.duration if args.duration else None
    n = 0
    try:
        if args.file:
            lines = file_lines(args.file)
        else:
            inst = Instance(args.tracefs, "toytrace-%d" % os.getpid(),
                            args.buffer_kb, filt.kernel_filter())
            print("# toytrace: reading %s/trace_pipe (Ctrl-C to stop)" %
                  inst.path, file=sys.stderr)
            lines = live_lines(inst, deadline)
        for ln in lines:
            if STOP:
                break
            if ln is None:
                sink.flush()
                outf.flush()
                continue
            rec = parse_line(ln)
            if rec is None:
                continue
            if rec["event"] == "tracing_mark_write":
                if rec["mark"] == MARK and tracker.t0 is None:
                    tracker.t0 = rec["time"]
                    if save:
                        save.write(ln + "\n")
                continue
            if not filt(rec):
                continue
            if save:
                save.write(ln + "\n")
            c = tracker.annotate(rec)
            sink.add(rec, c)
            n += 1
            if args.count and n >= args.count:
                break
    except OSError as e:
        if isinstance(e, BrokenPipeError):
            raise
        print("toytrace: %s" % e, file=sys.stderr)
        return 1
    finally:
        lost = 0
        if inst:
            lost = inst.overruns()
            inst.close()
        sink.flush(final=True)
        if lost:
            msg = "# toytrace: the ring buffer overran: %d events lost " \
                  "(--buffer-kb)" % lost
            print(msg, file=sys.stderr)
            if isinstance(sink, Ladder):
                outf.write(msg + "\n")
        outf.flush()
        if save:
            save.close()
    secs = time.monotonic() - start
    print("# toytrace: %d events in %.1f s (%d/s)" % (n, secs, n / max(secs, 1e-3)),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:     # toytrace | head: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
