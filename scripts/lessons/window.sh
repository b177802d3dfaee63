#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: the sliding window: a slow reader, the window shrinking to zero, persist probes, reopening
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require
python3 -c 'import toysocket' 2>/dev/null || skip_all "python3 cannot import toysocket"
lesson_port
RMEM=65536
N=24
SIZE=8000
echo "$RMEM" | in_ns "$NS_B" tee /proc/sys/net/toy/rmem_default >/dev/null
log "B's rmem_default $RMEM; $N messages of $SIZE bytes"

title "Flow control: the sliding window" "流量控制：滑动窗口"
say "Every segment B sends carries a window: how many more bytes B can take." \
    "B 发出的每个报文段都带着一个窗口值：B 还能再接收多少字节。"
say "A may have at most that many bytes unacknowledged in flight, so a slow" \
    "A 已发送但未被确认的数据不能超过这个窗口，所以接收慢的一方"
say "reader slows the writer down instead of being flooded. Here B's program" \
    "会让发送方慢下来，而不是被数据淹没。这里 B 的程序"
say "reads nothing at first: its buffer fills, the window shrinks to 0, and A" \
    "一开始什么都不读：缓冲区被填满，窗口缩小到 0，"
say "stops, sending only small persist probes to ask whether it has reopened." \
    "A 停止发送，只偶尔发出持续探测（persist probe）询问窗口是否重新打开。"
say "Then B reads, the window reopens and A goes on. ($N messages of $SIZE bytes)" \
    "然后 B 开始读取，窗口重新打开，A 继续发送。（$N 条消息，每条 $SIZE 字节）"

trace_start "$PORT"
run_bg in_ns "$NS_B" python3 "$LESSON_DIR/window.py" reader "$IP_B" "$PORT" "$T/go" \
	>"$T/reader" 2>&1
RD=$BG_PID
wait_for grep -q listening "$T/reader"
run_bg in_ns "$NS_A" python3 "$LESSON_DIR/window.py" writer "$IP_B" "$PORT" "$N" "$SIZE" \
	>"$T/writer" 2>&1
WR=$BG_PID
probes() { counter "$NS_A" WindowProbes; }
two_probes() { [ "$(probes)" -ge 2 ]; }
wait_for -t 30 two_probes
np=$(probes)
sleep 1	# let the live ladder catch up (it holds arrows 0.5 s)
title "A is stuck: B's window is 0" "A 卡住了：B 的窗口为 0"
printf '  B$ toystat\n'
in_ns "$NS_B" toystat 2>&1 | grep -e State -e ":$PORT" | sed 's/^/    /'
say "B's Recv-Q is full and nobody reads it; A has sent $np probes so far." \
    "B 的 Recv-Q 已满且没有程序读取；到目前为止 A 发出了 $np 个探测。"
say "Now B's program starts reading." "现在 B 的程序开始读取。"
touch "$T/go"
wait "$WR"
wait "$RD"
trace_stop

# shellcheck disable=SC2046 # numbers
set -- $(lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, sent
r = load(sys.argv[1], sys.argv[2])
b = sent(r, "B")
zero = sum(1 for x in b if x["win"] == 0)
probes = sum(1 for x in r if x["event"] == "toy_zero_window_probe")
first = next((x["win"] for x in b if x["win"] > 0 and x["flags"] != "SYN|ACK"), 0)
print(first, zero, probes)
PY
)
title "What happened" "刚才发生了什么"
say "B first offered ${1:-?} bytes; ${2:-?} of its segments advertised a window of 0," \
    "B 一开始提供的窗口是 ${1:-?} 字节；它有 ${2:-?} 个报文段通告了 0 窗口，"
say "and A sent ${3:-?} persist probes while it was closed: without them a lost" \
    "在窗口关闭期间 A 发出了 ${3:-?} 个持续探测：如果没有探测，"
say "window update would leave both sides waiting for each other forever." \
    "一旦窗口更新报文丢失，双方就会永远互相等待。"
say "When B read, its window reopened and every message arrived: $(grep ^read "$T/reader")." \
    "B 读取之后窗口重新打开，所有消息都到达了：$(grep ^read "$T/reader")。"
echo

lesson_check "B advertised a zero window, A sent persist probes" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, sent, expect
r = load(sys.argv[1], sys.argv[2])
expect(any(x["win"] == 0 for x in sent(r, "B")), "no zero window from B")
expect(sum(1 for x in r if x["event"] == "toy_zero_window_probe") >= 2, "probes < 2")
PY
lesson_check "the window reopened after the zero window, and A sent again" \
	lesson_py - "$T/json" "$PORT" <<'PY'
import sys
from lesson import load, sent, expect
r = load(sys.argv[1], sys.argv[2])
i = max(i for i, x in enumerate(r) if x["event"] == "toy_segment_send"
        and x["side"] == "B" and x["win"] == 0)
later = r[i + 1:]
expect(any(x["event"] == "toy_segment_send" and x["side"] == "B" and x["win"] > 0
           for x in later), "no open window after the last zero one")
expect(any(x["event"] == "toy_segment_send" and x["side"] == "A" and x["len"] > 0
           for x in later), "no data from A after it")
PY
lesson_check "B read all $N messages, each as sent" \
	grep -qx "read $N messages, $((N * SIZE)) bytes, all as sent" "$T/reader"
