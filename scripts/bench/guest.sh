#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest half of `make bench` (scripts/bench.sh): bulk goodput at 0% and
# 5% loss and 64-byte ping-pong, for AF_TOY, TCP and UDP, all with
# toy-bench over the same veth pair in this one VM run; then 64 KiB
# messages, several flows, connection costs (toy-conn) and a long fat
# path. A benchmark, not a test: it reports figures and ratios and never
# fails on them.
#
# Pinning: under TCG, waking a process on the other, idle vCPU costs about
# one guest tick (4 ms), so an unpinned ping-pong measures where the
# scheduler put the two processes more than the protocol (medians of 0.2
# or 4-8 ms, for any of the three, from run to run). Ping-pong therefore
# runs client and server on the same CPU, and bulk the client on one CPU
# and the server on the other (the same for the three protocols).
#
# Environment: BENCH_DURATION (s per measurement, default 5), BENCH_LOSS
# (default 5%), BENCH_SIZE (bulk message size for AF_TOY and UDP, 1400),
# BENCH_TCP_SIZE (bytes per TCP send, 131072), BENCH_PP_CPUS (client and
# server CPU for ping-pong, "0 0"), BENCH_BULK_CPUS ("0 1"; "" for either:
# no pinning), BENCH_ONLY (the parts to run, separated by spaces or commas:
# "base", the rows above, "big", "flows", "mem", "conn" and "lfp", below;
# default all), BENCH_BIG_SIZE (65536), BENCH_FLOWS (4), BENCH_MEM_CONNS
# (2000), BENCH_CONN_ROUNDS (3).
#
# big: bulk with AF_TOY BENCH_BIG_SIZE-byte messages, TCP writes of that
# size and UDP 65507-byte datagrams, at 0% and BENCH_LOSS loss. flows:
# BENCH_FLOWS bulk flows of one protocol at once (pinned as bulk): the
# aggregate goodput and Jain's fairness index. mem: BENCH_MEM_CONNS
# connections (toy-conn idle) to a toy-conn server, the slab's growth per
# idle connection and, once the client has closed them, per TIME_WAIT
# entry. conn: toy-conn rate, connect + 64 B echo + close one at a time
# (pinned as ping-pong), BENCH_CONN_ROUNDS rounds of each, the median. The client's namespace gets local ports 1024-65535
# (TCP and AF_TOY) and tcp_max_tw_buckets 262144, so that neither the
# TIME_WAIT entries of mem nor those of conn run it out of ports. Every
# row is kept as a "ROW;" line, printed at the end for the host
# (scripts/bench/plot.sh), after the targets of issue 13.
#
# Long fat path ("lfp"): netem "delay BENCH_LFP_DELAY rate BENCH_LFP_RATE"
# (25ms, 200mbit; plus "limit BENCH_LFP_LIMIT" if set, else netem's 1000
# packets) on both veth ends, so a 50 ms RTT and a bandwidth-delay product
# of about 1.25 MB; one AF_TOY bulk flow (BENCH_LFP_SIZE-byte messages,
# 65536) and then one TCP bulk flow (BENCH_TCP_SIZE-byte sends), never at
# the same time, BENCH_LFP_DURATION s each (20). Reports goodput, the
# memory each held at the receiver and the sender while sending (sampled
# once a second from /proc/net/toy, /proc/net/tcp and /proc/net/protocols:
# the VM has no ss) and the receive window and buffer each ended with. The
# netem is removed afterwards.
# shellcheck source=scripts/tests/lib.sh
. /tests/lib.sh

D=${BENCH_DURATION:-5}
PP_CPUS=${BENCH_PP_CPUS-0 0}
BULK_CPUS=${BENCH_BULK_CPUS-0 1}
LOSS=${BENCH_LOSS:-5%}
SIZE=${BENCH_SIZE:-1400}
TCP_SIZE=${BENCH_TCP_SIZE:-131072}
ONLY=$(echo "${BENCH_ONLY:-base big flows mem conn lfp}" | tr , ' ')
BIG=${BENCH_BIG_SIZE:-65536}
NFLOWS=${BENCH_FLOWS:-4}
MEM_N=${BENCH_MEM_CONNS:-2000}
CONN_ROUNDS=${BENCH_CONN_ROUNDS:-3}
LFP_D=${BENCH_LFP_DURATION:-20}
LFP_DELAY=${BENCH_LFP_DELAY:-25ms}
LFP_RATE=${BENCH_LFP_RATE:-200mbit}
LFP_LIMIT=${BENCH_LFP_LIMIT:-}
LFP_SIZE=${BENCH_LFP_SIZE:-65536}
T=/tmp/bench
mkdir -p "$T"
PORT=9000

command -v toy-bench >/dev/null || { echo "bench: toy-bench is not in the VM"; exit 1; }
[ -e /proc/net/toy ] || { echo "bench: AF_TOY is not loaded"; exit 1; }
# shellcheck disable=SC2119 # default namespace names
setup_pair || { echo "bench: no veth pair"; exit 1; }

stats() {	# stats FILE-PREFIX: both namespaces' counters
	in_ns "$NS_A" cat /proc/net/toy_stats >"$1.A"
	in_ns "$NS_B" cat /proc/net/toy_stats >"$1.B"
}

# stats_delta BEFORE AFTER SIDE: the counters that moved, on one line
stats_delta() {
	awk 'NR == FNR { b[$1] = $2; next }
	     $2 != b[$1] { printf "%s +%d  ", $1, $2 - b[$1] }' "$1.$3" "$2.$3"
}

# pin CPU: a taskset prefix for one CPU, or nothing
pin() {
	if [ -n "$1" ] && command -v taskset >/dev/null; then
		echo "taskset $((1 << $1))"
	fi
}

