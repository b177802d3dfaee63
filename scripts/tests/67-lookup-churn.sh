#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
#
# The connection table is read without a lock (table.c: RCU, hlist_nulls),
# so sockets are hashed, unhashed and freed under readers' feet. This test
# makes that happen as often as it can:
# - churn: NPORTS workers in A, each on its own bound client port, connect
#   to an echo server in B, send a random message, check its echo, close
#   first (TIME_WAIT on A's side) and connect again from the same port, so
#   each 4-tuple goes connection -> TIME_WAIT -> reused connection again and
#   again (toy-lookup-churn.py; TimeWaitReused counts the reuses);
# - blast: meanwhile one toy-hostile per 4-tuple, in B, forges segments
#   from the server's end at exactly those 4-tuples (RSTs, SYNs, data,
#   ACKs; random numbers), so that lookups run on A's table while the
#   sockets they find (connections, timewait sockets) come and go. Not
#   both ways: forged SYNs at the listener jam the 4-tuples' handshakes
#   (a simultaneous open with nobody), and on the debug kernel no
#   connection got through in 30 s.
# Then it checks that the kernel said nothing (KASAN, lockdep, refcount
# and RCU reports since the test began; vm.sh's scan and the end-of-run
# kmemleak scan judge the whole run too), that every echo was intact, and
# that nothing leaked: once the namespaces are deleted, the module's
# reference count (one per full socket, given back when its memory is,
# after the grace period) comes back to what it was (timewait sockets hold
# no module reference: a leaked one is the end-of-run kmemleak scan's).
# On the debug kernel this is the test that would see a socket freed under
# a reader (a missing SOCK_RCU_FREE or call_rcu()) as a KASAN
# use-after-free, if the race is hit (the report says how often it was).
# TOY_SEED fixes toy-hostile's seeds; TOY_CHURN_SECONDS the churn's length.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
require toy-echo-server toy-hostile
setup_pair "$(unique_ns toyA)" "$(unique_ns toyB)" ||
	skip_all "could not set up the veth namespaces"

R=$(dirname "$0")/toy-lookup-churn.py
NPORTS=4
PORT=$((7700 + $$ % 50))
CPORT=$((42000 + $$ % 1000))
SEED=${TOY_SEED:-$(( $(date +%s) % 100000 ))}
SECONDS_=${TOY_CHURN_SECONDS:-15}
# the debug kernel (TOY_TIMEOUT_SCALE=2) makes each cycle several times
# slower: a longer churn for as many reuses
if [ "${TOY_TIMEOUT_SCALE:-1}" -gt 1 ]; then
	SECONDS_=${TOY_CHURN_SECONDS:-30}
fi
T=${TMPDIR:-/tmp}/toy-churn.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
log "server $IP_B:$PORT, client ports $CPORT..$((CPORT + NPORTS - 1))," \
    "${SECONDS_} s of churn, seed $SEED (TOY_SEED=$SEED replays it)"

counter() {	# counter NS NAME
	in_ns "$1" cat /proc/net/toy_stats | awk -v k="$2" '$1 == k { print $2 }'
}
listening() {
	in_ns "$NS_B" cat /proc/net/toy | grep -q ":$PORT 0.0.0.0:0 LISTEN"
}
modref() { cat /sys/module/toy/refcnt; }
tw_objs() {	# active toy_tw_sock objects, or nothing if not listed
	awk '$1 == "toy_tw_sock" { print $2 }' /proc/slabinfo 2>/dev/null
}
ref_back() { [ "$(modref)" -le "$1" ]; }
no_toy_sockets() {	# nothing left in B, only TIME_WAIT in A
	! in_ns "$NS_A" cat /proc/net/toy | awk 'NR > 1' | grep -vq TIME_WAIT &&
	[ "$(in_ns "$NS_B" cat /proc/net/toy | awk 'NR > 1' | wc -l)" -eq 0 ]
}

# the kernel log from here on is this test's
MARK="toy-test: 67-lookup-churn start $$"
echo "$MARK" >/dev/kmsg
ref0=$(modref)
tw0=$(tw_objs)
log "before: module refcnt $ref0, toy_tw_sock objects ${tw0:-(not in /proc/slabinfo)}"

# ip execs the server: $SRV is its pid, so that kill below ends it
run_bg "$IP" netns exec "$NS_B" toy-echo-server "$IP_B:$PORT" --backlog 64 \
	>/dev/null 2>&1
SRV=$BG_PID
wait_for listening || skip_all "the echo server did not start"

