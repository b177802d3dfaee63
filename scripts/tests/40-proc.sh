#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 400
#
# /proc/net/toy and the connection states: the header, LISTEN,
# ESTABLISHED on both sides with the right addresses, queue and sequence
# columns, per-namespace listings, then the teardown states at the moments
# they must appear (FIN_WAIT2/CLOSE_WAIT, LAST_ACK while the last ACK is
# lost, TIME_WAIT on the side that closed first, FIN_WAIT1 and CLOSING in a
# simultaneous close, SYN_SENT toward a silent host) and the end of
# TIME_WAIT after 2*MSL with net.toy.msl_ms shortened.
#
# The two ends are toy-sock processes that step through their script and
# wait for files this script creates, so nothing here sleeps blindly.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require toy-sock

[ -e /proc/net/toy ] || skip_all "/proc/net/toy does not exist (module not loaded?)"

T=${TMPDIR:-/tmp}/toy-proc.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"

# shellcheck disable=SC2119 # default namespace names
setup_pair || skip_all "could not set up the veth namespaces"

HEADER="sl local remote state tx_queue rx_queue snd_una snd_nxt rcv_nxt snd_wnd rcv_wnd uid inode srtt_us rttvar_us rto_us cwnd retrans"

# proc NS: /proc/net/toy as namespace NS sees it ("-": this namespace).
proc() {
	if [ "$1" = - ]; then cat /proc/net/toy; else in_ns "$1" cat /proc/net/toy; fi
}

# proc_get NS STATE LOCAL REMOTE FIELD: print column FIELD (1-based) of the
# first line with that state ("*": any) and local/remote address (exact,
# "*" for any, or "prefix*"); status 1 when there is no such line.
proc_get() {
	proc "$1" 2>/dev/null | awk -v st="$2" -v l="$3" -v r="$4" -v f="$5" '
		function m(v, w) {
			if (w == "*") return 1
			if (substr(w, length(w)) == "*")
				return index(v, substr(w, 1, length(w) - 1)) == 1
			return v == w
		}
		NR > 1 && (st == "*" || $4 == st) && m($2, l) && m($3, r) {
			print $f; found = 1; exit
		}
		END { exit !found }'
}
proc_has() { proc_get "$1" "$2" "$3" "$4" 4 >/dev/null; }
proc_gone() { ! proc_has "$@"; }
# proc_field_is NS STATE LOCAL REMOTE FIELD OP VALUE (OP: -eq -gt ...)
proc_field_is() {
	_v=$(proc_get "$1" "$2" "$3" "$4" "$5") || return 1
	test "$_v" "$6" "$7"
}

dump_proc() {
	for _ns in "$NS_A" "$NS_B"; do
		echo "# /proc/net/toy in $_ns:"
		proc "$_ns" 2>&1 | sed 's/^/#   /'
	done
}

# pcheck NAME CMD...: PASS if CMD succeeds, else FAIL with both listings.
pcheck() {
	_pn=$1; shift
	if "$@"; then
		pass "$_pn"
	else
		dump_proc
		fail "$_pn"
	fi
}

# sock NS LOG STEP...: a toy-sock in the background.
sock() {
	_sns=$1 _slog=$2; shift 2
	run_bg in_ns "$_sns" toy-sock "$@" >"$_slog" 2>&1
}

# await FILE WHO LOG: wait for a toy-sock to reach a step; on timeout show
# its log and return 1.
await() {
	wait_for -t 15 test -e "$1" && return 0
	echo "# $2 did not get there; its output:"
	sed 's/^/#   /' "$3"
	return 1
}

now_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }

# --- a fresh namespace lists nothing; the header -------------------------
pcheck "proc: header line names the 18 columns" \
	test "$(proc "$NS_A" | head -n 1 | tr -s ' \t' '  ' | sed 's/^ //; s/ $//')" = "$HEADER"
pcheck "proc: a fresh namespace has no sockets" \
	test "$(proc "$NS_A" | wc -l)" -eq 1

# --- LISTEN and ESTABLISHED -----------------------------------------------
SRV=$IP_B:7100
sock "$NS_B" "$T/srv.log" listen "$SRV" accept touch "$T/accepted" \
	expect hi wait "$T/read_pending" expect pending touch "$T/read_done" \
	wait "$T/srv_eof" expect-eof state CLOSE_WAIT touch "$T/srv_cw" \
	wait "$T/srv_close" close touch "$T/srv_closed" wait "$T/srv_exit"
