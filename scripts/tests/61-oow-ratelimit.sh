#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
#
# Answers to out-of-window segments are rate-limited per connection, as
# tcp_oow_rate_limited() limits TCP's: a forger who knows a 4-tuple sends
# N pure ACKs with sequence numbers outside the window at B's end of an
# idle connection; B may answer at most one of them per
# net.toy.invalid_ratelimit_ms (500 ms), counting the rest in
# OowAcksLimited. Control in the same run: with invalid_ratelimit_ms 0
# the same forgeries are answered one for one, so the first check can
# tell a limit from a segment that never arrived.
# TOY_OOW_COUNT sets N (default 1000).
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

T=${TMPDIR:-/tmp}/toy-oow.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
FAKEPEER=$(dirname "$0")/toy-fakepeer.py
PORT=$((7900 + $$ % 50))
N=${TOY_OOW_COUNT:-1000}
log "port $PORT, $N forged ACKs per round"

counter() {	# counter NS NAME
	in_ns "$1" cat /proc/net/toy_stats | awk -v k="$2" '$1 == k { print $2 }'
}
# b_conn FIELD: a field of B's end of the connection, by column name
b_conn() {
	in_ns "$NS_B" cat /proc/net/toy | awk -v c="$1" -v l="$IP_B:$PORT" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$2 == l && $4 == "ESTABLISHED" { print $col[c]; exit }'
}
established() { [ -n "$(b_conn rcv_nxt)" ]; }
inseg_reached() { [ "$(counter "$NS_B" InSegs)" -ge "$1" ]; }

# an idle connection: the client connects and waits for "done"
cat >"$T/server.py" <<PY
import os, time
import toysocket
ls = toysocket.create_server(("$IP_B", $PORT))
print("listening", flush=True)
c, _ = ls.accept()
while not os.path.exists("$T/done"):
    time.sleep(0.05)
PY
cat >"$T/client.py" <<PY
import os, time
import toysocket
c = toysocket.create_connection(("$IP_B", $PORT), timeout=20)
print("port", c.getsockname()[1], flush=True)
while not os.path.exists("$T/done"):
    time.sleep(0.05)
PY
on_exit "touch '$T/done'"
run_bg in_ns "$NS_B" python3 "$T/server.py" >"$T/server.out" 2>&1
wait_for grep -q listening "$T/server.out" ||
	skip_all "the server did not start: $(cat "$T/server.out")"
run_bg in_ns "$NS_A" python3 "$T/client.py" >"$T/client.out" 2>&1
if ! wait_for grep -q port "$T/client.out" || ! wait_for established; then
	skip_all "no connection: $(cat "$T/client.out")"
fi
SPORT=$(sed -n 's/^port //p' "$T/client.out")

# round LIMIT_MS: forge N ACKs at B; sets ANSWERS, LIMITED and SECS
round() {
	echo "$1" | in_ns "$NS_B" tee /proc/sys/net/toy/invalid_ratelimit_ms >/dev/null
	_out0=$(counter "$NS_B" OutSegs)
	_lim0=$(counter "$NS_B" OowAcksLimited)
	_inseg0=$(counter "$NS_B" InSegs)
	in_ns "$NS_A" python3 "$FAKEPEER" oow "$IP_A" "$IP_B" "$SPORT" "$PORT" \
		"$(b_conn rcv_nxt)" "$N" >"$T/oow.out" 2>&1
	SECS=$(sed -n 's/.* sent in \([0-9.]*\) s$/\1/p' "$T/oow.out")
	# every forgery has arrived once B has counted them all
	wait_for inseg_reached $((_inseg0 + N)) ||
		log "B counted only $(( $(counter "$NS_B" InSegs) - _inseg0 )) of them"
	ANSWERS=$(( $(counter "$NS_B" OutSegs) - _out0 ))
	LIMITED=$(( $(counter "$NS_B" OowAcksLimited) - _lim0 ))
	log "invalid_ratelimit_ms $1: $N forgeries in ${SECS:-?} s;" \
	    "B answered $ANSWERS, OowAcksLimited +$LIMITED"
}

round 500
# one answer per 500 ms while they arrive, one more at each end
ALLOWED=$(awk -v s="${SECS:-0}" 'BEGIN { print int(s * 2) + 3 }')
if [ "$ANSWERS" -le "$ALLOWED" ] && [ "$LIMITED" -ge $((N - ALLOWED)) ]; then
	pass "oow: $N out-of-window ACKs draw at most $ALLOWED answers ($ANSWERS)"
else
	fail "oow: $N out-of-window ACKs draw at most $ALLOWED answers ($ANSWERS)" \
	     "B answered $ANSWERS, OowAcksLimited +$LIMITED in ${SECS:-?} s"
fi

round 0
if [ "$ANSWERS" -ge $((N * 9 / 10)) ] && [ "$LIMITED" = 0 ]; then
	pass "oow: control: with invalid_ratelimit_ms 0 each is answered ($ANSWERS of $N)"
else
	fail "oow: control: with invalid_ratelimit_ms 0 each is answered ($ANSWERS of $N)" \
	     "OowAcksLimited +$LIMITED"
fi
echo 500 | in_ns "$NS_B" tee /proc/sys/net/toy/invalid_ratelimit_ms >/dev/null
check "oow: the connection is still established" established
