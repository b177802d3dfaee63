#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
#
# ICMP errors and path MTU discovery (issue 11, item 3), each AF_TOY check
# next to the same socket calls on TCP through the same router in the same
# run (toy-icmp.py does both; TCP's figures are printed as the reference).
#
#   A 10.1.0.2/24 (veth0) -- (vethra) 10.1.0.1 R 10.2.0.1 (vethrb) -- (veth1) 10.2.0.2/24 B
#
# R forwards; A's and B's default routes go through it (setup_routed).
# Each connect() starts from its own address of A (10.1.0.11..22): R sends
# at most 5 ICMP errors in a burst, then one a second, per source address
# (ip_error(), net.ipv4.route.error_burst/error_cost), so no attempt eats
# another's.
#
# 1. Hard errors during connect (R's route to the destination, ip_error()):
#    `unreachable` route: ICMP host unreachable (code 1) -> EHOSTUNREACH;
#    `prohibit` route: ICMP administratively prohibited (code 13), which TCP
#    maps to EHOSTUNREACH too (icmp_err_convert; EACCES is only what a
#    prohibit route gives a local sender, never an ICMP); no route at all
#    (to 10.9.0.2): ICMP net unreachable (code 0) -> ENETUNREACH.
#    A blocking connect() must fail with that errno within 1 s. R's answers
#    to A go through a 5 ms netem delay: without one, veth hands R's ICMP
#    back to A within connect()'s own transmission of the SYN, while
#    connect() still owns the socket; TCP then only notes a soft error and
#    fails at the SYN's retransmission (about 1 s). That case is checked
#    last, once (host unreachable, no delay: EHOSTUNREACH within 3 s).
# 2. Protocol unreachable: a host at 10.2.0.77 that speaks neither AF_TOY
#    nor TCP (toy-icmp.py prot-unreach in B, reading the link with a packet
#    socket: no stack owns 10.2.0.77, R has a neighbour entry sending it to
#    B's veth, and B, not forwarding, drops it silently) answers every SYN
#    with ICMP protocol unreachable (type 3 code 2, IP header + 8 bytes
#    quoted): connect() must fail within 1 s with ENOPROTOOPT.
# 3. Soft errors on an established connection (ICMPs crafted in R with a
#    raw socket, quoting the connection's own IP header and 8 bytes):
#    host unreachable quoting snd_nxt + 2^31 is ignored (SO_ERROR 0, the
#    connection carries messages); host unreachable quoting the first
#    transmission of a message that R is dropping (seq = snd_una) sets
#    SO_ERROR to EHOSTUNREACH within 1 s, without aborting: when R forwards
#    again the message is delivered and echoed, SO_ERROR reads 0 after.
# 4. Path MTU discovery: R's end of the R-B link has MTU 1280 (B's end
#    1500, so B's SYN-ACK still says MSS 1448 and only ICMP fragmentation
#    needed can tell A). A sends a 1 MiB message and a few smaller ones:
#    all arrive byte-identical, A's MSS goes from 1448 to 1228 (1280 less
#    52 bytes of IPv4, AF_TOY and timestamp headers: TCP's 1280 - 52 too)
#    and R fragments nothing (/proc/net/snmp Ip: FragCreates +0 in R).
#    TCP goes to B's second address 10.2.0.3, so that neither learns the
#    path MTU from the other's ICMPs (A caches it per destination).
# TOY_SEED fixes the message sizes and contents of 4.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

require_toysocket
setup_routed "$(unique_ns toyA)" "$(unique_ns toyR)" "$(unique_ns toyB)" ||
	skip_all "could not set up the routed namespaces"

H=$(dirname "$0")/toy-icmp.py
T=${TMPDIR:-/tmp}/toy-icmp.$$
mkdir -p "$T"
on_exit "rm -rf '$T'"
PORT=$((7700 + $$ % 200))
SEED=${TOY_SEED:-$(( $(date +%s) % 100000 ))}
FAKE=10.2.0.77		# the host without AF_TOY or TCP
NONET=10.9.0.2		# no route to it in R
IP_B2=10.2.0.3		# B's second address, for TCP's path MTU run
for i in 11 12 13 14 15 16 17 18 19 20 21 22; do
	ip -n "$NS_A" addr add "10.1.0.$i/24" dev "$DEV_A" ||
		skip_all "could not add 10.1.0.$i to $NS_A"