pcheck "proc: listener shows LISTEN $SRV 0.0.0.0:0" \
	wait_for proc_has "$NS_B" LISTEN "$SRV" 0.0.0.0:0

sock "$NS_A" "$T/cli.log" connect "$SRV" send hi send pending \
	touch "$T/sent" wait "$T/cli_close" close touch "$T/cli_closed"
await "$T/sent" client "$T/cli.log" && await "$T/accepted" server "$T/srv.log"

pcheck "proc: client side ESTABLISHED $IP_A:port -> $SRV" \
	wait_for proc_has "$NS_A" ESTABLISHED "$IP_A:*" "$SRV"
CLI=$(proc_get "$NS_A" ESTABLISHED "$IP_A:*" "$SRV" 2)
log "client address: ${CLI:-none}"
case $CLI in
"$IP_A":[1-9]*) ;;
*) CLI=$IP_A:unknown ;;
esac
pcheck "proc: server side ESTABLISHED $SRV <- client's address" \
	wait_for proc_has "$NS_B" ESTABLISHED "$SRV" "$CLI"
pcheck "proc: server namespace lists the listener and the connection" \
	test "$(proc "$NS_B" | wc -l)" -eq 3
pcheck "proc: client namespace lists only its connection" \
	test "$(proc "$NS_A" | wc -l)" -eq 2
pcheck "proc: the first namespace does not see them" \
	proc_gone - "*" "$SRV" "*"
pcheck "proc: every line has 18 columns, numbers in decimal" \
	sh -c "$IP netns exec $NS_B cat /proc/net/toy | awk '
		NR > 1 { if (NF != 18 || \$1 !~ /^[0-9]+:?\$/) bad = 1
			 for (i = 5; i <= 18; i++) if (\$i !~ /^[0-9]+\$/) bad = 1 }
		END { exit bad }'"
pcheck "proc: an unread message shows in the server's rx_queue" \
	wait_for -t 5 proc_field_is "$NS_B" ESTABLISHED "$SRV" "$CLI" 6 -gt 0
touch "$T/read_pending"
await "$T/read_done" server "$T/srv.log"
pcheck "proc: rx_queue is 0 once the message was read" \
	wait_for -t 5 proc_field_is "$NS_B" ESTABLISHED "$SRV" "$CLI" 6 -eq 0
# idle_seq_ok: client snd_una == snd_nxt == server rcv_nxt
idle_seq_ok() {
	_una=$(proc_get "$NS_A" ESTABLISHED "$CLI" "$SRV" 7) &&
	_nxt=$(proc_get "$NS_A" ESTABLISHED "$CLI" "$SRV" 8) &&
	_rcv=$(proc_get "$NS_B" ESTABLISHED "$SRV" "$CLI" 9) &&
	[ "$_una" = "$_nxt" ] && [ "$_nxt" = "$_rcv" ]
}
pcheck "proc: client snd_una = snd_nxt = server rcv_nxt when idle" \
	wait_for -t 5 idle_seq_ok
pcheck "proc: uid 0, an inode, rto_us and cwnd > 0 on the connection" \
	sh -c "$IP netns exec $NS_A cat /proc/net/toy | awk '
		\$2 == \"$CLI\" { ok = (\$12 == 0 && \$13 > 0 && \$16 > 0 && \$17 > 0) }
		END { exit !ok }'"

# --- active close by the client: FIN_WAIT2 / CLOSE_WAIT ---------------------
touch "$T/cli_close"
await "$T/cli_closed" client "$T/cli.log"
pcheck "proc: FIN_WAIT2 on the side that closed first" \
	wait_for proc_has "$NS_A" FIN_WAIT2 "$CLI" "$SRV"
pcheck "proc: CLOSE_WAIT on the other side" \
	wait_for proc_has "$NS_B" CLOSE_WAIT "$SRV" "$CLI"
touch "$T/srv_eof"
if await "$T/srv_cw" server "$T/srv.log"; then
	pass "info: recv 0 then TOY_INFO state CLOSE_WAIT on the passive side"
else
	fail "info: recv 0 then TOY_INFO state CLOSE_WAIT on the passive side"
fi

# --- LAST_ACK while the client's last ACK is lost; TIME_WAIT ----------------
lossy=0
if netem "$NS_A" "$DEV_A" loss 100% >/dev/null 2>&1; then
	lossy=1
	on_exit "netem_clear '$NS_A' '$DEV_A'"
fi
touch "$T/srv_close"
await "$T/srv_closed" server "$T/srv.log"
pcheck "proc: TIME_WAIT on the side that closed first" \
	wait_for proc_has "$NS_A" TIME_WAIT "$CLI" "$SRV"
