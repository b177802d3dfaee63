#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of tier "fuzz" (scripts/tiers/40-fuzz.sh), on the debug
# kernel; not an NN-*.sh file, so /tests/run.sh leaves it alone.
#
#  1. Namespaces A and B (veth) and C, with a veth pair to each and host
#     routes to their A-B addresses (as in 60-blind-attack). Echo
#     listeners in A and B; toy-verify transfers A->B and B->A, one after
#     another, for as long as the fuzzing lasts.
#  2. toy-hostile fuzz from C, two processes (one per vCPU), TOY_FUZZ_COUNT
#     segments in all (default 1000000), aimed at every listener and
#     connection of A and B as /proc/PID/net/toy shows them to root.
#     The fuzzer knows every number, so it may legitimately reset or
#     corrupt the transfers running meanwhile: their outcome is printed,
#     not asserted. Afterwards fresh transfers both ways must verify.
#  3. failslab (debugfs), limited to the AF_TOY programs (task-filter,
#     /proc/PID/make-it-fail, set once they run), TOY_FAILSLAB_PERCENT
#     (default 5) percent of their slab allocations failing, sleeping ones
#     too: transfers and connection churn may fail with errors (printed),
#     the kernel must carry on (its log is vm.sh's). Afterwards fresh
#     transfers both ways must verify again.
#  4. Everything stops; `rmmod toy` must succeed (TIME_WAIT shortened)
#     and a kmemleak scan must find nothing.
# vm.sh's kernel-log scan (KASAN, lockdep, WARN, kmemleak...) judges the
# whole run on top of these PASS/FAIL lines.
# TOY_SEED fixes the seeds.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-hostile toy-verify toy-echo-server toy-churn
[ -e /proc/net/toy ] || skip_all "AF_TOY is not available"
FUZZ_COUNT=${TOY_FUZZ_COUNT:-1000000}
SEED=${TOY_SEED:-$(( $(date +%s) % 100000 ))}
FAIL_PCT=${TOY_FAILSLAB_PERCENT:-5}
# the fuzzing stops after this long even short of FUZZ_COUNT (and fails)
FUZZ_SECONDS=${TOY_FUZZ_SECONDS:-330}
# which kernel (a word in every result name), and what to run beyond the
# fuzzing and rmmod: failslab and kmemleak need the debug kernel
K=${TOY_FUZZ_KERNEL:-debug}
PHASES=${TOY_FUZZ_PHASES-failslab kmemleak}
has_phase() { case " $PHASES " in *" $1 "*) return 0 ;; esac; return 1; }
log "seed $SEED (TOY_SEED=$SEED replays it): $FUZZ_COUNT segments" \
    "(at most ${FUZZ_SECONDS} s) on the $K kernel; then: rmmod ${PHASES:-only}"
T=${TMPDIR:-/tmp}/toy-fuzz.$$
mkdir -p "$T"

setup_pair "$(unique_ns toyA)" "$(unique_ns toyB)" ||
	skip_all "could not set up the veth namespaces"
NS_C=$(unique_ns toyC)
ns_create "$NS_C" || skip_all "could not create $NS_C"
link_third "$NS_B" 10.0.2.2 10.0.2.3 vethbc vethcb "$IP_B" &&
link_third "$NS_A" 10.0.1.1 10.0.1.3 vethac vethca "$IP_A" ||
	skip_all "could not link $NS_C to $NS_A and $NS_B"
# answers to the fuzzer's made-up sources leave towards the other side,
# which does not forward them
ip -n "$NS_A" route add 10.9.0.0/16 via "$IP_B"
ip -n "$NS_B" route add 10.9.0.0/16 via "$IP_A"
for ns in "$NS_A" "$NS_B"; do
	# TIME_WAIT in 200 ms, so that rmmod does not wait for it
	echo 100 | in_ns "$ns" tee /proc/sys/net/toy/msl_ms >/dev/null
done

# listeners that stay for the whole run; their PIDs name the namespaces
# for the fuzzer (/proc/PID/net/toy). ip netns exec execs: $! is the server.
"$IP" netns exec "$NS_B" toy-echo-server "$IP_B:7700" >"$T/echo.b" 2>&1 &
PID_B=$!
"$IP" netns exec "$NS_A" toy-echo-server "$IP_A:7701" >"$T/echo.a" 2>&1 &
PID_A=$!
_toy_pids="$_toy_pids $PID_A $PID_B"
wait_for grep -q listening "$T/echo.b" && wait_for grep -q listening "$T/echo.a" ||
	skip_all "the echo servers did not start"

