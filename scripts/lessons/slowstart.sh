#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: slow start and congestion avoidance: the cwnd chart of a bulk transfer over a lossy cable
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require toy-verify toyplot
lesson_port
DELAY=10ms
LOSS=1%
N=200

title "Congestion control: slow start and congestion avoidance" "拥塞控制：慢启动与拥塞避免"
say "The window B offers protects B; the congestion window (cwnd) protects the" \
    "接收方提供的窗口保护的是 B；拥塞窗口（cwnd）保护的是网络。"
say "network. A starts with 10 segments and, in slow start, adds to cwnd every" \
    "A 从 10 个报文段开始，在慢启动阶段，每收到一个 ACK 就把 cwnd 增加"
say "byte each ACK acknowledges: cwnd doubles every round trip. At the first loss" \
    "它确认的字节数：每个往返 cwnd 翻倍。第一次丢包时，"
say "A halves it and remembers the half as ssthresh; above ssthresh it is in" \
    "A 把它减半，并把这一半记为慢启动阈值 ssthresh；超过 ssthresh 后进入"
say "congestion avoidance: about one segment more per round trip. A sends $N" \
    "拥塞避免：每个往返只增加大约一个报文段。A 发送 $N 条"
say "messages of 20-60 kB over a cable with $DELAY delay and $LOSS loss." \
    "20-60 kB 的消息，线路延迟 $DELAY，丢包率 $LOSS。"

say "The cable starts losing once cwnd has grown fourfold, so that every run" \
    "为了让每次运行都能看到完整的慢启动，线路在 cwnd 增长到四倍之后"
say "shows a whole slow start before the first loss." \
    "才开始丢包。"

one_by_one
netem "$NS_A" "$DEV_A" delay "$DELAY" >/dev/null
netem "$NS_B" "$DEV_B" delay "$DELAY" >/dev/null
# A's cwnd (/proc/net/toy's 17th column) four times its first 10 segments
# shellcheck disable=SC2016 # an awk program
cwnd4() {
	in_ns "$NS_A" awk -v p=":$PORT" '$3 ~ p"$" && $17 >= 4 * 14481 { f = 1 }
		END { exit !f }' /proc/net/toy
}
( wait_for -t 60 cwnd4 && netem "$NS_A" "$DEV_A" delay "$DELAY" loss "$LOSS" ) \
	>"$T/lossy" 2>&1 &
LOSSY=$!
verify_run 20000 60000
wait "$LOSSY"
netem_clear "$NS_A" "$DEV_A"
netem_clear "$NS_B" "$DEV_B"

title "A's cwnd over time (toyplot --text)" "A 的 cwnd 随时间的变化（toyplot --text）"
toytrace --file "$T/raw" --csv >"$T/csv" 2>/dev/null
toyplot "$T/csv" --text 2>&1 | sed -n '/^cwnd/,$p' | head -n 30 | sed 's/^/    /'

# shellcheck disable=SC2046 # numbers
set -- $(lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load
r = [x for x in load(sys.argv[1], sys.argv[2])
     if x["event"] == "toy_ack" and x.get("side") == "A"]
unset = lambda x: x["ssthresh"] >= 0x7fffffff
ss = [x["cwnd"] for x in r if unset(x)]
first = next((x for x in r if not unset(x)), None)
print(ss[0] if ss else 0, max(ss) if ss else 0, first["ssthresh"] if first else 0,
      max(x["cwnd"] for x in r) if r else 0)
PY
)
title "What happened" "刚才发生了什么"
say "Slow start took cwnd from ${1:-?} to ${2:-?} bytes before the first loss; A then" \
    "慢启动把 cwnd 从 ${1:-?} 字节增加到 ${2:-?} 字节，直到第一次丢包；"
say "set ssthresh to ${3:-?} and grew more slowly above it (largest cwnd ${4:-?})." \
    "之后 A 把 ssthresh 设为 ${3:-?}，超过它之后增长变慢（最大 cwnd ${4:-?}）。"
say "The chart's steep start is slow start; the saw teeth are losses and the" \
    "图中一开始陡峭上升的部分是慢启动；锯齿是丢包，"
say "gentle slopes between them congestion avoidance." \
    "锯齿之间平缓的斜坡就是拥塞避免。"
echo

lesson_check "slow start: cwnd grew at least 4-fold before ssthresh was set" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, expect
r = [x for x in load(sys.argv[1], sys.argv[2])
     if x["event"] == "toy_ack" and x.get("side") == "A"]
ss = [x["cwnd"] for x in r if x["ssthresh"] >= 0x7fffffff]
expect(ss and max(ss) >= 4 * ss[0], "slow start cwnd: %s" % ((ss[:1], ss[-1:]),))
PY
lesson_check "congestion avoidance: above ssthresh, no ACK grew cwnd by more than one MSS" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, expect
r = [x for x in load(sys.argv[1], sys.argv[2])
     if x["event"] == "toy_ack" and x.get("side") == "A"]
ca = [(a, b) for a, b in zip(r, r[1:]) if a["ssthresh"] < 0x7fffffff
      and a["ssthresh"] == b["ssthresh"] and a["cwnd"] >= a["ssthresh"]
      and a.get("ca_state") == b.get("ca_state") == "OPEN"]
expect(len(ca) >= 10, "only %d ACKs in congestion avoidance" % len(ca))
grow = max(b["cwnd"] - a["cwnd"] for a, b in ca)
expect(grow <= 1448, "largest growth in CA: %d" % grow)
PY
lesson_check "all $N messages verified" test "$src" -eq 0 -a "$rrc" -eq 0