if [ $lossy = 1 ]; then
	pcheck "proc: LAST_ACK while the last ACK is lost" \
		wait_for proc_has "$NS_B" LAST_ACK "$SRV" "$CLI"
	netem_clear "$NS_A" "$DEV_A"
	pcheck "proc: LAST_ACK ends when a retransmitted FIN gets its ACK" \
		wait_for -t 40 proc_gone "$NS_B" "*" "$SRV" "$CLI"
	pcheck "proc: TIME_WAIT stays (2*MSL = 60 s by default)" \
		proc_has "$NS_A" TIME_WAIT "$CLI" "$SRV"
else
	skip "proc: LAST_ACK while the last ACK is lost" "tc netem not available"
	skip "proc: LAST_ACK ends when a retransmitted FIN gets its ACK" \
	     "tc netem not available"
	skip "proc: TIME_WAIT stays (2*MSL = 60 s by default)" \
	     "tc netem not available"
fi
touch "$T/srv_exit"

# --- SYN_SENT toward an address nobody answers on -------------------------
sock "$NS_A" "$T/syn.log" connect 10.0.0.99:7
SYN=$BG_PID
pcheck "proc: SYN_SENT while connecting to a silent address" \
	wait_for -t 5 proc_has "$NS_A" SYN_SENT "$IP_A:*" 10.0.0.99:7
kill "$SYN" 2>/dev/null

# --- net.toy.msl_ms: TIME_WAIT lasts 2*MSL ---------------------------------
MSL_FILE=/proc/sys/net/toy/msl_ms
if [ -r $MSL_FILE ]; then
	MSL0=$(cat $MSL_FILE)
	pcheck "sysctl: net.toy.msl_ms defaults to 30000" test "$MSL0" = 30000
else
	fail "sysctl: net.toy.msl_ms defaults to 30000" "no $MSL_FILE"
	MSL0=
fi

# set_msl MS: in every namespace that has the sysctl (it may be per netns)
set_msl() {
	_any=1
	if [ -w $MSL_FILE ]; then echo "$1" >$MSL_FILE && _any=0; fi
	for _ns in "$NS_A" "$NS_B"; do
		in_ns "$_ns" sh -c "[ -w $MSL_FILE ] && echo $1 >$MSL_FILE" && _any=0
	done
	return $_any
}
[ -n "$MSL0" ] && on_exit "echo $MSL0 >$MSL_FILE"

if set_msl 2000; then
	SRV2=$IP_B:7101
	sock "$NS_B" "$T/srv2.log" listen "$SRV2" accept expect-eof close \
		touch "$T/srv2_closed"
	wait_for proc_has "$NS_B" LISTEN "$SRV2" "*"
	sock "$NS_A" "$T/cli2.log" connect "$SRV2" close
	if await "$T/srv2_closed" server "$T/srv2.log" &&
	   wait_for -t 5 proc_has "$NS_A" TIME_WAIT "$IP_A:*" "$SRV2"; then
		t0=$(now_cs)
		if wait_for -t 20 proc_gone "$NS_A" TIME_WAIT "$IP_A:*" "$SRV2"; then
			t1=$(now_cs)
			cs=$((t1 - t0))
			log "TIME_WAIT seen for $((cs / 100)).$((cs % 100 / 10)) s with msl_ms 2000"
			pass "proc: TIME_WAIT line gone after 2*MSL (msl_ms=2000)"
			if [ $cs -ge 250 ] && [ $cs -le 1200 ]; then
				pass "proc: TIME_WAIT lasted about 2*msl_ms (2.5-12 s for 4 s)"
			else
				fail "proc: TIME_WAIT lasted about 2*msl_ms (2.5-12 s for 4 s)" \
				     "it was seen for $cs/100 s"
			fi
		else
			dump_proc
			fail "proc: TIME_WAIT line gone after 2*MSL (msl_ms=2000)"
			fail "proc: TIME_WAIT lasted about 2*msl_ms (2.5-12 s for 4 s)" \
			     "still there after 20 s"
		fi
	else
		dump_proc
		fail "proc: TIME_WAIT line gone after 2*MSL (msl_ms=2000)" \
		     "no TIME_WAIT for the second connection"
		fail "proc: TIME_WAIT lasted about 2*msl_ms (2.5-12 s for 4 s)" \
		     "no TIME_WAIT for the second connection"
	fi
	set_msl "${MSL0:-30000}"
