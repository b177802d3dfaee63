#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest half of `make bench` (scripts/bench.sh): bulk goodput at 0% and
# 5% loss and 64-byte ping-pong, for AF_TOY, TCP and UDP, all with
# toy-bench over the same veth pair in this one VM run. A benchmark, not a
# test: it reports figures and ratios and never fails on them.
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
# "base", the rows above; default all).
# shellcheck source=scripts/tests/lib.sh
. /tests/lib.sh

D=${BENCH_DURATION:-5}
PP_CPUS=${BENCH_PP_CPUS-0 0}
BULK_CPUS=${BENCH_BULK_CPUS-0 1}
LOSS=${BENCH_LOSS:-5%}
SIZE=${BENCH_SIZE:-1400}
TCP_SIZE=${BENCH_TCP_SIZE:-131072}
ONLY=$(echo "${BENCH_ONLY:-base}" | tr , ' ')
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
# the client's RESULT lines land in $T/PROTO-MODE-TAG.{s,c}
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
		--timeout 20000 >"$_o.s" 2>&1 &
	_sp=$!
	wait_for grep -q "server on" "$_o.s"
	[ "$_p" = toy ] && stats "$_o.before"
	# shellcheck disable=SC2046 # taskset and its mask: two words
	$(pin "$_cc") "$IP" netns exec "$NS_A" toy-bench client "$_p" "$_m" "$IP_B:$PORT" \
		--duration "$D" --timeout 20000 "$@" >"$_o.c" 2>&1
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

# want PART: whether BENCH_ONLY selects PART
want() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }

bulk_size() { [ "$1" = tcp ] && echo "$TCP_SIZE" || echo "$SIZE"; }

# ratio A B: A/B with two decimals, "-" if either is missing or B is 0
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {
	if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
keep() { awk -v a="$1" -v b="$2" 'BEGIN {
	if (a == "" || b == "" || b + 0 == 0) print ""; else printf "%.2f", a / b }'; }

echo "# toy-bench in one VM: $(nproc) CPUs, $(uname -r), ${D} s per measurement;" \
     "bulk: AF_TOY and UDP $SIZE-byte messages, TCP a stream ($TCP_SIZE-byte sends);" \
     "loss: netem loss $LOSS on the sender's side ($NS_A/$DEV_A);" \
     "CPUs (client server): bulk ${BULK_CPUS:-unpinned}, ping-pong ${PP_CPUS:-unpinned}"
echo "# AF_TOY sysctls: rto_min_ms $(in_ns "$NS_A" cat /proc/sys/net/toy/rto_min_ms)" \
     "delack_ms $(in_ns "$NS_A" cat /proc/sys/net/toy/delack_ms)" \
     "wmem/rmem_default $(in_ns "$NS_A" cat /proc/sys/net/toy/wmem_default)"

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
	g() { val "$T/$1-bulk-$2.s" mbps; }
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

	row() {	# row LABEL TOY TCP UDP
		printf '| %-34s | %9s | %9s | %9s | %7s | %7s |\n' "$1" "${2:--}" "${3:--}" \
			"${4:--}" "$(ratio "$2" "$3")" "$(ratio "$2" "$4")"
	}

	echo
	echo "## AF_TOY vs TCP vs UDP (one VM run, TCG, veth between two namespaces)"
	echo
	printf '| %-34s | %9s | %9s | %9s | %7s | %7s |\n' measurement AF_TOY TCP UDP TOY/TCP TOY/UDP
	echo "|------------------------------------|-----------|-----------|-----------|---------|---------|"
	row "bulk goodput, no loss (Mbit/s)" "$B0_toy" "$B0_tcp" "$B0_udp"
	row "bulk goodput, loss $LOSS (Mbit/s)" "$BL_toy" "$BL_tcp" "$BL_udp"
	row "goodput kept at loss $LOSS (x)" "$(keep "$BL_toy" "$B0_toy")" \
		"$(keep "$BL_tcp" "$B0_tcp")" "$(keep "$BL_udp" "$B0_udp")"
	row "ping-pong 64 B (round trips/s)" "$PR_toy" "$PR_tcp" "$PR_udp"
	row "ping-pong 64 B mean RTT (us)" "$PM_toy" "$PM_tcp" "$PM_udp"
	row "ping-pong 64 B median RTT (us)" "$P5_toy" "$P5_tcp" "$P5_udp"
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

want base && base
exit 0