reused0=$(counter "$NS_A" TimeWaitReused)
in0_a=$(counter "$NS_A" InSegs)
in0_b=$(counter "$NS_B" InSegs)
# busybox has no nice(1): python3 lowers the priority and execs the rest
NICE='import os, sys; os.nice(10); os.execvp(sys.argv[1], sys.argv[1:])'
blasters=""
i=0
while [ "$i" -lt "$NPORTS" ]; do
	# ip execs toy-hostile: $BG_PID is toy-hostile's, for kill below;
	# niced, so that the churn still gets its share of the CPUs
	run_bg python3 -c "$NICE" "$IP" netns exec "$NS_B" toy-hostile attack \
		"$IP_B:$PORT" "$IP_A:$((CPORT + i))" --count 1000000000 \
		--seed $((SEED + i)) >"$T/blast.$i" 2>&1
	blasters="$blasters $BG_PID"
	i=$((i + 1))
done
in_ns "$NS_A" python3 "$R" "$IP_A" "$CPORT" "$NPORTS" "$IP_B:$PORT" \
	"$SECONDS_" >"$T/churn" 2>&1
churn_rc=$?
for p in $blasters; do
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
done
cat "$T/churn"
sent=0
for f in "$T"/blast.*; do
	n=$(sed -n 's/.*attack: \([0-9][0-9]*\) segments.*/\1/p' "$f" | tail -n 1)
	grep -q . "$f" || continue
	sed 's/^/# blast: /' "$f" | tail -n 2
	sent=$((sent + ${n:-0}))
done
reused=$(( $(counter "$NS_A" TimeWaitReused) - reused0 ))
in_a=$(( $(counter "$NS_A" InSegs) - in0_a ))
in_b=$(( $(counter "$NS_B" InSegs) - in0_b ))
log "$sent forged segments; TimeWaitReused +$reused in A;" \
    "InSegs +$in_a in A, +$in_b in B"

if [ "$sent" -gt 0 ]; then
	pass "lookup-churn: the blast sent $sent forged segments at the 4-tuples"
else
	fail "lookup-churn: the blast sent forged segments at the 4-tuples" \
	     "$(cat "$T"/blast.* | head -n 3)"
fi
if [ "$churn_rc" -eq 0 ]; then
	pass "lookup-churn: connections cycled and every echo was intact under the blast"
else
	fail "lookup-churn: connections cycled and every echo was intact under the blast" \
	     "$(tail -n 1 "$T/churn")"
fi
if [ "$reused" -ge "$NPORTS" ]; then
	pass "lookup-churn: the 4-tuples went through TIME_WAIT and were reused ($reused)"
else
	fail "lookup-churn: the 4-tuples went through TIME_WAIT and were reused" \
	     "TimeWaitReused +$reused"
fi

# --- the kernel log: nothing since the mark ---------------------------------
dmesg | sed -n "/$MARK/,\$p" >"$T/dmesg"
REPORTS='BUG:|KASAN|WARNING:|possible .*deadlock|lock held|inconsistent lock|suspicious RCU|refcount_t:|general protection'
if grep -Eq "$REPORTS" "$T/dmesg"; then
	grep -E -A 20 "$REPORTS" "$T/dmesg" | head -n 60 | sed 's/^/# /'
	fail "lookup-churn: the kernel reported nothing (KASAN, lockdep, refcount, RCU)"
else
	pass "lookup-churn: the kernel reported nothing (KASAN, lockdep, refcount, RCU)"
fi

# --- nothing leaked ------------------------------------------------------------
kill "$SRV" 2>/dev/null
wait "$SRV" 2>/dev/null
in_ns "$NS_A" cat /proc/net/toy | awk 'NR > 1 { print $4 }' | sort | uniq -c | sed 's/^/# A: /'
in_ns "$NS_B" cat /proc/net/toy | awk 'NR > 1 { print $4 }' | sort | uniq -c | sed 's/^/# B: /'
if ! wait_for -t 30 no_toy_sockets; then
	in_ns "$NS_A" cat /proc/net/toy | head -n 10 | sed 's/^/# A: /'
	in_ns "$NS_B" cat /proc/net/toy | head -n 10 | sed 's/^/# B: /'
fi
ns_del "$NS_A"
ns_del "$NS_B"
if wait_for -t 60 ref_back "$ref0"; then
	pass "lookup-churn: every socket was freed (module refcnt back to $ref0)"
else
	fail "lookup-churn: every socket was freed" \
	     "module refcnt $(modref), was $ref0"
fi
# KASAN keeps freed objects in quarantine, and slab merges caches: the
# count of toy_tw_sock objects is only printed; a timewait socket that is
# never freed is left to the end-of-run kmemleak scan (debug kernel).
log "toy_tw_sock objects: ${tw0:-?} before, $(tw_objs) after"
