#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: retransmission and RTO backoff: the link cut, the timer doubling, the link restored
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require
lesson_port
NRTO=4
MSG=important-message

title "Retransmission and exponential backoff" "超时重传与指数退避"
say "Every segment with data waits for its acknowledgement. If none comes" \
    "每个携带数据的报文段都在等待确认。如果在重传超时时间（RTO）内"
say "within the retransmission timeout (RTO, built from the measured round-trip" \
    "（RTO 由测得的往返时间计算）没有收到确认，发送方就重发它，"
say "time), the sender sends it again, and doubles the RTO each time: a network" \
    "并且每次把 RTO 加倍：网络已经不通了，"
say "that is down should not be flooded. Here the cable is cut (netem loss 100%)" \
    "就不应该再用重传淹没它。这里先建立连接，再把“网线”剪断（netem 丢包 100%），"
say "after the connection is set up, A sends '$MSG', and the cable is restored" \
    "然后 A 发送 '$MSG'，等 A 超时 $NRTO 次之后再接回网线。"
say "after A has timed out $NRTO times." ""

trace_start "$PORT"
run_bg in_ns "$NS_B" toy-sock -q listen "$IP_B:$PORT" accept expect "$MSG" send got-it \
	touch "$T/b" wait "$T/done" close
wait_for sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':$PORT .* LISTEN'"
run_bg in_ns "$NS_A" toy-sock -q connect "$IP_B:$PORT" touch "$T/a" wait "$T/cut" \
	send "$MSG" expect got-it touch "$T/a2" wait "$T/done" close
wait_for test -e "$T/a"
to0=$(counter "$NS_A" Timeouts)
netem "$NS_A" "$DEV_A" loss 100% >/dev/null
say "--- the cable is cut ---" "--- 网线被剪断 ---"
touch "$T/cut"
enough() { [ "$(counter "$NS_A" Timeouts)" -ge $((to0 + NRTO)) ]; }
wait_for -t 60 enough
netem_clear "$NS_A" "$DEV_A"
say "--- the cable is restored ---" "--- 网线接回 ---"
wait_for -t 60 test -e "$T/a2"
wait_for test -e "$T/b"
trace_stop
touch "$T/done"

# the RTOs seen, in ms
rtos=$(lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load
r = load(sys.argv[1], sys.argv[2])
print(" ".join(str(x["rto_us"] // 1000) for x in r if x["event"] == "toy_rto"
               and x.get("side") == "A"))
PY
)
title "What happened" "刚才发生了什么"
say "A's timer ran out $(echo "$rtos" | wc -w) times; the RTOs it set, in ms: $rtos." \
    "A 的重传定时器超时了 $(echo "$rtos" | wc -w) 次；依次设定的 RTO（毫秒）：$rtos。"
say "Each wait twice the one before: exponential backoff. Once the cable was back," \
    "每次等待的时间都是上一次的两倍：这就是指数退避。网线接回后，"
say "the next retransmission got through, B answered, and the RTO came back down" \
    "下一次重传成功到达，B 作出回应，新的 RTT 测量又让 RTO 降了下来。"
say "with a fresh round-trip measurement." ""
echo

lesson_check "A timed out at least $NRTO times, the RTO doubling each time" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, expect
r = load(sys.argv[1], sys.argv[2])
rto = [x for x in r if x["event"] == "toy_rto" and x.get("side") == "A"]
expect(len(rto) >= 4, "toy_rto events: %d" % len(rto))
v = [x["rto_us"] for x in rto]
expect(all(b >= 2 * a * 0.95 for a, b in zip(v, v[1:])), "RTOs: %s" % v)
rx = [x for x in r if x["event"] == "toy_retransmit" and x.get("side") == "A"]
expect(len(rx) >= len(rto), "retransmissions %d < timeouts %d" % (len(rx), len(rto)))
PY
lesson_check "the message and the answer got through after the cable was restored" \
	test -e "$T/a2" -a -e "$T/b"