else
	skip "proc: TIME_WAIT line gone after 2*MSL (msl_ms=2000)" \
	     "cannot write $MSL_FILE"
	skip "proc: TIME_WAIT lasted about 2*msl_ms (2.5-12 s for 4 s)" \
	     "cannot write $MSL_FILE"
fi

# --- simultaneous close over a slow link: FIN_WAIT1, CLOSING, TIME_WAIT ----
SRV3=$IP_B:7102
sock "$NS_B" "$T/srv3.log" listen "$SRV3" accept touch "$T/acc3" \
	wait "$T/close3" close touch "$T/srv3_closed"
wait_for proc_has "$NS_B" LISTEN "$SRV3" "*"
sock "$NS_A" "$T/cli3.log" connect "$SRV3" touch "$T/con3" \
	wait "$T/close3" close touch "$T/cli3_closed"
if ! await "$T/con3" client "$T/cli3.log" || ! await "$T/acc3" server "$T/srv3.log"; then
	fail "proc: FIN_WAIT1 while our FIN is in flight" "no connection"
	fail "proc: CLOSING on both sides after a simultaneous close" "no connection"
	fail "proc: TIME_WAIT on both sides after CLOSING" "no connection"
elif netem "$NS_A" "$DEV_A" delay 2000ms >/dev/null 2>&1 &&
     netem "$NS_B" "$DEV_B" delay 2000ms >/dev/null 2>&1; then
	on_exit "netem_clear '$NS_B' '$DEV_B'"
	on_exit "netem_clear '$NS_A' '$DEV_A'"
	CLI3=$(proc_get "$NS_A" ESTABLISHED "$IP_A:*" "$SRV3" 2)
	touch "$T/close3"	# both close within one 20 ms poll of toy-sock
	pcheck "proc: FIN_WAIT1 while our FIN is in flight" \
		wait_for -t 3 proc_has "$NS_A" FIN_WAIT1 "$CLI3" "$SRV3"
	both_in() {	# both_in STATE: both ends of connection 3 in STATE
		proc_has "$NS_A" "$1" "$CLI3" "$SRV3" &&
		proc_has "$NS_B" "$1" "$SRV3" "$CLI3"
	}
	pcheck "proc: CLOSING on both sides after a simultaneous close" \
		wait_for -t 6 both_in CLOSING
	pcheck "proc: TIME_WAIT on both sides after CLOSING" \
		wait_for -t 15 both_in TIME_WAIT
	netem_clear "$NS_A" "$DEV_A"
	netem_clear "$NS_B" "$DEV_B"
else
	netem_clear "$NS_A" "$DEV_A"
	skip "proc: FIN_WAIT1 while our FIN is in flight" "tc netem not available"
	skip "proc: CLOSING on both sides after a simultaneous close" "tc netem not available"
	skip "proc: TIME_WAIT on both sides after CLOSING" "tc netem not available"
fi

# --- a long listing, read in many chunks ------------------------------------
# /proc/net/toy is produced a page at a time and each chunk resumes where the
# last one stopped: 900 bound sockets (some 25 pages) are listed exactly once.
if command -v python3 >/dev/null 2>&1 && python3 -c 'import toysocket' 2>/dev/null; then
	NSOCK=900	# under the 1024 open files a process may have
	LONG=${TMPDIR:-/tmp}/toy-proc-long.$$
	on_exit "rm -f '$LONG' '$LONG.ready'"
	run_bg in_ns "$NS_A" python3 -c "
import os, select, sys, toysocket
socks = []
for i in range($NSOCK):
    s = toysocket.socket()
    s.bind(('$IP_A', 0))
    socks.append(s)
open('$LONG.ready', 'w').close()
select.select([], [], [], 600)
"
	wait_for -t 60 test -e "$LONG.ready"
	in_ns "$NS_A" cat /proc/net/toy >"$LONG"
	# the bound, unconnected sockets: others of this file may linger
	lines=$(awk '$3 == "0.0.0.0:0" && $4 == "CLOSE"' "$LONG" | wc -l)
	uniq=$(awk '$3 == "0.0.0.0:0" && $4 == "CLOSE" { print $2 }' "$LONG" |
	       sort -u | wc -l)
	log "proc: $lines lines, $uniq distinct local addresses, $(wc -c <"$LONG") bytes"
	pcheck "proc: $NSOCK bound sockets listed exactly once across chunks" \
		test "$lines" -eq "$NSOCK" -a "$uniq" -eq "$NSOCK"
	kill "$BG_PID" 2>/dev/null
fi