# run PROTO MODE TAG [CLIENT-ARGS...]: one measurement; the server's and
# the client's RESULT lines land in $T/PROTO-MODE-TAG.{s,c}. If $SAMPLER is
# set, "$SAMPLER PROTO PORT CLIENT-PID" runs while the client does, its
# output in $T/PROTO-MODE-TAG.samples; if $MEMINFO is set, both ends sample
# their socket's memory (toy-bench --meminfo $MEMINFO).
run() {
	_p=$1 _m=$2 _tag=$3; shift 3
	PORT=$((PORT + 1))
	_o=$T/$_p-$_m-$_tag
	if [ "$_m" = pp ]; then _cpus=$PP_CPUS; else _cpus=$BULK_CPUS; fi
	_cc="" _sc=""
	if [ -n "$_cpus" ]; then
		_cc=${_cpus%% *} _sc=${_cpus##* }
	fi
	# shellcheck disable=SC2046 # taskset and its mask: two words
	$(pin "$_sc") "$IP" netns exec "$NS_B" toy-bench server "$_p" "$_m" "$IP_B:$PORT" \
		--timeout 20000 ${MEMINFO:+--meminfo "$MEMINFO"} >"$_o.s" 2>&1 &
	_sp=$!
	wait_for grep -q "server on" "$_o.s"
	[ "$_p" = toy ] && stats "$_o.before"
	# shellcheck disable=SC2046 # taskset and its mask: two words
	$(pin "$_cc") "$IP" netns exec "$NS_A" toy-bench client "$_p" "$_m" "$IP_B:$PORT" \
		--duration "$D" --timeout 20000 ${MEMINFO:+--meminfo "$MEMINFO"} "$@" \
		>"$_o.c" 2>&1 &
	_cp=$!
	[ -n "${SAMPLER:-}" ] && "$SAMPLER" "$_p" "$PORT" "$_cp" >"$_o.samples"
	wait "$_cp"
	_i=0
	while kill -0 "$_sp" 2>/dev/null && [ $_i -lt 100 ]; do
		sleep 0.1; _i=$((_i + 1))
	done
	kill "$_sp" 2>/dev/null
	wait "$_sp" 2>/dev/null
	grep -v '^RESULT' "$_o.c" "$_o.s" | sed "s|^$T/||; s/^/# /"
	if [ "$_p" = toy ]; then
		stats "$_o.after"
		echo "#   toy_stats A (client): $(stats_delta "$_o.before" "$_o.after" A)"
		echo "#   toy_stats B (server): $(stats_delta "$_o.before" "$_o.after" B)"
	fi
}

# val FILE KEY: a value from the RESULT line
val() { sed -n "s/^RESULT.* $2=\([0-9.]*\).*/\1/p" "$1" | tail -n 1; }

# goodput PROTO PREFIX: a bulk run's goodput (Mbit/s) from PREFIX.s and .c:
# AF_TOY and TCP the server's (bytes from the first to the last received);
# UDP the bytes its server counted over the time the client sent (when few
# datagrams arrive, as with 64 KiB ones at loss, the server's own span says
# nothing of the run's length); 0 if the client sent but the server never
# reported (it received nothing)
goodput() {
	if [ "$1" != udp ]; then
		val "$2.s" mbps
		return
	fi
	awk -v b="$(val "$2.s" bytes)" -v t="$(val "$2.c" secs)" 'BEGIN {
		if (t + 0 > 0) printf "%.2f", b * 8 / t / 1e6 }'
}

# want PART: whether BENCH_ONLY selects PART
want() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }

bulk_size() { [ "$1" = tcp ] && echo "$TCP_SIZE" || echo "$SIZE"; }