done
ip -n "$NS_B" addr add "$IP_B2/24" dev "$DEV_B" ||
	skip_all "could not add $IP_B2 to $NS_B"
log "A $IP_A - R $IP_RA/$IP_RB - B $IP_B ($NS_A, $NS_R, $NS_B);" \
    "ports $PORT..$((PORT + 4)), seed $SEED (TOY_SEED=$SEED replays it)"

# snmp NS SECTION FIELD: one counter of NS's /proc/net/snmp (e.g. Ip FragCreates)
snmp() {
	in_ns "$1" cat /proc/net/snmp | awk -v s="$2:" -v f="$3" '
		$1 == s && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
		$1 == s { print $c[f]; exit }'
}
unreach_in() { snmp "$NS_A" Icmp InDestUnreachs; }
unreach_above() { [ "$(unreach_in)" -gt "$1" ]; }
# res KEY FILE: the words after "result KEY " in FILE (the last such line)
res() { sed -n "s/^result $1 //p" "$2" | tail -n 1; }
# field NAME WORDS...: the value of NAME=VALUE among WORDS
field() {
	_f=$1; shift
	for _w in "$@"; do
		case $_w in "$_f="*) echo "${_w#*=}"; return ;; esac
	done
}

# --- 1: hard errors during connect ------------------------------------------
# try_connect PROTO SRC DST WAIT: toy-icmp.py connect with SO_SNDTIMEO
# WAIT s; sets $ERR $MS $STATE and $ICMPS (ICMP unreachables A received
# meanwhile)
try_connect() {
	_n0=$(unreach_in)
	in_ns "$NS_A" python3 "$H" connect "$1" "$2" "$3" "$4" >"$T/connect" 2>&1
	ICMPS=$(( $(unreach_in) - _n0 ))
	# shellcheck disable=SC2046 # three words
	set -- $(sed -n 's/^result //p' "$T/connect" | tail -n 1)
	ERR=${1:-none} MS=${2:-?} STATE=${3:-?}
	[ "$ERR" = none ] && sed 's/^/# /' "$T/connect"
}
# within_1s MS [LIMIT]: is MS (milliseconds, a decimal) at most LIMIT
# (default 1000)?
within_1s() {
	awk -v m="$1" -v l="${2:-1000}" 'BEGIN { exit !(m != "?" && m != "" && m + 0 <= l) }'
}

# hard WHAT WANT DST TCP_SRC TOY_SRC [SECS]: TCP's connect (the reference),
# then AF_TOY's, from their own source addresses; both must fail with WANT
# within SECS (default 1) seconds; SO_SNDTIMEO is SECS + 1
hard() {
	_what=$1 _want=$2 _dst=$3 _s=${6:-1}
	try_connect tcp "$4" "$_dst" $((_s + 1))
	_tcp="$ERR in $MS ms"
	log "TCP reference, $_what: connect to $_dst: $_tcp (A got $ICMPS ICMP unreachable)"
	if [ "$ERR" = "$_want" ] && within_1s "$MS" $((_s * 1000)); then
		pass "icmp: reference: TCP, $_what: connect fails with $_want within $_s s"
	else
		fail "icmp: reference: TCP, $_what: connect fails with $_want within $_s s" \
		     "TCP: $_tcp, state $STATE: TCP does not do what this test expects of AF_TOY"
	fi
	try_connect toy "$5" "$_dst" $((_s + 1))
	log "AF_TOY, $_what: connect to $_dst: $ERR in $MS ms, state $STATE (A got $ICMPS ICMP unreachable)"
	if [ "$ERR" = "$_want" ] && within_1s "$MS" $((_s * 1000)); then
		pass "icmp: $_what: connect fails with $_want within $_s s"
	else
		case $ERR in
		EINPROGRESS) _why="no error: SO_SNDTIMEO ($((_s + 1)) s) ran out with the socket in $STATE" ;;
		0) _why="connected" ;;
		*) _why="$ERR after $MS ms, state $STATE" ;;
		esac
		fail "icmp: $_what: connect fails with $_want within $_s s" \
		     "AF_TOY: $_why, while A received $ICMPS ICMP destination unreachable for it; want $_want within $((_s * 1000)) ms as TCP"
	fi
}

