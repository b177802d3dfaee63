#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: simultaneous close: both ends close at once, the FINs cross, both pass CLOSING
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require
lesson_port
MSL=1000
DELAY=300
for ns in "$NS_A" "$NS_B"; do
	echo "$MSL" | in_ns "$ns" tee /proc/sys/net/toy/msl_ms >/dev/null
done

title "Simultaneous close: CLOSING" "同时关闭：CLOSING 状态"
say "Usually one side closes first. But both may close at the same moment: each" \
    "通常是一方先关闭。但双方也可能同时关闭：各自发出 FIN，"
say "sends its FIN, and each FIN arrives while its receiver is itself waiting in" \
    "而每个 FIN 到达时，接收方自己也正处于 FIN_WAIT1，等待对自己 FIN 的确认。"
say "FIN_WAIT1 for its own FIN's ACK. Both then go to CLOSING (\"we are both" \
    "于是双方都进入 CLOSING（“我们都在关闭”），"
say "closing\"), and on the ACK to TIME_WAIT: both ends wait 2 x MSL here." \
    "收到 ACK 后进入 TIME_WAIT：这时两端都要等待 2 x MSL。"
say "To make the FINs cross, the cable delays every packet ${DELAY} ms." \
    "为了让两个 FIN 在路上交错，这条“网线”让每个包延迟 ${DELAY} 毫秒。"

trace_start "$PORT"
run_bg in_ns "$NS_B" toy-sock -q listen "$IP_B:$PORT" accept touch "$T/b" wait "$T/go" close
wait_for sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':$PORT .* LISTEN'"
run_bg in_ns "$NS_A" toy-sock -q connect "$IP_B:$PORT" touch "$T/a" wait "$T/go" close
wait_for test -e "$T/a" && wait_for test -e "$T/b"
netem "$NS_A" "$DEV_A" delay "${DELAY}ms" >/dev/null
netem "$NS_B" "$DEV_B" delay "${DELAY}ms" >/dev/null
touch "$T/go"
# port_states NS: the states of NS's AF_TOY sockets on $PORT (local or remote)
# shellcheck disable=SC2016 # an awk program
port_states() {
	in_ns "$1" awk -v p=":$PORT" 'NR > 1 && (substr($2, length($2) - length(p) + 1) == p ||
		substr($3, length($3) - length(p) + 1) == p) { print $4 }' /proc/net/toy
}
tw_both() { port_states "$NS_A" | grep -q TIME_WAIT && port_states "$NS_B" | grep -q TIME_WAIT; }
gone() { [ -z "$(port_states "$NS_A")" ] && [ -z "$(port_states "$NS_B")" ]; }
wait_for -t 20 tw_both
wait_for -t 20 gone
trace_stop

title "What happened" "刚才发生了什么"
say "Both FINs were on the cable at once; each end went FIN_WAIT1 -> CLOSING ->" \
    "两个 FIN 同时在线路上；两端都经历了 FIN_WAIT1 -> CLOSING -> TIME_WAIT，"
say "TIME_WAIT, never FIN_WAIT2 or CLOSE_WAIT: nobody was the passive side." \
    "都没有经过 FIN_WAIT2 或 CLOSE_WAIT：这里没有被动关闭的一方。"
echo

lesson_check "both ends: FIN_WAIT1, CLOSING, TIME_WAIT" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, states, expect
r = load(sys.argv[1], sys.argv[2])
for side in "AB":
    s = states(r, side)
    expect(s[2:5] == ["FIN_WAIT1", "CLOSING", "TIME_WAIT"], "%s: %s" % (side, s))
PY
