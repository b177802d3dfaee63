#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""toyplot: plots of one AF_TOY connection from toytrace's CSV.

    toytrace --csv -o run.csv ...;  toyplot run.csv --out DIR

- the time-sequence graph (as tcptrace draws it): each data segment the
  sender sent as a vertical bar from its seq to seq + len (relative), the
  retransmitted ones in red, the ACKs the sender received as a step line,
  SACK blocks as green bars;
- cwnd and ssthresh (bytes) and srtt (ms) over time, from toy_ack events.

With gnuplot (Debian: gnuplot-nox) and --out DIR: DIR/timeseq.png and
DIR/cwnd.png (and the data files and the .gp script next to them). Without
gnuplot, with --text, or without --out: a chart in plain text on stdout.
"""
import argparse
import csv
import os
import sys

SSTHRESH_INF = 0x7fffffff


def load(path):
    f = sys.stdin if path == "-" else open(path, newline="")
    with f:
        return list(csv.DictReader(f))


def num(r, k):
    v = r.get(k, "")
    return int(v) if v not in ("", None) else None


def pick(rows, conn, side):
    """The connection (default: the one with the most data bytes) and its
    sender (default: the side that sent more)."""
    sent = {}
    for r in rows:
        if r["event"] == "toy_segment_send" and r["conn"]:
            k = (int(r["conn"]), r["side"])
            sent[k] = sent.get(k, 0) + (num(r, "len") or 0)
    cands = [(b, k) for k, b in sent.items()
             if (conn is None or k[0] == conn) and (side is None or k[1] == side)]
    if not cands:
        return None
    return max(cands)[1]


def series(rows, conn, side):
    """data (t, seq, end, rtx), acks (t, ack), sacks (t, start, end),
    cc (t, cwnd, ssthresh or None, srtt ms)"""
    data, acks, sacks, cc = [], [], [], []
    high = None
    for r in rows:
        if not r["conn"] or int(r["conn"]) != conn:
            continue
        t = float(r["t"])
        ev = r["event"]
        if ev == "toy_segment_send" and r["side"] == side and num(r, "len"):
            seq, ln = num(r, "rseq"), num(r, "len")
            rtx = high is not None and seq < high
            high = max(high or 0, seq + ln)
            data.append((t, seq, seq + ln, rtx))
        elif ev == "toy_segment_recv" and r["side"] == side and \
                r.get("rack") not in ("", None):
            acks.append((t, num(r, "rack")))
            for blk in (r.get("rsack") or "").split():
                s, e = blk.split("-")
                sacks.append((t, int(s), int(e)))
        elif ev == "toy_ack" and r["side"] == side:
            ss = num(r, "ssthresh")
            cc.append((t, num(r, "cwnd"), None if ss >= SSTHRESH_INF else ss,
                       num(r, "srtt_us") / 1000.0))
    return data, acks, sacks, cc


def which(prog):
    for d in os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep):
        p = os.path.join(d, prog)
        if os.access(p, os.X_OK):
            return p
    return None


def gnuplot(outdir, title, data, acks, sacks, cc):
    import subprocess   # only here: the VM's Python has no need of it
    os.makedirs(outdir, exist_ok=True)

    def write(name, rows):
        with open(os.path.join(outdir, name), "w") as f:
            for row in rows:
                f.write(" ".join("NaN" if v is None else str(v) for v in row)
                        + "\n")

    write("data.dat", [(t, s, e - s) for t, s, e, rtx in data if not rtx])
    write("rtx.dat", [(t, s, e - s) for t, s, e, rtx in data if rtx])
    write("ack.dat", acks)
    write("sack.dat", [(t, s, e - s) for t, s, e in sacks])
    write("cc.dat", cc)
    gp = os.path.join(outdir, "toyplot.gp")
    plots = []
    for name, style in (("data.dat", "with vectors nohead lc rgb 'black' "
                         "title 'data sent'"),
                        ("rtx.dat", "with vectors nohead lw 2 lc rgb 'red' "
                         "title 'retransmitted'"),
                        ("sack.dat", "with vectors nohead lc rgb 'dark-green' "
                         "title 'SACK'")):
        if os.path.getsize(os.path.join(outdir, name)):
            plots.append("'%s' using 1:2:(0):3 %s" % (name, style))
    if acks:
        plots.append("'ack.dat' using 1:2 with steps lc rgb 'blue' "
                     "title 'ACK received'")
    script = ["set terminal png size 1000,600",
              "cd '%s'" % outdir.replace("'", ""),
              "set grid", "set key top left", "set xlabel 'time (s)'"]
    if plots:
        script += ["set output 'timeseq.png'",
                   "set title 'time-sequence: %s'" % title,
                   "set ylabel 'relative sequence number (bytes)'",
                   "plot " + ", ".join(plots)]
    if cc:
        script += ["set output 'cwnd.png'",
                   "set title 'cwnd, ssthresh, srtt: %s'" % title,
                   "set ylabel 'bytes'", "set y2label 'srtt (ms)'",
                   "set y2tics", "set ytics nomirror",
                   "plot 'cc.dat' using 1:2 with steps title 'cwnd', "
                   "'cc.dat' using 1:3 with steps title 'ssthresh', "
                   "'cc.dat' using 1:4 axes x1y2 with lines title 'srtt'"]
    with open(gp, "w") as f:
        f.write("\n".join(script) + "\n")
    subprocess.run(["gnuplot", gp], check=True)
    return [os.path.join(outdir, p) for p in ("timeseq.png", "cwnd.png")
            if os.path.exists(os.path.join(outdir, p))]


def text_chart(title, points, width=72, height=18, out=sys.stdout):
    """points: [(x, y, char)], later chars win; axes with min/max."""
    pts = [(x, y, ch) for x, y, ch in points if y is not None]
    out.write("%s\n" % title)
    if not pts:
        out.write("  (nothing to plot)\n")
        return
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    xs, ys = (x1 - x0) or 1.0, (y1 - y0) or 1.0
    grid = [[" "] * width for _ in range(height)]
    for x, y, ch in pts:
        col = int((x - x0) / xs * (width - 1))
        row = height - 1 - int((y - y0) / ys * (height - 1))
        grid[row][col] = ch
    for i, row in enumerate(grid):
        label = "%10g" % y1 if i == 0 else "%10g" % y0 if i == height - 1 \
            else ""
        out.write("%10s |%s\n" % (label, "".join(row).rstrip()))
    out.write("%10s +%s\n" % ("", "-" * width))
    out.write("%10s  %-*g%g s\n" % ("", width - 6, x0, x1))


def text(title, data, acks, sacks, cc, out=sys.stdout):
    pts = [(t, a, "-") for t, a in acks]
    pts += [(t, s, "s") for t, s, _ in sacks]
    pts += [(t, e, "R" if rtx else ".") for t, _, e, rtx in data]
    text_chart("time-sequence, %s ('.' data sent, 'R' retransmitted, "
               "'-' ACK, 's' SACK)" % title, pts, out=out)
    out.write("\n")
    pts = [(t, ss, "=") for t, _, ss, _ in cc]
    pts += [(t, cw, "*") for t, cw, _, _ in cc]
    text_chart("cwnd '*' and ssthresh '=' (bytes), %s" % title, pts, out=out)
    out.write("\n")
    text_chart("srtt (ms), %s" % title, [(t, s, "o") for t, _, _, s in cc],
               height=8, out=out)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="toyplot", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", help="toytrace --csv output (- for stdin)")
    ap.add_argument("--conn", type=int, help="connection number (toytrace's "
                    "#N; default: the one with the most data)")
    ap.add_argument("--side", choices=("A", "B"),
                    help="the sender (default: the side that sent more)")
    ap.add_argument("--out", help="directory for the PNGs (needs gnuplot)")
    ap.add_argument("--text", action="store_true",
                    help="the terminal chart, even with --out and gnuplot")
    args = ap.parse_args(argv)
    rows = load(args.csv)
    k = pick(rows, args.conn, args.side)
    if k is None:
        print("toyplot: no data segments in %s" % args.csv, file=sys.stderr)
        return 1
    conn, side = k
    data, acks, sacks, cc = series(rows, conn, side)
    title = "connection #%d, %s sending" % (conn, side)
    print("toyplot: %s: %d data segments (%d retransmitted), %d ACKs, "
          "%d SACK blocks, %d cwnd samples" % (
              title, len(data), sum(d[3] for d in data), len(acks),
              len(sacks), len(cc)), file=sys.stderr)
    drawn = False
    if args.out and which("gnuplot"):
        for p in gnuplot(args.out, title, data, acks, sacks, cc):
            print("toyplot: wrote %s" % p, file=sys.stderr)
        drawn = True
    elif args.out:
        print("toyplot: no gnuplot (Debian: gnuplot-nox): a text chart "
              "instead", file=sys.stderr)
    if args.text or not drawn:
        text(title, data, acks, sacks, cc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