# R answers 5 ms later, as a router a little way off would: without a
# delay veth hands R's ICMP back to A inside connect()'s own transmission of
# the SYN, while connect() still owns the socket (that case comes last)
netem "$NS_R" "$DEV_RA" delay 5ms
# one connect() beforehand, untimed: the first of a booted VM may take
# hundreds of milliseconds more (cold caches under emulation)
in_ns "$NS_A" python3 "$H" connect tcp "$IP_A" "$IP_RA:9" 1 >/dev/null 2>&1

ip -n "$NS_R" route add unreachable "$IP_B/32"
hard "host unreachable (R: route type unreachable, ICMP code 1)" EHOSTUNREACH \
	"$IP_B:$PORT" 10.1.0.11 10.1.0.12
ip -n "$NS_R" route del unreachable "$IP_B/32"

ip -n "$NS_R" route add prohibit "$IP_B/32"
hard "administratively prohibited (R: route type prohibit, ICMP code 13)" EHOSTUNREACH \
	"$IP_B:$PORT" 10.1.0.13 10.1.0.14
ip -n "$NS_R" route del prohibit "$IP_B/32"

hard "net unreachable (R: no route to $NONET, ICMP code 0)" ENETUNREACH \
	"$NONET:$PORT" 10.1.0.15 10.1.0.16

# --- 2: protocol unreachable ------------------------------------------------
ip -n "$NS_R" neigh replace "$FAKE" dev "$DEV_RB" nud permanent \
	lladdr "$(in_ns "$NS_B" cat "/sys/class/net/$DEV_B/address")"
run_bg in_ns "$NS_B" python3 "$H" prot-unreach "$DEV_B" "$FAKE" >"$T/fake" 2>&1
if wait_for grep -q listening "$T/fake"; then
	hard "protocol unreachable (a host at $FAKE without the protocol, ICMP code 2)" \
		ENOPROTOOPT "$FAKE:$PORT" 10.1.0.17 10.1.0.18
	sed 's/^/# responder: /' "$T/fake"
else
	fail "icmp: protocol unreachable: the responder starts" "$(cat "$T/fake")"
fi
netem_clear "$NS_R" "$DEV_RA"

# No delay: the first ICMP arrives while connect() owns the socket. TCP
# keeps it as a soft error (sk_err_soft) and fails when the retransmitted
# SYN draws the next one, about 1 s later; AF_TOY must fail alike.
ip -n "$NS_R" route add unreachable "$IP_B/32"
hard "host unreachable answered within connect()'s own send (no delay)" EHOSTUNREACH \
	"$IP_B:$PORT" 10.1.0.21 10.1.0.22 3
ip -n "$NS_R" route del unreachable "$IP_B/32"

# --- 3: soft errors on an established connection ----------------------------
# inject D NAME: send R's ICMP host unreachable quoting D/NAME.quote and wait
# until A has received it, then tell the client (D/NAME.sent)
inject() {
	_n0=$(unreach_in)
	in_ns "$NS_R" python3 "$H" icmp 3 1 "$IP_A" "$(cat "$1/$2.quote")" | sed 's/^/# R: /'
	wait_for -t 5 unreach_above "$_n0" ||
		log "A did not count the ICMP (Icmp InDestUnreachs still $_n0)"
	: >"$1/$2.sent"
}

# step D FILE: wait until the client has written D/FILE; 1 at once if it has
# ended instead (D/done)
step() {
	wait_for -t 30 sh -c "[ -e '$1/$2' ] || [ -e '$1/done' ]" && [ -e "$1/$2" ]
}