# ratio A B: A/B with two decimals, "-" if either is missing or B is 0
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {
	if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
keep() { awk -v a="$1" -v b="$2" 'BEGIN {
	if (a == "" || b == "" || b + 0 == 0) print ""; else printf "%.2f", a / b }'; }

# row LABEL TOY TCP UDP [higher|lower]: one table row with the ratios,
# also kept in $T/rows (";"-separated, for the host's results.csv and
# chart) with which way is better ("" for rows that only explain others)
: >"$T/rows"
row() {
	printf '| %-40s | %9s | %9s | %9s | %7s | %7s |\n' "$1" "${2:--}" "${3:--}" \
		"${4:--}" "$(ratio "$2" "$3")" "$(ratio "$2" "$4")"
	echo "ROW;$1;${2:--};${3:--};${4:--};$(ratio "$2" "$3");$(ratio "$2" "$4");${5:-}" \
		>>"$T/rows"
}
table_head() {
	printf '| %-40s | %9s | %9s | %9s | %7s | %7s |\n' measurement AF_TOY TCP UDP TOY/TCP TOY/UDP
	echo "|------------------------------------------|-----------|-----------|-----------|---------|---------|"
}

echo "# toy-bench in one VM: $(nproc) CPUs, $(uname -r), ${D} s per measurement;" \
     "bulk: AF_TOY and UDP $SIZE-byte messages, TCP a stream ($TCP_SIZE-byte sends);" \
     "loss: netem loss $LOSS on the sender's side ($NS_A/$DEV_A);" \
     "CPUs (client server): bulk ${BULK_CPUS:-unpinned}, ping-pong ${PP_CPUS:-unpinned}"
echo "# AF_TOY sysctls: rto_min_ms $(in_ns "$NS_A" cat /proc/sys/net/toy/rto_min_ms)" \
     "delack_ms $(in_ns "$NS_A" cat /proc/sys/net/toy/delack_ms)" \
     "wmem/rmem_default $(in_ns "$NS_A" cat /proc/sys/net/toy/wmem_default)" \
     "gso $(in_ns "$NS_A" cat /proc/sys/net/toy/gso 2>/dev/null)"
[ "$(in_ns "$NS_A" cat /proc/sys/net/toy/gso 2>/dev/null)" = 1 ] &&
	echo "# net.toy.gso 1: netem takes an AF_TOY super-segment (up to 64 KB) as one" \
	     "packet, as it takes TCP's GSO packets: its 'loss' drops all its segments" \
	     "at once, so the lossy rows lose bursts of segments, not single ones" \
	     "(TOY_GSO=0 make bench for one segment per packet)"

# base: bulk (no loss, loss) and ping-pong, the main table and targets
base() {
	# One kind of measurement at a time for the three protocols, so that the
	# figures compared in a row are taken close together (the emulated CPU is
	# shared with the host's other work).
	for p in toy tcp udp; do
		echo "# ---- $p bulk, no loss"
		run "$p" bulk 0 --size "$(bulk_size $p)"
	done
	netem "$NS_A" "$DEV_A" loss "$LOSS" >/dev/null
	for p in toy tcp udp; do
		echo "# ---- $p bulk, netem loss $LOSS on $NS_A/$DEV_A"
		run "$p" bulk loss --size "$(bulk_size $p)"
	done
	netem_clear "$NS_A" "$DEV_A"
	for p in toy tcp udp; do
		echo "# ---- $p ping-pong, 64 bytes"
		run "$p" pp 0 --size 64
	done

	# --- the table ----------------------------------------------------------
	g() { goodput "$1" "$T/$1-bulk-$2"; }
	B0_toy=$(g toy 0) B0_tcp=$(g tcp 0) B0_udp=$(g udp 0)
	BL_toy=$(g toy loss) BL_tcp=$(g tcp loss) BL_udp=$(g udp loss)
	PR_toy=$(val $T/toy-pp-0.c rate) PR_tcp=$(val $T/tcp-pp-0.c rate)
	PR_udp=$(val $T/udp-pp-0.c rate)
	PM_toy=$(val $T/toy-pp-0.c mean_us) PM_tcp=$(val $T/tcp-pp-0.c mean_us)
	PM_udp=$(val $T/udp-pp-0.c mean_us)
	P5_toy=$(val $T/toy-pp-0.c p50_us) P5_tcp=$(val $T/tcp-pp-0.c p50_us)
	P5_udp=$(val $T/udp-pp-0.c p50_us)
	US_toy=$(val $T/toy-bulk-0.c mbps) US_tcp=$(val $T/tcp-bulk-0.c mbps)
	US_udp=$(val $T/udp-bulk-0.c mbps)
	USL_toy=$(val $T/toy-bulk-loss.c mbps) USL_tcp=$(val $T/tcp-bulk-loss.c mbps)
	USL_udp=$(val $T/udp-bulk-loss.c mbps)

	echo
	echo "## AF_TOY vs TCP vs UDP (one VM run, TCG, veth between two namespaces)"
	echo
	table_head
	row "bulk goodput, no loss (Mbit/s)" "$B0_toy" "$B0_tcp" "$B0_udp" higher
	row "bulk goodput, loss $LOSS (Mbit/s)" "$BL_toy" "$BL_tcp" "$BL_udp" higher
	row "goodput kept at loss $LOSS (x)" "$(keep "$BL_toy" "$B0_toy")" \
		"$(keep "$BL_tcp" "$B0_tcp")" "$(keep "$BL_udp" "$B0_udp")" higher
	row "ping-pong 64 B (round trips/s)" "$PR_toy" "$PR_tcp" "$PR_udp" higher
	row "ping-pong 64 B mean RTT (us)" "$PM_toy" "$PM_tcp" "$PM_udp" lower
	row "ping-pong 64 B median RTT (us)" "$P5_toy" "$P5_tcp" "$P5_udp" lower
	row "sender offered, no loss (Mbit/s)" "$US_toy" "$US_tcp" "$US_udp"
	row "sender offered, loss $LOSS (Mbit/s)" "$USL_toy" "$USL_tcp" "$USL_udp"
	echo
	echo "Targets (measured, not asserted):"
	verdict() { awk -v c="$1" 'BEGIN { print (c == "" ? "n/a" : c + 0 ? "met" : "NOT met") }'; }
	echo "- AF_TOY bulk goodput >= UDP's delivered goodput:" \
	     "$(ratio "$B0_toy" "$B0_udp")x -> $(verdict "$(awk -v a="$B0_toy" -v b="$B0_udp" \
		'BEGIN { if (a != "" && b != "") print (a >= b) }')")"
	echo "- AF_TOY ping-pong mean RTT <= 1.1 x UDP's:" \
	     "$(ratio "$PM_toy" "$PM_udp")x -> $(verdict "$(awk -v a="$PM_toy" -v b="$PM_udp" \
		'BEGIN { if (a != "" && b != "") print (a <= 1.1 * b) }')")"
	echo "- AF_TOY at loss $LOSS keeps >= half its lossless goodput:" \
	     "$(keep "$BL_toy" "$B0_toy")x -> $(verdict "$(awk -v a="$BL_toy" -v b="$B0_toy" \
		'BEGIN { if (a != "" && b != "") print (a >= b / 2) }')")"
	echo "- (median RTT, less sensitive to the host's scheduling: $(ratio "$P5_toy" "$P5_udp")x UDP's)"
	echo "Figures from an emulated CPU shared with other work: compare within one run;"
	echo "re-run for spread (ping-pong means move with host load, medians less)."
}

# --- long fat path -------------------------------------------------------

# lfp_sample PROTO PORT: one line "RXQ TXQ RCV_WND MEM" for the flow to
# $IP_B:PORT: bytes received and not yet read at the receiver (rx_queue),
# bytes not yet acknowledged or not yet sent at the sender (tx_queue), the
# window the receiver advertises (AF_TOY only), and the protocol's
# /proc/net/protocols "memory" (pages, every socket of the protocol: here
# both ends). "-" for what is not there. AF_TOY columns are found by their
# names in the header of /proc/net/toy.
# shellcheck disable=SC2317 # reached through $SAMPLER
lfp_sample() {
	if [ "$1" = toy ]; then
		_sf=/proc/net/toy _sP=TOY _sk=$IP_B:$2
	else
		_sf=/proc/net/tcp _sP=TCP
		_sk=$(awk -v ip="$IP_B" -v port="$2" 'BEGIN { split(ip, a, ".")
			printf "%02X%02X%02X%02X:%04X", a[4], a[3], a[2], a[1], port }')
	fi
	in_ns "$NS_B" cat "$_sf" >"$T/sample.B" 2>/dev/null
	in_ns "$NS_A" cat "$_sf" >"$T/sample.A" 2>/dev/null
	awk -v key="$_sk" -v P="$_sP" -v B="$T/sample.B" -v A="$T/sample.A" '
	function hex(s,   i, n) {
		n = 0; s = toupper(s)
		for (i = 1; i <= length(s); i++)
			n = n * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1
		return n
	}
	function f(name) {
		return ((FILENAME SUBSEP name) in c) ? $(c[FILENAME SUBSEP name]) : ""
	}
	function num(v) { return v ~ /^[0-9]+$/ ? v : "-" }
	FNR == 1 { for (i = 1; i <= NF; i++) c[FILENAME SUBSEP $i] = i; next }
	P == "TOY" && FILENAME == B && f("local") == key && f("state") != "LISTEN" {
		rxq = f("rx_queue"); rwnd = f("rcv_wnd")
	}
	P == "TOY" && FILENAME == A && f("remote") == key { txq = f("tx_queue") }
	P == "TCP" && FILENAME == B && $2 == key && $4 != "0A" {
		split($5, q, ":"); rxq = hex(q[2])
	}
	P == "TCP" && FILENAME == A && $3 == key { split($5, q, ":"); txq = hex(q[1]) }
	FILENAME == "/proc/net/protocols" && $1 == P { mem = f("memory") }
	END { print num(rxq), num(txq), num(rwnd), num(mem) }
	' "$T/sample.B" "$T/sample.A" /proc/net/protocols
}

# lfp_sampler PROTO PORT CLIENT-PID: a sample a second while the client
# sends (run() calls it as $SAMPLER)
# shellcheck disable=SC2317 # reached through $SAMPLER
lfp_sampler() {
	_send=$(($(date +%s) + LFP_D))
	while sleep 1 && kill -0 "$3" 2>/dev/null && [ "$(date +%s)" -lt "$_send" ]; do
		lfp_sample "$1" "$2"
	done
}

# lfp_stat PROTO COLUMN max|mean|last|n UNIT: a statistic of one column of
# the samples (1 rx_queue, 2 tx_queue, 3 rcv_wnd, 4 memory) in KiB, the
# column's unit being UNIT bytes; empty if no sample has a value
lfp_stat() {
	awk -v c="$2" -v how="$3" -v u="$4" '$c ~ /^[0-9]+$/ {
		n++; s += $c; l = $c; if ($c + 0 > m + 0) m = $c }
	END { if (how == "n") print n + 0
	      else if (n) printf "%.0f", (how == "max" ? m : how == "last" ? l : s / n) * u / 1024 }' \
		"$T/$1-bulk-lfp.samples" 2>/dev/null
}

