#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# TIME_WAIT kept the way TCP keeps it: a small timewait socket, not the
# connection's whole socket.
# - 10,000 connections closed by the client leave 10,000 TIME_WAIT entries
#   in its namespace; the kernel's unreclaimable slab is measured before
#   and after and printed per entry (a full socket and its buffers would
#   be several KiB each).
# - net.toy.max_tw_buckets bounds them: beyond it a connection closes
#   without TIME_WAIT (TimeWaitOverflow).
# - The namespaces are deleted while the entries still wait (2 x MSL is
#   120 s here): the timewait sockets hold no namespace, so their memory
#   comes back at once (at least half of it in SUnreclaim: slab keeps some
#   pages cached), not after the wait.
# TOY_TW_COUNT sets the number (default 10000; 2000 on the debug kernel).
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-echo-server toy-churn
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

N=${TOY_TW_COUNT:-10000}
LIMIT=1024	# bytes per entry; a full socket with its buffers is several KiB
# the debug kernel (TOY_TIMEOUT_SCALE=2): KASAN makes each connection slow
# and each object bigger (redzones)
if [ "${TOY_TIMEOUT_SCALE:-1}" -gt 1 ]; then
	N=${TOY_TW_COUNT:-2000}
	LIMIT=2048
fi
PORT=$((7600 + $$ % 50))
log "$N connections to $IP_B:$PORT, each closed by the client"

sunreclaim() { awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo; }
tw_count() {	# TIME_WAIT entries in NS_A
	in_ns "$NS_A" cat /proc/net/toy | awk '$4 == "TIME_WAIT"' | wc -l
}
counter() {	# counter NS NAME
	in_ns "$1" cat /proc/net/toy_stats | awk -v k="$2" '$1 == k { print $2 }'
}
listening() {
	in_ns "$NS_B" cat /proc/net/toy | grep -q ":$PORT 0.0.0.0:0 LISTEN"
}
tw_at_least() { [ "$(tw_count)" -ge "$1" ]; }
slab_below() { [ "$(sunreclaim)" -le "$1" ]; }

for ns in "$NS_A" "$NS_B"; do
	echo 60000 | in_ns "$ns" tee /proc/sys/net/toy/msl_ms >/dev/null
done
run_bg in_ns "$NS_B" toy-echo-server "$IP_B:$PORT" --backlog 256 >/dev/null 2>&1
SRV=$BG_PID
wait_for listening || skip_all "the echo server did not start"

before=$(sunreclaim)
in_ns "$NS_A" toy-churn "$IP_B:$PORT" --count "$N" --parallel 8 \
	--timeout 10000 | sed 's/^/# /'
wait_for -t 60 tw_at_least "$N"
tw=$(tw_count)
after=$(sunreclaim)
per=$(( (after - before) * 1024 / (tw > 0 ? tw : 1) ))
log "$tw TIME_WAIT entries; SUnreclaim ${before} kB -> ${after} kB:" \
    "$((after - before)) kB, about $per bytes each"
if [ "$tw" -ge "$N" ]; then
	pass "timewait: $N connections closed by the client are all in TIME_WAIT"
else
	fail "timewait: $N connections closed by the client are all in TIME_WAIT" \
	     "only $tw"
fi
if [ "$per" -lt "$LIMIT" ]; then
	pass "timewait: an entry costs less than $LIMIT bytes of kernel memory ($per bytes)"
else
	fail "timewait: an entry costs less than $LIMIT bytes of kernel memory ($per bytes)"
fi

# --- max_tw_buckets ----------------------------------------------------
limit=$((tw + 20))
echo "$limit" | in_ns "$NS_A" tee /proc/sys/net/toy/max_tw_buckets >/dev/null
over=$(counter "$NS_A" TimeWaitOverflow)
in_ns "$NS_A" toy-churn "$IP_B:$PORT" --count 100 --parallel 4 \
	--timeout 10000 | sed 's/^/# /'
wait_for -t 30 sh -c "[ \$($IP netns exec $NS_A cat /proc/net/toy_stats |
	awk '\$1 == \"TimeWaitOverflow\" { print \$2 }') -ge $((over + 80)) ]"
tw2=$(tw_count)
over2=$(counter "$NS_A" TimeWaitOverflow)
log "max_tw_buckets $limit: TIME_WAIT $tw -> $tw2, TimeWaitOverflow +$((over2 - over))"
if [ "$tw2" -le "$limit" ] && [ $((over2 - over)) -ge 80 ]; then
	pass "timewait: max_tw_buckets bounds them; beyond it a connection closes (TimeWaitOverflow)"
else
	fail "timewait: max_tw_buckets bounds them; beyond it a connection closes (TimeWaitOverflow)" \
	     "TIME_WAIT $tw2 (limit $limit), TimeWaitOverflow +$((over2 - over))"
fi

# --- the namespaces go, the entries with them ----------------------------
grown=$((after - before))
kill "$SRV" 2>/dev/null
wait "$SRV" 2>/dev/null
ns_del "$NS_A"
ns_del "$NS_B"
# at least half of it back (slab keeps some pages of freed objects cached)
if wait_for -t 60 slab_below $((before + grown / 2)); then
	pass "timewait: deleting the namespace frees its TIME_WAIT entries at once (SUnreclaim $(sunreclaim) kB)"
else
	fail "timewait: deleting the namespace frees its TIME_WAIT entries at once" \
	     "SUnreclaim $(sunreclaim) kB, was $before kB before and $after kB with them"
fi