# soft PROTO PORT SRC: the sequence of toy-icmp.py soft-client; its result
# lines are in $T/soft-PROTO/log
soft() {
	_d=$T/soft-$1
	mkdir -p "$_d"
	run_bg in_ns "$NS_A" python3 "$H" soft-client "$1" "$3" "$IP_B:$2" "$DEV_A" "$_d" \
		>"$_d/log" 2>&1
	_pid=$BG_PID
	if step "$_d" oow.quote; then
		inject "$_d" oow
		if step "$_d" block; then
			netem "$NS_R" "$DEV_RB" loss 100%
			: >"$_d/blocked"
			step "$_d" inwin.quote && inject "$_d" inwin
			step "$_d" unblock
			netem_clear "$NS_R" "$DEV_RB"
			: >"$_d/unblocked"
		fi
	fi
	netem_clear "$NS_R" "$DEV_RB"
	wait "$_pid"	# every step of the client gives up after 30 s
	sed "/^result /d; s/^# */# $1 client: /" "$_d/log"
}

# soft_checks PROTO PREFIX: the three verdicts on $T/soft-PROTO/log
soft_checks() {
	_l=$T/soft-$1/log _p=$2
	# shellcheck disable=SC2046 # NAME=VALUE words
	set -- $(res oow "$_l")
	_r="SO_ERROR $(field so_error "$@"), state $(field state "$@"), round trip $(field echo "$@")"
	if [ "$(field so_error "$@")" = 0 ] && [ "$(field state "$@")" = ESTABLISHED ] &&
	   [ "$(field echo "$@")" = ok ]; then
		pass "${_p}an out-of-window host unreachable is ignored: SO_ERROR 0, the connection carries a message"
	else
		fail "${_p}an out-of-window host unreachable is ignored: SO_ERROR 0, the connection carries a message" \
		     "after an ICMP quoting snd_nxt + 2^31: $_r (want 0, ESTABLISHED, ok)"
	fi
	# shellcheck disable=SC2046
	set -- $(res inwin "$_l")
	if [ "$(field so_error "$@")" = EHOSTUNREACH ] && within_1s "$(field ms "$@")"; then
		pass "${_p}an in-window host unreachable is a soft error: SO_ERROR EHOSTUNREACH within 1 s"
	else
		fail "${_p}an in-window host unreachable is a soft error: SO_ERROR EHOSTUNREACH within 1 s" \
		     "after an ICMP quoting seq = snd_una (the message in flight): SO_ERROR" \
		     "$(field so_error "$@") (polled for $(field ms "$@") ms), state $(field state "$@")"
	fi
	# shellcheck disable=SC2046
	set -- $(res after "$_l")
	_r="state $(field state "$@"), the message in flight echoed: $(field echo "$@"), another round trip: $(field next "$@"), SO_ERROR then $(field so_error "$@")"
	if [ "$(field state "$@")" = ESTABLISHED ] && [ "$(field echo "$@")" = ok ] &&
	   [ "$(field next "$@")" = ok ] && [ "$(field so_error "$@")" = 0 ]; then
		pass "${_p}the soft error does not abort: the message in flight arrives, SO_ERROR reads 0 after"
	else
		fail "${_p}the soft error does not abort: the message in flight arrives, SO_ERROR reads 0 after" \
		     "$_r (want ESTABLISHED, ok, ok, 0)"
	fi
}

run_bg in_ns "$NS_B" python3 "$H" echo-server tcp "$IP_B:$((PORT + 1))" >"$T/echo-tcp" 2>&1
run_bg in_ns "$NS_B" python3 "$H" echo-server toy "$IP_B:$((PORT + 2))" >"$T/echo-toy" 2>&1
if wait_for grep -q listening "$T/echo-tcp" && wait_for grep -q listening "$T/echo-toy"; then
	soft tcp $((PORT + 1)) 10.1.0.19
	soft_checks tcp "icmp: reference: TCP, "
	soft toy $((PORT + 2)) 10.1.0.20
	soft_checks toy "icmp: "
	log "A's toy_stats after the soft errors (an ICMP counter, if any):" \
	    "$(in_ns "$NS_A" cat /proc/net/toy_stats | grep -i icmp | tr '\n' ' ')"
	log "A's TCP OutOfWindowIcmps: $(in_ns "$NS_A" cat /proc/net/netstat |
		awk '/^TcpExt:/ && h { print $c; exit }
		     /^TcpExt:/ { for (i = 2; i <= NF; i++) if ($i == "OutOfWindowIcmps") c = i; h = 1 }')"
else
	fail "icmp: soft errors: the echo servers start" "$(cat "$T/echo-tcp" "$T/echo-toy")"
fi