# lfp_series PROTO COLUMN UNIT: the column's samples in KiB on one line
lfp_series() {
	awk -v c="$2" -v u="$3" '{ printf "%s ", $c ~ /^[0-9]+$/ ? sprintf("%.0f", $c * u / 1024) : "-" }' \
		"$T/$1-bulk-lfp.samples" 2>/dev/null
}

lfp() {
	MEMINFO_MS=250
	_page=$(getconf PAGESIZE 2>/dev/null || echo 4096)
	_rtt=$(awk -v d="$LFP_DELAY" 'BEGIN { if (d ~ /^[0-9.]+ms$/) printf "%g", 2 * d }')
	_bps=$(awk -v r="$LFP_RATE" 'BEGIN {
		if (!match(r, /^[0-9.]+/)) exit
		n = substr(r, 1, RLENGTH); u = tolower(substr(r, RLENGTH + 1))
		k = u == "bit" ? 1 : u == "kbit" ? 1e3 : u == "mbit" ? 1e6 : u == "gbit" ? 1e9 : 0
		if (k) printf "%.0f", n * k }')
	_bdp=$(awk -v b="$_bps" -v t="$_rtt" 'BEGIN {
		if (b != "" && t != "") printf "%.0f", b / 8 * t / 1000 / 1024 }')
	_rmem=$(in_ns "$NS_B" cat /proc/sys/net/toy/rmem_default 2>/dev/null)
	echo "# ---- long fat path: netem delay $LFP_DELAY rate $LFP_RATE${LFP_LIMIT:+ limit $LFP_LIMIT}" \
	     "on both ends ($NS_A/$DEV_A, $NS_B/$DEV_B): RTT ${_rtt:-?} ms, BDP ${_bdp:-?} KiB;" \
	     "AF_TOY $LFP_SIZE-byte messages, TCP $TCP_SIZE-byte sends, $LFP_D s each," \
	     "one flow after the other (never at the same time: each has the path to itself)"
	# shellcheck disable=SC2086 # "limit N" is two words
	if ! { netem "$NS_A" "$DEV_A" delay "$LFP_DELAY" rate "$LFP_RATE" \
			${LFP_LIMIT:+limit $LFP_LIMIT} &&
	       netem "$NS_B" "$DEV_B" delay "$LFP_DELAY" rate "$LFP_RATE" \
			${LFP_LIMIT:+limit $LFP_LIMIT}; }; then
		echo "# lfp: tc netem failed: no long-fat-path rows"
		netem_clear "$NS_A" "$DEV_A"
		netem_clear "$NS_B" "$DEV_B"
		return 0
	fi
	tc -n "$NS_A" qdisc show dev "$DEV_A" | sed "s|^|# $NS_A/$DEV_A: |"
	tc -n "$NS_B" qdisc show dev "$DEV_B" | sed "s|^|# $NS_B/$DEV_B: |"
	SAMPLER=lfp_sampler MEMINFO=$MEMINFO_MS
	for p in toy tcp; do
		echo "# ---- $p bulk over the long fat path, $LFP_D s"
		if [ "$p" = toy ]; then _sz=$LFP_SIZE; else _sz=$TCP_SIZE; fi
		run "$p" bulk lfp --size "$_sz" --duration "$LFP_D"
		echo "#   $(lfp_stat "$p" 1 n 1) samples, one a second, KiB:"
		echo "#   receiver rx_queue: $(lfp_series "$p" 1 1)"
		echo "#   sender tx_queue: $(lfp_series "$p" 2 1)"
		[ "$p" = toy ] && echo "#   receiver rcv_wnd: $(lfp_series "$p" 3 1)"
		echo "#   /proc/net/protocols memory: $(lfp_series "$p" 4 "$_page")"
	done
	SAMPLER="" MEMINFO=""
	netem_clear "$NS_A" "$DEV_A"
	netem_clear "$NS_B" "$DEV_B"
	if tc -n "$NS_A" qdisc show dev "$DEV_A" | grep -q netem ||
	   tc -n "$NS_B" qdisc show dev "$DEV_B" | grep -q netem; then
		echo "# lfp: a netem qdisc is still there after tc qdisc del"
	else
		echo "# lfp: netem removed from both ends"
	fi

	G_toy=$(val "$T/toy-bulk-lfp.s" mbps) G_tcp=$(val "$T/tcp-bulk-lfp.s" mbps)
	kib() { awk -v v="$1" 'BEGIN { if (v != "") printf "%.0f", v / 1024 }'; }
	share() { awk -v g="$1" -v b="$_bps" 'BEGIN {
		if (g != "" && b + 0 > 0) printf "%.2f", g * 1e6 / b }'; }
	lrow() {	# lrow LABEL TOY TCP
		printf '| %-44s | %9s | %9s | %7s |\n' "$1" "${2:--}" "${3:--}" \
			"$(ratio "$2" "$3")"
	}
	echo
	echo "## Long fat path: netem delay $LFP_DELAY rate $LFP_RATE each way" \
	     "(RTT ${_rtt:-?} ms, BDP ${_bdp:-?} KiB), one flow at a time"
	echo
	printf '| %-44s | %9s | %9s | %7s |\n' measurement AF_TOY TCP TOY/TCP
	echo "|----------------------------------------------|-----------|-----------|---------|"
	lrow "goodput (Mbit/s)" "$G_toy" "$G_tcp"
	lrow "goodput / path rate (x)" "$(share "$G_toy")" "$(share "$G_tcp")"
	for w in max mean; do
		lrow "receiver memory (rmem_alloc), $w (KiB)" \
			"$(kib "$(val "$T/toy-bulk-lfp.s" mem_$w)")" \
			"$(kib "$(val "$T/tcp-bulk-lfp.s" mem_$w)")"
	done
	for w in max mean; do
		lrow "sender memory (wmem_queued), $w (KiB)" \
			"$(kib "$(val "$T/toy-bulk-lfp.c" mem_$w)")" \
			"$(kib "$(val "$T/tcp-bulk-lfp.c" mem_$w)")"
	done
	for w in max mean; do
		lrow "receiver: received, unread, $w (KiB)" \
			"$(lfp_stat toy 1 $w 1)" "$(lfp_stat tcp 1 $w 1)"
	done
	for w in max mean; do
		lrow "sender: unacked + unsent, $w (KiB)" \
			"$(lfp_stat toy 2 $w 1)" "$(lfp_stat tcp 2 $w 1)"
	done
	for w in max mean; do
		lrow "protocol memory, both ends, $w (KiB)" \
			"$(lfp_stat toy 4 $w "$_page")" "$(lfp_stat tcp 4 $w "$_page")"
	done
	W_max=$(lfp_stat toy 3 max 1)
	lrow "rcv_wnd while sending, max (KiB)" "$W_max" ""
	lrow "receive window at the end (KiB)" "$(kib "$(val "$T/toy-bulk-lfp.s" rcv_wnd)")" \
		"$(kib "$(val "$T/tcp-bulk-lfp.s" rcv_ssthresh)")"
	lrow "TCP rcv_space at the end (KiB)" "" \
		"$(kib "$(val "$T/tcp-bulk-lfp.s" rcv_space)")"
	lrow "receiver SO_RCVBUF at the end (KiB)" "$(kib "$(val "$T/toy-bulk-lfp.s" rcvbuf)")" \
		"$(kib "$(val "$T/tcp-bulk-lfp.s" rcvbuf)")"
	echo
	echo "Memory (ss is not in the VM): receiver and sender memory are each end's own" \
	     "SO_MEMINFO (skb truesize: rmem_alloc + backlog, in order or not; the write" \
	     "queue), sampled by toy-bench every $MEMINFO_MS ms. The other rows are sampled once" \
	     "a second while the client sent: payload bytes from /proc/net/toy and" \
	     "/proc/net/tcp (receiver rx_queue: received, not yet read; sender tx_queue:" \
	     "not yet acknowledged, or not yet sent) and /proc/net/protocols 'memory'" \
	     "($_page-byte pages charged by every socket of the protocol: both ends, one kernel)."
	echo "Receive window at the end: AF_TOY rcv_wnd (TOY_INFO), TCP rcv_ssthresh" \
	     "(TCP_INFO: the most it would advertise), read by the receiver after the last byte."
	awk -v w="$W_max" -v wm="$(lfp_stat toy 3 mean 1)" -v rmem="$_rmem" -v t="$_rtt" \
	    -v g="$G_toy" 'BEGIN {
		if (w == "" || rmem == "") { print "AF_TOY rcv_wnd: not sampled"; exit }
		fix = rmem / 2 / 1024
		# the most a window of K KiB carries in a round trip of t ms
		if (t != "") {
			c = sprintf("%.0f", w * 1024 * 8 / (t / 1000) / 1e6)
			cm = sprintf("%.0f", wm * 1024 * 8 / (t / 1000) / 1e6)
			lim = sprintf(": %d KiB per %s ms RTT is at most %s Mbit/s" \
				      " (%d KiB, the mean: %s); the flow got %s", w, t, c,
				      wm, cm, g == "" ? "-" : g)
		}
		if (w <= fix)
			printf "AF_TOY is limited by its receive window: rcv_wnd stayed" \
			       " within its fixed value rmem_default %d / 2 = %d KiB (at" \
			       " most %d KiB while sending)%s.\n", rmem, fix, w, lim
		else
			printf "AF_TOY rcv_wnd grew past its fixed value rmem_default %d" \
			       " / 2 = %d KiB while sending%s.\n", rmem, fix, lim
	}'
}

