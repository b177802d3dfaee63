#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: half-close: A shuts down its sending side and still receives B's answer
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require
lesson_port

title "Half-close: shutdown(SHUT_WR)" "半关闭：shutdown(SHUT_WR)"
say "A connection has two directions, and each can be closed on its own." \
    "一个连接有两个方向，每个方向都可以单独关闭。"
say "shutdown(fd, SHUT_WR) sends a FIN: \"I have nothing more to send\", but A" \
    "shutdown(fd, SHUT_WR) 会发出 FIN：“我没有更多数据要发了”，"
say "keeps reading. B's recv() returns 0 (end of stream) after the request, and" \
    "但 A 仍然可以读取。B 读完请求后 recv() 返回 0（数据流结束），"
say "B, in CLOSE_WAIT, can still send its whole answer before it closes." \
    "处于 CLOSE_WAIT 的 B 仍然可以把完整的回答发完再关闭。"
say "A sends 'request', shuts down its side; B answers with three messages." \
    "A 发送 'request' 后关闭发送方向；B 用三条消息回答。"

trace_start "$PORT"
run_bg in_ns "$NS_B" toy-sock -q listen "$IP_B:$PORT" accept expect request expect-eof \
	state CLOSE_WAIT send part-1 send part-2 send part-3 close touch "$T/b"
wait_for sh -c "$IP netns exec $NS_B cat /proc/net/toy | grep -q ':$PORT .* LISTEN'"
in_ns "$NS_A" toy-sock connect "$IP_B:$PORT" send request shutdown wr \
	expect part-1 expect part-2 expect part-3 expect-eof close >"$T/a" 2>&1
rc=$?
wait_for test -e "$T/b"
trace_stop
printf '  A$ toy-sock connect %s send request shutdown wr expect part-1 ...\n' "$IP_B:$PORT"
sed 's/^/    /' "$T/a"

title "What happened" "刚才发生了什么"
say "After A's FIN, A sat in FIN_WAIT2 and still received part-1..3; B sent" \
    "A 发出 FIN 之后处于 FIN_WAIT2，但仍然收到了 part-1 到 part-3；"
say "them from CLOSE_WAIT, and only then its own FIN." \
    "B 在 CLOSE_WAIT 状态下发送它们，最后才发出自己的 FIN。"
echo

lesson_check "A read B's three messages and the end of stream after its shutdown" test "$rc" -eq 0
lesson_check "B's data came after A's FIN, while A was in FIN_WAIT2" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, expect
r = load(sys.argv[1], sys.argv[2])
afin = next(i for i, x in enumerate(r) if x["event"] == "toy_segment_send"
            and x["side"] == "A" and "FIN" in x["flags"])
fw2 = next(i for i, x in enumerate(r) if x["event"] == "toy_state_change"
           and x.get("side") == "A" and x["newstate"] == "FIN_WAIT2")
data = [i for i, x in enumerate(r) if x["event"] == "toy_segment_send"
        and x["side"] == "B" and x["len"] > 0]
bfin = next(i for i, x in enumerate(r) if x["event"] == "toy_segment_send"
            and x["side"] == "B" and "FIN" in x["flags"])
expect(len(data) >= 3, "B's data segments: %d" % len(data))
expect(afin < fw2 < min(data) and max(data) <= bfin,
       "order: A FIN %d, FIN_WAIT2 %d, data %s, B FIN %d" % (afin, fw2, data, bfin))
PY