# is_verify PID: PID runs toy-verify (ip netns exec has exec'd)
is_verify() { case $(readlink "/proc/$1/exe") in *toy-verify) return 0 ;; esac; return 1; }
# mark PID: fault injection (failslab task-filter) for PID from now on
mark() { echo 1 >"/proc/$1/make-it-fail" 2>/dev/null; }

# transfer NAME FROM_NS TO_NS TO_IP PORT COUNT [fail]: one toy-verify
# transfer; status 0 if every message verified. With "fail", both ends
# are marked for fault injection once running (after exec, so that what
# fails is their socket calls, not their start).
transfer() {
	_n=$1 _from=$2 _to=$3 _ip=$4 _port=$5 _cnt=$6 _f=${7:-}
	"$IP" netns exec "$_to" toy-verify recv "$_ip:$_port" \
		--timeout 20000 >"$T/$_n.r" 2>&1 &
	_rp=$!
	wait_for -t 20 grep -q listening "$T/$_n.r" ||
		{ kill "$_rp" 2>/dev/null; wait "$_rp"; return 1; }
	[ -n "$_f" ] && mark "$_rp"
	"$IP" netns exec "$_from" toy-verify send "$_ip:$_port" \
		--count "$_cnt" --min 1 --max 8192 --seed "$SEED" \
		--timeout 20000 >"$T/$_n.s" 2>&1 &
	_sp=$!
	if [ -n "$_f" ]; then
		wait_for -t 10 is_verify "$_sp" >/dev/null
		mark "$_sp"
	fi
	wait "$_sp"
	_sr=$?
	wait "$_rp"
	_rr=$?
	echo "$_sr $_rr" >"$T/$_n.rc"
	[ "$_sr" = 0 ] && [ "$_rr" = 0 ]
}

# movers DIR: transfers one after another while $T/run exists; counts in
# $T/DIR.ok and $T/DIR.bad
movers() {
	_d=$1 _p=$2 _ok=0 _bad=0
	while [ -e "$T/run" ]; do
		_p=$((_p + 1))
		if [ "$_d" = ab ]; then
			transfer "m$_d" "$NS_A" "$NS_B" "$IP_B" "$_p" 300
		else
			transfer "m$_d" "$NS_B" "$NS_A" "$IP_A" "$_p" 300
		fi && _ok=$((_ok + 1)) || _bad=$((_bad + 1))
		echo "$_ok" >"$T/$_d.ok"
		echo "$_bad" >"$T/$_d.bad"
	done
}

# both_ways NAME: a fresh 500-message transfer each way must verify
both_ways() {
	if transfer "$1.ab" "$NS_A" "$NS_B" "$IP_B" "$2" 500 &&
	   transfer "$1.ba" "$NS_B" "$NS_A" "$IP_A" "$(($2 + 1))" 500; then
		pass "fuzz: $K: $1: new connections move verified data both ways"
	else
		for f in "$T/$1".ab.s "$T/$1".ab.r "$T/$1".ba.s "$T/$1".ba.r; do
			[ -e "$f" ] && tail -n 3 "$f" | sed "s|^|# ${f##*/}: |"
		done
		fail "fuzz: $K: $1: new connections move verified data both ways"
	fi
}

stats() { in_ns "$1" cat /proc/net/toy_stats; }
deltas() {
	awk 'NR == FNR { b[$1] = $2; next } $2 != b[$1] { printf "%s +%d ", $1, $2 - b[$1] }' "$1" "$2"
}