# --- 64 KiB messages ("big") ---------------------------------------------

# big_size PROTO: the bytes per send for the 64 KiB rows: AF_TOY 64 KiB
# messages, TCP 64 KiB writes, UDP the largest IPv4 datagram (65507 bytes,
# sent as IP fragments: losing one loses the datagram)
big_size() { [ "$1" = udp ] && echo 65507 || echo "$BIG"; }

big() {
	for p in toy tcp udp; do
		echo "# ---- $p bulk, $(big_size $p)-byte sends, no loss"
		run "$p" bulk big --size "$(big_size $p)"
	done
	netem "$NS_A" "$DEV_A" loss "$LOSS" >/dev/null
	for p in toy tcp udp; do
		echo "# ---- $p bulk, $(big_size $p)-byte sends, netem loss $LOSS on $NS_A/$DEV_A"
		run "$p" bulk bigloss --size "$(big_size $p)"
	done
	netem_clear "$NS_A" "$DEV_A"
	g() { goodput "$1" "$T/$1-bulk-$2"; }
	echo
	echo "## 64 KiB messages: AF_TOY $BIG-byte messages, TCP $BIG-byte writes," \
	     "UDP 65507-byte datagrams (fragmented; UDP goodput = bytes the receiver counted" \
	     "over the time the sender sent)"
	echo
	table_head
	row "bulk goodput 64 KiB, no loss (Mbit/s)" "$(g toy big)" "$(g tcp big)" "$(g udp big)" higher
	row "bulk goodput 64 KiB, loss $LOSS (Mbit/s)" "$(g toy bigloss)" "$(g tcp bigloss)" \
		"$(g udp bigloss)" higher
	row "sender offered 64 KiB, no loss (Mbit/s)" "$(val $T/toy-bulk-big.c mbps)" \
		"$(val $T/tcp-bulk-big.c mbps)" "$(val $T/udp-bulk-big.c mbps)"
}

