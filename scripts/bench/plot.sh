#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Host half of `make bench`, after the VM: read the rows the guest printed
# (scripts/bench/guest.sh: lines "ROW;label;AF_TOY;TCP;UDP;TOY/TCP;TOY/UDP;
# better" in build/logs/bench/out.log) and write
#   build/bench/results.csv  every row, machine-readable (same columns)
#   build/bench/ratios.png   a bar chart of AF_TOY/TCP and AF_TOY/UDP for
#                            the rows that have a better direction
#                            (gnuplot-nox; skipped, saying so, without it)
#
# Usage: scripts/bench/plot.sh [OUT.LOG [DIR]]
# Reports, never judges: exit 1 only if there are no rows to read.
set -euo pipefail
cd "$(dirname "$0")/../.."

LOG=${1:-${TOY_BUILD_DIR:-build}/logs/bench/out.log}
DIR=${2:-${TOY_BUILD_DIR:-build}/bench}
[ -f "$LOG" ] || { echo "bench-plot: $LOG does not exist: run make bench"; exit 1; }
mkdir -p "$DIR"

# the guest's console may end lines with \r
rows=$(tr -d '\r' <"$LOG" | grep '^ROW;' || true)
[ -n "$rows" ] || { echo "bench-plot: no ROW lines in $LOG"; exit 1; }
{
	echo "measurement;af_toy;tcp;udp;toy_over_tcp;toy_over_udp;better"
	# shellcheck disable=SC2001 # one prefix off every line
	sed 's/^ROW;//' <<<"$rows"
} >"$DIR/results.csv"
echo "bench-plot: $DIR/results.csv: $(($(wc -l <"$DIR/results.csv") - 1)) rows"

command -v gnuplot >/dev/null || {
	echo "bench-plot: no gnuplot (scripts/deps.sh gnuplot-nox): no chart"
	exit 0
}
# one line per charted row: "label" toy/tcp toy/udp ("-" where none)
awk -F';' '$8 == "higher" || $8 == "lower" {
	l = $2; gsub(/"/, "", l)
	printf "\"%s%s\" %s %s\n", l, $8 == "lower" ? " [lower is better]" : "", $6, $7
}' <<<"$rows" >"$DIR/ratios.dat"
n=$(wc -l <"$DIR/ratios.dat")
gnuplot <<EOF
set terminal pngcairo size 1200,$((260 + 28 * n)) font ",10" noenhanced
set output "$DIR/ratios.png"
set title "AF_TOY / TCP and AF_TOY / UDP, one VM run (TCG): $(date -u -r "$LOG" '+%Y-%m-%d %H:%M UTC')"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -35 left
set bmargin 14
set rmargin 30
set grid ytics
set key top left
# ratios: a log scale, so that 2x and 0.5x are as far from 1
set logscale y 2
set yrange [1.0/64:64]
set ytics ("1/64" 1.0/64, "1/16" 1.0/16, "1/4" 0.25, "1/2" 0.5, "1" 1, "2" 2, "4" 4, "16" 16, "64" 64)
set ylabel "ratio, log scale (1 = the same as the other protocol)"
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb "black" front
plot "$DIR/ratios.dat" using 2:xtic(1) title "AF_TOY/TCP" lc rgb "#3366cc", \
     "" using 3 title "AF_TOY/UDP" lc rgb "#dd8833"
EOF
echo "bench-plot: $DIR/ratios.png ($n rows)"