# --- 1 + 2: fuzzing under live traffic ----------------------------------------
both_ways "before the fuzzing" 7710
stats "$NS_A" >"$T/a.0"
stats "$NS_B" >"$T/b.0"
touch "$T/run"
movers ab 8000 &
MA=$!
movers ba 9000 &
MB=$!
_toy_pids="$_toy_pids $MA $MB"
wait_for -t 30 sh -c "grep -q ESTABLISHED /proc/$PID_A/net/toy && grep -q ESTABLISHED /proc/$PID_B/net/toy"
HALF=$((FUZZ_COUNT / 2))
t0=$(cut -d' ' -f1 /proc/uptime)
for i in 0 1; do
	"$IP" netns exec "$NS_C" toy-hostile fuzz --proc "/proc/$PID_A/net/toy" \
		--proc "/proc/$PID_B/net/toy" --src-net 10.9.0.0/16 \
		--count "$((HALF + i * (FUZZ_COUNT % 2)))" --seed "$((SEED + i))" \
		--seconds "$FUZZ_SECONDS" \
		>"$T/fuzz$i" 2>&1 &
	eval "FZ$i=\$!"
done
wait "$FZ0"; r0=$?
wait "$FZ1"; r1=$?
t1=$(cut -d' ' -f1 /proc/uptime)
rm -f "$T/run"
wait "$MA" "$MB"
cat "$T/fuzz0" "$T/fuzz1" | sed 's/^/# /'
sent=$(cat "$T/fuzz0" "$T/fuzz1" |
	sed -n 's/.*: \([0-9][0-9]*\) segments sent in.*/\1/p' | awk '{ n += $1 } END { print n + 0 }')
log "fuzz: $sent segments in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s: %.0f segments/s", b - a, '"$sent"' / (b - a) }')"
log "transfers during the fuzzing (the fuzzer may reset or corrupt them):" \
    "A->B $(cat "$T/ab.ok" 2>/dev/null || echo 0) verified, $(cat "$T/ab.bad" 2>/dev/null || echo 0) not;" \
    "B->A $(cat "$T/ba.ok" 2>/dev/null || echo 0) verified, $(cat "$T/ba.bad" 2>/dev/null || echo 0) not"
stats "$NS_A" >"$T/a.1"
stats "$NS_B" >"$T/b.1"
log "A's counters: $(deltas "$T/a.0" "$T/a.1")"
log "B's counters: $(deltas "$T/b.0" "$T/b.1")"
if [ "$r0" = 0 ] && [ "$r1" = 0 ] && [ "$sent" -ge "$FUZZ_COUNT" ]; then
	pass "fuzz: $K: toy-hostile fuzz sent $FUZZ_COUNT segments at listeners and connections"
else
	fail "fuzz: $K: toy-hostile fuzz sent $FUZZ_COUNT segments at listeners and connections" \
	     "exit $r0/$r1, $sent segments sent (limit ${FUZZ_SECONDS} s: TOY_FUZZ_SECONDS)"
fi
both_ways "after the fuzzing" 7720

# --- 3: failslab ------------------------------------------------------------
FS=/sys/kernel/debug/failslab
if ! has_phase failslab; then
	log "no failslab phase on this kernel"
elif [ -d "$FS" ]; then
	echo 0 >"$FS/verbose"
	echo Y >"$FS/task-filter"
	echo N >"$FS/ignore-gfp-wait"
	echo "$FAIL_PCT" >"$FS/probability"
	echo 1 >"$FS/interval"
	echo 100000000 >"$FS/times"
	stats "$NS_A" >"$T/a.2"
	ok=0 bad=0 port=7800
	for i in 1 2 3; do
		port=$((port + 2))
		if transfer "fs$i.ab" "$NS_A" "$NS_B" "$IP_B" "$port" 200 fail; then
			ok=$((ok + 1))
		else
			bad=$((bad + 1))
		fi
		"$IP" netns exec "$NS_A" toy-churn "$IP_B:7700" --make-it-fail \
			--count 50 --parallel 5 --timeout 3000 >"$T/fs$i.churn" 2>&1
		sed 's/^/# failslab churn: /' "$T/fs$i.churn" | head -n 4
	done
	injected=$((100000000 - $(cat "$FS/times")))
	echo 0 >"$FS/probability"
	log "failslab: $FAIL_PCT% of the slab allocations of the AF_TOY programs" \
	    "failed ($injected failures injected): $ok transfers verified," \
	    "$bad ended with an error"
	log "failslab: A's counters: $(deltas "$T/a.2" "$(stats "$NS_A" >"$T/a.3"; echo "$T/a.3")")"
	grep -h 'toy-verify: .*E[A-Z][A-Z]*' "$T"/fs*.s "$T"/fs*.r 2>/dev/null |
		grep -o ': E[A-Z][A-Z]*' | sed 's/^: //' | sort | uniq -c | sed 's/^/# failslab errors: /'
	if [ "$injected" -gt 0 ]; then
		pass "fuzz: $K: failslab: $injected allocations of AF_TOY programs failed, the kernel carried on"
	else
		fail "fuzz: $K: failslab: $injected allocations of AF_TOY programs failed, the kernel carried on" \
		     "no failure was injected: is task-filter/make-it-fail working?"
	fi
	both_ways "after failslab" 7730