# --- several flows at once ("flows") ---------------------------------------

flows() {
	for p in toy tcp udp; do
		echo "# ---- $p: $NFLOWS bulk flows at once, $(big_size $p)-byte sends, ${D} s"
		_cc="" _sc=""
		[ -n "$BULK_CPUS" ] && _cc=${BULK_CPUS%% *} _sc=${BULK_CPUS##* }
		_spids="" _cpids="" _i=1
		while [ $_i -le "$NFLOWS" ]; do
			# shellcheck disable=SC2046 # taskset and its mask: two words
			$(pin "$_sc") "$IP" netns exec "$NS_B" toy-bench server "$p" bulk \
				"$IP_B:$((PORT + _i))" --timeout 20000 >"$T/$p-flows-$_i.s" 2>&1 &
			_spids="$_spids $!"
			_i=$((_i + 1))
		done
		_i=1
		while [ $_i -le "$NFLOWS" ]; do
			wait_for grep -q "server on" "$T/$p-flows-$_i.s"
			_i=$((_i + 1))
		done
		_i=1
		while [ $_i -le "$NFLOWS" ]; do
			# shellcheck disable=SC2046 # taskset and its mask: two words
			$(pin "$_cc") "$IP" netns exec "$NS_A" toy-bench client "$p" bulk \
				"$IP_B:$((PORT + _i))" --duration "$D" --timeout 20000 \
				--size "$(big_size $p)" >"$T/$p-flows-$_i.c" 2>&1 &
			_cpids="$_cpids $!"
			_i=$((_i + 1))
		done
		# shellcheck disable=SC2086 # a list of pids
		wait $_cpids
		# the servers end with their stream (UDP: "END" or 2 s of
		# silence); one that got nothing at all is stopped after 10 s
		_i=0
		while [ $_i -lt 100 ]; do
			_alive=""
			for _sp in $_spids; do
				kill -0 "$_sp" 2>/dev/null && _alive=1
			done
			[ -z "$_alive" ] && break
			sleep 0.1; _i=$((_i + 1))
		done
		for _sp in $_spids; do
			kill "$_sp" 2>/dev/null
		done
		# shellcheck disable=SC2086 # a list of pids
		wait $_spids 2>/dev/null
		PORT=$((PORT + NFLOWS))
		_i=1 _l=""
		while [ $_i -le "$NFLOWS" ]; do
			_v=$(goodput "$p" "$T/$p-flows-$_i")
			_l="$_l ${_v:-0}"	# no RESULT: it received nothing
			grep -v '^RESULT' "$T/$p-flows-$_i.c" "$T/$p-flows-$_i.s" | sed "s|^$T/||; s/^/# /"
			_i=$((_i + 1))
		done
		echo "#   $p per-flow goodput (Mbit/s):$_l"
		echo "$_l" >"$T/$p-flows.list"
	done
	# flowstat PROTO sum|jain: the aggregate goodput, or Jain's fairness
	# index (sum x)^2 / (n sum x^2) over the flows (a flow that delivered
	# nothing counts as 0: n is always NFLOWS)
	flowstat() {
		awk -v how="$2" -v n="$NFLOWS" '{ for (i = 1; i <= NF; i++) { s += $i; q += $i * $i } }
			END { if (how == "sum") printf "%.2f", s
			      else if (q > 0) printf "%.3f", s * s / (n * q) }' "$T/$1-flows.list"
	}
	echo
	echo "## $NFLOWS flows at once over the one veth pair (AF_TOY and TCP $BIG-byte" \
	     "sends, UDP 65507-byte datagrams; clients on CPU ${_cc:-any}, servers on ${_sc:-any})"
	echo
	table_head
	row "$NFLOWS-flow aggregate goodput (Mbit/s)" "$(flowstat toy sum)" "$(flowstat tcp sum)" \
		"$(flowstat udp sum)" higher
	row "$NFLOWS-flow Jain fairness index" "$(flowstat toy jain)" "$(flowstat tcp jain)" \
		"$(flowstat udp jain)" higher
	echo
	echo "Per flow (Mbit/s): AF_TOY$(cat "$T/toy-flows.list"), TCP$(cat "$T/tcp-flows.list")," \
	     "UDP$(cat "$T/udp-flows.list") (UDP: what each receiver counted; a 65507-byte" \
	     "datagram is 45 IP fragments and is lost with any one of them; no Jain index" \
	     "when nothing arrived)"
}

# --- connections per second ("conn") ---------------------------------------

# count_state NS PROTO STATE: sockets of PROTO in STATE (TIME_WAIT, EST,
# other: neither of those nor LISTEN) in NS, from /proc/net/toy or tcp
count_state() {
	if [ "$2" = toy ]; then _f=/proc/net/toy; else _f=/proc/net/tcp; fi
	in_ns "$1" cat "$_f" | awk -v p="$2" -v want="$3" 'NR > 1 {
		s = $4
		if (p == "tcp") s = s == "06" ? "TIME_WAIT" : s == "01" ? "ESTABLISHED" : \
				    s == "0A" ? "LISTEN" : s
		k = s == "TIME_WAIT" ? "TIME_WAIT" : s == "ESTABLISHED" ? "EST" : \
		    s == "LISTEN" ? "LISTEN" : "other"
		if (k == want) n++ }
		END { print n + 0 }'
}

# state_cmp NS PROTO STATE OP N: whether count_state's count OP N holds
# shellcheck disable=SC2317 # reached through wait_for
state_cmp() { test "$(count_state "$1" "$2" "$3")" "$4" "$5"; }