# --- 4: path MTU discovery --------------------------------------------------
ip -n "$NS_R" link set "$DEV_RB" mtu 1280
SIZES="1048576,1,1228,1229,1448,1449,$((SEED % 60000 + 2000)),$((SEED * 7 % 200000 + 1))"
log "path MTU: $NS_R/$DEV_RB MTU 1280 ($NS_B/$DEV_B 1500, $NS_R/$DEV_RA 1500);" \
    "messages of $SIZES bytes"

# pmtu PROTO DST PORT: one transfer; its figures in $T/pmtu-PROTO.*
pmtu() {
	_o=$T/pmtu-$1
	run_bg in_ns "$NS_B" python3 "$H" pmtu-recv "$1" "$2:$3" "$SEED" "$SIZES" \
		>"$_o.recv" 2>&1
	wait_for grep -q listening "$_o.recv" || { cat "$_o.recv"; return 1; }
	for _c in FragCreates FragOKs FragFails; do snmp "$NS_R" Ip $_c; done >"$_o.before"
	snmp "$NS_R" Icmp OutDestUnreachs >>"$_o.before"
	in_ns "$NS_A" python3 "$H" pmtu-send "$1" "$2:$3" "$SEED" "$SIZES" >"$_o.send" 2>&1
	for _c in FragCreates FragOKs FragFails; do snmp "$NS_R" Ip $_c; done >"$_o.after"
	snmp "$NS_R" Icmp OutDestUnreachs >>"$_o.after"
	wait_for -t 10 sh -c "grep -q 'receiver:' $_o.recv"
	sed '/^result /d; s/^# */# send: /' "$_o.send"
	sed '/^listening/d; s/^# */# recv: /' "$_o.recv"
	log "A's route to $2 after it: $(ip -n "$NS_A" route get "$2" | tr -s ' \n' ' ')"
	# FragCreates FragOKs FragFails OutDestUnreachs: the rise of each
	# shellcheck disable=SC2046 # four numbers
	set -- $(awk 'NR == FNR { b[FNR] = $1; next } { printf "%d ", $1 - b[FNR] }' \
		"$_o.before" "$_o.after")
	FRAGS=$1
	log "R while the transfer ran: FragCreates +$1, FragOKs +$2, FragFails +$3," \
	    "ICMP destination unreachable sent +$4"
}

# pmtu_checks PROTO PREFIX
pmtu_checks() {
	_o=$T/pmtu-$1 _p=$2
	_v=$(res verdict "$_o.send")
	if [ "${_v%% *}" = OK ]; then
		pass "${_p}a 1 MiB message and 7 smaller ones arrive byte-identical through the 1280-byte link"
	else
		fail "${_p}a 1 MiB message and 7 smaller ones arrive byte-identical through the 1280-byte link" \
		     "verdict: ${_v:-none}; $(tail -n 2 "$_o.send" | tr '\n' ' ')"
	fi
	_m0=$(res mss-connect "$_o.send") _m1=$(res mss-after "$_o.send")
	if [ "$_m0" = 1448 ] && [ "$_m1" = 1228 ]; then
		pass "${_p}the sender's MSS drops from 1448 to 1228 (1280 - 52)"
	else
		fail "${_p}the sender's MSS drops from 1448 to 1228 (1280 - 52)" \
		     "MSS at connect ${_m0:-?}, after the transfer ${_m1:-?}"
	fi
	if [ "$FRAGS" = 0 ]; then
		pass "${_p}no IP fragment crosses R (FragCreates +0)"
	else
		fail "${_p}no IP fragment crosses R (FragCreates +0)" \
		     "R created $FRAGS fragments: the segments went without DF or at the first MSS"
	fi
}

FRAGS='?'
pmtu toy "$IP_B" $((PORT + 3))
TOY_SECS=$(res seconds "$T/pmtu-toy.send")
pmtu_checks toy "pmtu: "
FRAGS='?'
pmtu tcp "$IP_B2" $((PORT + 4))
pmtu_checks tcp "pmtu: reference: TCP, "
log "path MTU: AF_TOY took ${TOY_SECS:-?} s, TCP $(res seconds "$T/pmtu-tcp.send") s" \
    "(from connect to the receiver's verdict)"