else
	fail "fuzz: $K: failslab: allocations of AF_TOY programs failed, the kernel carried on" \
	     "no $FS: is CONFIG_FAILSLAB/CONFIG_FAULT_INJECTION_DEBUG_FS set?"
fi

# --- 4: teardown, rmmod, kmemleak ----------------------------------------------
for p in $_toy_pids; do kill "$p" 2>/dev/null; done
for p in $_toy_pids; do wait "$p" 2>/dev/null; done
_toy_pids=
# and whatever else runs there: the echo servers' children, serving
# connections the fuzzer opened and left
for n in $_toy_ns; do
	# shellcheck disable=SC2046 # a list of pids
	kill -9 $(ip netns pids "$n") 2>/dev/null
done
# Connections the fuzzer opened and the servers closed retransmit their
# FIN to peers that never answer, as TCP's orphans do: shorten that, then
# wait until A and B have no AF_TOY socket left before deleting them.
for ns in "$NS_A" "$NS_B"; do
	for k in orphan_retries retries syn_retries; do
		echo 1 | in_ns "$ns" tee "/proc/sys/net/toy/$k" >/dev/null
	done
	echo 200 | in_ns "$ns" tee /proc/sys/net/toy/rto_max_ms >/dev/null
done
no_sockets() {
	[ "$(in_ns "$NS_A" cat /proc/net/toy | wc -l)" -le 1 ] &&
		[ "$(in_ns "$NS_B" cat /proc/net/toy | wc -l)" -le 1 ]
}
if ! wait_for -t 30 no_sockets; then
	for ns in "$NS_A" "$NS_B"; do
		log "AF_TOY sockets left in $ns, by state:" \
		    "$(in_ns "$ns" cat /proc/net/toy | awk 'NR > 1 { n[$4]++ } END { for (s in n) printf "%s %d ", s, n[s] }')"
		in_ns "$ns" cat /proc/net/toy | head -n 6 | sed 's/^/#   /'
	done
fi
for n in $_toy_ns; do ns_del "$n"; done
_toy_ns=
if wait_for -t 60 rmmod toy; then
	pass "fuzz: $K: rmmod toy succeeds after the fuzzing"
else
	cat /proc/net/toy 2>/dev/null | sed 's/^/# /'
	grep '^toy ' /proc/modules | sed 's/^/# /'
	ps | grep -v ' \[' | sed 's/^/# ps: /' | tail -n 15
	fail "fuzz: $K: rmmod toy succeeds after the fuzzing" "toy is still in use"
fi
KML=/sys/kernel/debug/kmemleak
if ! has_phase kmemleak; then
	log "no kmemleak on this kernel"
elif [ -w "$KML" ]; then
	# two scans, 5 s apart: an object must look unreferenced twice
	echo scan >"$KML"
	sleep 5
	echo scan >"$KML"
	cat "$KML" >"$T/kmemleak"
	if dmesg | grep -q 'kmemleak: .*disabled\|kmemleak: Cannot allocate'; then
		fail "fuzz: $K: kmemleak reports nothing" "kmemleak disabled itself: $(dmesg | grep kmemleak | tail -n 2)"
	elif [ -s "$T/kmemleak" ]; then
		head -n 40 "$T/kmemleak" | sed 's/^/# /'
		fail "fuzz: $K: kmemleak reports nothing" "$(grep -c 'unreferenced object' "$T/kmemleak") unreferenced object(s)"
	else
		pass "fuzz: $K: kmemleak reports nothing"
	fi
else
	fail "fuzz: $K: kmemleak reports nothing" "no $KML (not a kmemleak kernel?)"
fi