# conn_server PROTO TAG: a toy-conn server in NS_B on a new port; its pid in
# $CS_PID, its output in $T/PROTO-TAG.s
conn_server() {
	PORT=$((PORT + 1))
	"$IP" netns exec "$NS_B" toy-conn server "$1" "$IP_B:$PORT" >"$T/$1-$2.s" 2>&1 &
	CS_PID=$!
	wait_for grep -q "server on" "$T/$1-$2.s"
}

conn() {
	_cc="" _sc=""
	[ -n "$PP_CPUS" ] && _cc=${PP_CPUS%% *} _sc=${PP_CPUS##* }
	# rounds toy, tcp, toy, tcp, ...: the host's load moves between them
	# (one run measured 577/213 per second, the next 287/365), so each
	# protocol's row is the median of CONN_ROUNDS runs of D s
	: >"$T/toy-rate.list"; : >"$T/tcp-rate.list"
	_r=1
	while [ $_r -le "$CONN_ROUNDS" ]; do
		for p in toy tcp; do
			_tw0=$(count_state "$NS_A" "$p" TIME_WAIT)
			echo "# ---- $p connections per second, round $_r: connect, send 64 B," \
			     "receive the echo, close; one at a time, ${D} s"
			PORT=$((PORT + 1))
			# shellcheck disable=SC2046 # taskset and its mask: two words
			$(pin "$_sc") "$IP" netns exec "$NS_B" toy-conn server "$p" "$IP_B:$PORT" \
				>"$T/$p-rate.s" 2>&1 &
			CS_PID=$!
			wait_for grep -q "server on" "$T/$p-rate.s"
			# shellcheck disable=SC2046 # taskset and its mask: two words
			$(pin "$_cc") "$IP" netns exec "$NS_A" toy-conn rate "$p" "$IP_B:$PORT" \
				--duration "$D" >"$T/$p-rate.c" 2>&1
			kill "$CS_PID" 2>/dev/null; wait "$CS_PID" 2>/dev/null
			grep -v '^RESULT' "$T/$p-rate.c" | sed 's/^/# /'
			val "$T/$p-rate.c" rate >>"$T/$p-rate.list"
			echo "#   $p TIME_WAIT entries in $NS_A: $_tw0 before," \
			     "$(count_state "$NS_A" "$p" TIME_WAIT) after"
		done
		_r=$((_r + 1))
	done
	med() { sort -n "$T/$1-rate.list" | awk '{ v[NR] = $1 }
		END { if (NR) print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
	echo
	echo "## Connections per second (connect + send 64 B + receive the echo + close," \
	     "one at a time, client on CPU ${_cc:-any}, server on ${_sc:-any})"
	echo
	table_head
	row "connections per second (median)" "$(med toy)" "$(med tcp)" "" higher
	echo
	echo "Each round (per second): AF_TOY $(tr '\n' ' ' <"$T/toy-rate.list")," \
	     "TCP $(tr '\n' ' ' <"$T/tcp-rate.list")"
}

# --- memory per idle connection and per TIME_WAIT entry ("mem") -------------

# slab_snap FILE: the slab's size (/proc/meminfo Slab, bytes) on the first
# line, then "cache active-bytes" for every cache of /proc/slabinfo
slab_snap() {
	{ awk '/^Slab:/ { print "Slab", $2 * 1024 }' /proc/meminfo
	  awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo; } >"$1"
}

# slab_delta A B N: "meminfo-bytes-per-N slabinfo-bytes-per-N"
slab_delta() {
	awk -v n="$3" 'NR == FNR { a[$1] = $2; next }
		$1 == "Slab" { m = $2 - a[$1]; next }
		{ s += $2 - a[$1] }
		END { if (n > 0) printf "%.0f %.0f", m / n, s / n }' "$1" "$2"
}

# slab_top A B N: the caches that grew most, in bytes per N
slab_top() {
	awk -v n="$3" 'NR == FNR { a[$1] = $2; next } $1 != "Slab" && $2 != a[$1] {
		printf "%d %s\n", ($2 - a[$1]) / n, $1 }' "$1" "$2" |
		sort -rn | head -n 6 | awk '{ printf "%s %s  ", $2, $1 }'
}

# slab_settle FILE: snapshot once the slab has stopped shrinking (objects
# freed after an RCU grace period), at most 5 s
slab_settle() {
	slab_snap "$1"
	_k=0
	while [ $_k -lt 10 ]; do
		sleep 0.5
		slab_snap "$1.next"
		_d=$(awk 'NR == FNR { a = a + ($1 == "Slab" ? 0 : $2); next }
			$1 != "Slab" { b += $2 } END { print a - b }' "$1" "$1.next")
		mv "$1.next" "$1"
		[ "$_d" -lt $((MEM_N * 8)) ] && break
		_k=$((_k + 1))
	done
}

mem() {
	for p in toy tcp; do
		echo "# ---- $p: $MEM_N idle connections, then closed by the client (TIME_WAIT)"
		echo "#   TIME_WAIT entries in $NS_A before: toy $(count_state "$NS_A" toy TIME_WAIT)" \
		     "tcp $(count_state "$NS_A" tcp TIME_WAIT)"
		_tw0=$(count_state "$NS_A" "$p" TIME_WAIT)
		conn_server "$p" mem
		sync; echo 3 >/proc/sys/vm/drop_caches
		slab_settle "$T/$p-slab0"
		rm -f "$T/ctl"; mkfifo "$T/ctl"
		"$IP" netns exec "$NS_A" toy-conn idle "$p" "$IP_B:$PORT" --count "$MEM_N" \
			<"$T/ctl" >"$T/$p-mem.c" 2>&1 &
		_ip=$!
		exec 3>"$T/ctl"
		wait_for -t 300 grep -q "^ESTABLISHED\|^toy-conn" "$T/$p-mem.c"
		wait_for -t 60 state_cmp "$NS_B" "$p" EST -ge "$MEM_N"
		_est="$(count_state "$NS_A" "$p" EST) $(count_state "$NS_B" "$p" EST)"
		slab_settle "$T/$p-slab1"
		echo close >&3
		exec 3>&-
		wait "$_ip"
		# every server end gone, every client end in TIME_WAIT (or gone)
		wait_for -t 60 state_cmp "$NS_B" "$p" EST -eq 0
		wait_for -t 60 state_cmp "$NS_B" "$p" other -eq 0
		wait_for -t 60 state_cmp "$NS_A" "$p" EST -eq 0
		wait_for -t 60 state_cmp "$NS_A" "$p" other -eq 0
		_tw=$(($(count_state "$NS_A" "$p" TIME_WAIT) - _tw0))
		slab_settle "$T/$p-slab2"
		kill "$CS_PID" 2>/dev/null; wait "$CS_PID" 2>/dev/null
		grep -v '^RESULT' "$T/$p-mem.c" | sed 's/^/# /'
		echo "#   established (client end, server end): $_est; after the close:" \
		     "$_tw new TIME_WAIT entries in $NS_A, $(count_state "$NS_B" "$p" other)" \
		     "other non-listening sockets in $NS_B"
		echo "$_tw" >"$T/$p-tw"
		echo "#   slab growth per idle connection, top caches (bytes): $(slab_top \
			"$T/$p-slab0" "$T/$p-slab1" "$MEM_N")"
		echo "#   slab growth per TIME_WAIT entry, top caches (bytes): $(slab_top \
			"$T/$p-slab0" "$T/$p-slab2" "$_tw")"
	done
	# SLUB merges caches of one size and flags: /proc/slabinfo lists a
	# merged cache under one name only (e.g. toy_tw_sock under another's)
	for _c in TOY toy_tw_sock TCP tw_sock_TCP; do
		_a=$(readlink "/sys/kernel/slab/$_c" 2>/dev/null) || continue
		_w=""
		for _f in /sys/kernel/slab/*; do
			[ "${_f##*/}" != "$_c" ] && [ "$(readlink "$_f")" = "$_a" ] &&
				_w="$_w ${_f##*/}"
		done
		[ -n "$_w" ] && echo "#   slab cache $_c is merged ($_a) with:$_w"
	done
	m() { slab_delta "$T/$1-slab0" "$T/$1-slab$2" "$3" | cut -d' ' -f"$4"; }
	echo
	echo "## Kernel memory per connection: $MEM_N connections, both ends in this one kernel"
	echo
	table_head
	row "slab per idle connection (B, meminfo)" "$(m toy 1 "$MEM_N" 1)" "$(m tcp 1 "$MEM_N" 1)" "" lower
	row "slab per idle connection (B, slabinfo)" "$(m toy 1 "$MEM_N" 2)" "$(m tcp 1 "$MEM_N" 2)" "" lower
	row "slab per TIME_WAIT entry (B, meminfo)" "$(m toy 2 "$(cat $T/toy-tw)" 1)" \
		"$(m tcp 2 "$(cat $T/tcp-tw)" 1)" "" lower
	row "slab per TIME_WAIT entry (B, slabinfo)" "$(m toy 2 "$(cat $T/toy-tw)" 2)" \
		"$(m tcp 2 "$(cat $T/tcp-tw)" 2)" "" lower
	echo
	echo "Per idle connection: the slab's growth from before the connections to when all" \
	     "$MEM_N were established and idle, over $MEM_N: both ends (the client's socket and" \
	     "the server's accepted one, with their files, inodes and the server's epoll items:" \
	     "the same for both protocols). Per TIME_WAIT entry: the growth from the same" \
	     "start to when the client had closed them all (its ends in TIME_WAIT, the server's" \
	     "gone), over the new TIME_WAIT entries counted. meminfo: /proc/meminfo Slab;" \
	     "slabinfo: /proc/slabinfo active objects x object size, summed."
}

# --- the issue's targets ---------------------------------------------------

# rowval LABEL-PREFIX FIELD: a field (3 toy, 4 tcp, 5 udp) of the first row
# whose label starts with LABEL-PREFIX
rowval() {
	awk -F';' -v l="$1" -v f="$2" 'index($2, l) == 1 && $f != "-" { print $f; exit }' "$T/rows"
}

targets() {
	tv() {	# tv TEXT A OP B: "TEXT: A OP B -> met" or "NOT met" or "n/a"
		awk -v t="$1" -v a="$2" -v op="$3" -v b="$4" 'BEGIN {
			if (a == "" || b == "") { printf "- %s: n/a (not measured)\n", t; exit }
			ok = op == ">=" ? a >= b : a <= b
			printf "- %s: %s %s %s -> %s\n", t, a, op, b, ok ? "met" : "NOT met" }'
	}
	B=$(rowval "bulk goodput 64 KiB, no loss" 3)
	echo
	echo "Targets of issue 13 (measured, not asserted):"
	tv "64 KiB bulk goodput >= 0.5 x TCP's" "$B" ">=" \
		"$(awk -v x="$(rowval "bulk goodput 64 KiB, no loss" 4)" 'BEGIN { if (x != "") print x / 2 }')"
	tv "64 KiB bulk goodput >= 2 x UDP's delivered" "$B" ">=" \
		"$(awk -v x="$(rowval "bulk goodput 64 KiB, no loss" 5)" 'BEGIN { if (x != "") print x * 2 }')"
	tv "ping-pong mean RTT <= UDP's (us)" "$(rowval "ping-pong 64 B mean" 3)" "<=" \
		"$(rowval "ping-pong 64 B mean" 5)"
	tv "connections per second >= TCP's" "$(rowval "connections per second" 3)" ">=" \
		"$(rowval "connections per second" 4)"
	tv "slab per idle connection <= TCP's (B, meminfo)" \
		"$(rowval "slab per idle connection (B, meminfo)" 3)" "<=" \
		"$(rowval "slab per idle connection (B, meminfo)" 4)"
}

# Wide enough for the connection rows: ports and TIME_WAIT entries of both
# protocols in the client's namespace (connection rate, idle connections).
echo "1024 65535" | in_ns "$NS_A" tee /proc/sys/net/ipv4/ip_local_port_range >/dev/null
echo "1024 65535" | in_ns "$NS_A" tee /proc/sys/net/toy/port_range >/dev/null
echo 262144 | in_ns "$NS_A" tee /proc/sys/net/ipv4/tcp_max_tw_buckets >/dev/null

want base && base
want big && big
want flows && flows
want mem && mem
want conn && conn
want lfp && lfp
want base || want big || want conn || want mem && targets
echo
echo "## Every row, machine-readable (label;AF_TOY;TCP;UDP;TOY/TCP;TOY/UDP;better)"
cat "$T/rows"
exit 0
