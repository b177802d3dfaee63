#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: the four-way close: FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT, LAST_ACK, TIME_WAIT counting down 2 x MSL
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require toystat
lesson_port
MSL=1500
echo "$MSL" | in_ns "$NS_A" tee /proc/sys/net/toy/msl_ms >/dev/null
log "A's msl_ms $MSL"

title "Closing a connection: four steps and TIME_WAIT" "关闭连接：四次挥手与 TIME_WAIT"
say "Each direction of a connection is closed on its own: the side that is done" \
    "连接的两个方向各自关闭：发送完毕的一方发出 FIN，"
say "sending sends FIN, and the other acknowledges it. A closes first" \
    "对方用 ACK 确认。A 先关闭（主动关闭），"
say "(FIN_WAIT1, then FIN_WAIT2 once its FIN is acknowledged); B learns of it" \
    "进入 FIN_WAIT1，收到确认后进入 FIN_WAIT2；B 收到 FIN 后进入 CLOSE_WAIT，"
say "(CLOSE_WAIT), closes in turn (LAST_ACK), and A, which closed first, waits" \
    "等自己也关闭时进入 LAST_ACK；先关闭的 A 最后还要在 TIME_WAIT"
say "in TIME_WAIT for 2 x MSL. Here A's MSL is $MSL ms." \
    "等待 2 x MSL。这里 A 的 MSL 是 $MSL 毫秒。"

trace_start "$PORT"
run_bg in_ns "$NS_B" toy-sock -q listen "$IP_B:$PORT" accept expect hello \
	expect-eof touch "$T/eof" wait "$T/bclose" close touch "$T/bclosed"
wait_for sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':$PORT .* LISTEN'"
run_bg in_ns "$NS_A" toy-sock -q connect "$IP_B:$PORT" send hello close
wait_for test -e "$T/eof"
wait_for sh -c "$IP netns exec $NS_A cat /proc/net/toy | grep -q ':$PORT FIN_WAIT2 '"
sleep 1	# let the live ladder catch up (it holds arrows 0.5 s) before the table
title "Half way: A has closed, B has not yet" "进行到一半：A 已关闭，B 还没有"
printf '  A$ toystat -a\n'
in_ns "$NS_A" toystat -a 2>&1 | grep -e State -e ":$PORT" | sed 's/^/    /'
printf '  B$ toystat -a\n'
in_ns "$NS_B" toystat -a 2>&1 | grep -e State -e ":$PORT" | sed 's/^/    /'
say "B can still send: only A's direction is closed (see the half-close lesson)." \
    "B 仍然可以发送数据：关闭的只是 A 到 B 这个方向（见 half-close 一课）。"

touch "$T/bclose"
wait_for sh -c "$IP netns exec $NS_A cat /proc/net/toy | grep -q ':$PORT TIME_WAIT '"
now() { cut -d' ' -f1 /proc/uptime; }
t0=$(now)
title "A in TIME_WAIT: counting down 2 x MSL = $((2 * MSL)) ms" "A 处于 TIME_WAIT：倒数 2 x MSL = $((2 * MSL)) 毫秒"
while in_ns "$NS_A" cat /proc/net/toy | grep -q ":$PORT TIME_WAIT "; do
	left=$(awk -v a="$t0" -v b="$(now)" -v m="$MSL" 'BEGIN { l = 2 * m / 1000 - (b - a); if (l < 0) l = 0; printf "%.1f", l }')
	say "TIME_WAIT: about $left s left" "TIME_WAIT：大约还剩 $left 秒"
	sleep 0.5
done
say "TIME_WAIT is over: A's end is gone." "TIME_WAIT 结束：A 这一端消失了。"
trace_stop

# shellcheck disable=SC2046 # two numbers
set -- $(lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load
r = load(sys.argv[1], sys.argv[2])
tw = [x["t"] for x in r if x["event"] == "toy_state_change" and x["newstate"] == "TIME_WAIT"]
ex = [x["t"] for x in r if x["event"] == "toy_timewait_expire"]
if tw and ex:
    print("%.3f" % (ex[0] - tw[0]))
PY
)
title "What happened" "刚才发生了什么"
say "A's FIN and B's FIN were each acknowledged: four segments, two per direction." \
    "A 的 FIN 和 B 的 FIN 各自被确认：四个报文段，每个方向两个。"
say "A stayed in TIME_WAIT ${1:-?} s (2 x MSL = $((2 * MSL)) ms): a late duplicate from" \
    "A 在 TIME_WAIT 停留了 ${1:-?} 秒（2 x MSL = $((2 * MSL)) 毫秒）：这样旧连接迟到的报文"
say "this connection cannot be taken for part of a new one on the same ports," \
    "不会被误认为同一对端口上新连接的数据，"
say "and if A's last ACK had been lost, A could still answer B's repeated FIN." \
    "而且如果 A 最后的 ACK 丢了，A 还能回应 B 重发的 FIN。"
echo

lesson_check "A: FIN_WAIT1, FIN_WAIT2, TIME_WAIT; B: CLOSE_WAIT, LAST_ACK" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, states, expect
r = load(sys.argv[1], sys.argv[2])
a, b = states(r, "A"), states(r, "B")
expect(a == ["SYN_SENT", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
            "CLOSE"], "A: %s" % a)
expect(b == ["SYN_RECV", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSE"],
       "B: %s" % b)
fins = [x["side"] for x in r if x["event"] == "toy_segment_send" and "FIN" in x["flags"]]
expect(fins == ["A", "B"], "FINs: %s" % fins)
PY
lesson_check "TIME_WAIT lasted 2 x MSL ($((2 * MSL)) ms), then ended" \
	awk -v d="${1:-}" -v m="$MSL" 'BEGIN { exit !(d != "" && d >= 2 * m / 1000 - 0.05 && d < 2 * m / 1000 + 10) }'
