#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# lesson: message boundaries: TCP merges two sends into one recv ("sticky packets"), AF_TOY never does
# shellcheck disable=SC1111,SC2119 # Chinese quotation marks; no arguments
# shellcheck source=scripts/lessons/lib.sh
. "$(dirname "$0")/lib.sh"
lesson_require
python3 -c 'import toysocket' 2>/dev/null || skip_all "python3 cannot import toysocket"
lesson_port
M1=hello
M2=world

title "Message boundaries: TCP's sticky packets, AF_TOY's messages" "消息边界：TCP 的粘包与 AF_TOY 的消息"
say "TCP carries a stream of bytes: it keeps their order but not the sizes of" \
    "TCP 传输的是字节流：它保证字节的顺序，却不保留每次 send() 的大小。"
say "the send() calls. Two sends that are both waiting at the receiver come out" \
    "如果两次发送的数据都已到达接收方，一次 recv() 就可能把它们一起读出来，"
say "of one recv() together: the 'sticky packet' problem, which TCP programs solve" \
    "这就是所谓的“粘包”，TCP 程序只能自己用长度前缀或分隔符来拆分。"
say "with length prefixes or delimiters. AF_TOY is SOCK_SEQPACKET: each send() is" \
    "AF_TOY 是 SOCK_SEQPACKET：每次 send() 是一条消息，"
say "one message, and each recv() returns exactly one. The same program, twice:" \
    "每次 recv() 恰好返回一条。同一个程序运行两次："
say "A sends '$M1' and '$M2'; B waits until both are there, then calls recv()." \
    "A 发送 '$M1' 和 '$M2'；B 等两条都到达后再调用 recv()。"

# run KIND PORT: the program over KIND; B's lines in $T/KIND
run() {
	run_bg in_ns "$NS_B" python3 "$LESSON_DIR/boundaries.py" server "$1" "$IP_B" "$2" \
		$((${#M1} + ${#M2})) >"$T/$1" 2>&1
	_srv=$BG_PID
	wait_for grep -q listening "$T/$1"
	in_ns "$NS_A" python3 "$LESSON_DIR/boundaries.py" client "$1" "$IP_B" "$2" "$M1" "$M2"
	wait "$_srv"
	grep -v listening "$T/$1" | sed 's/^/    B: /'
}
title "Over TCP (port $PORT)" "使用 TCP（端口 $PORT）"
run tcp "$PORT"
title "Over AF_TOY (port $((PORT + 1))), with the ladder" "使用 AF_TOY（端口 $((PORT + 1))），附梯形图"
trace_start $((PORT + 1))
run toy $((PORT + 1))
trace_stop

ntcp=$(grep -c '^recv' "$T/tcp")
ntoy=$(grep -c '^recv' "$T/toy")
title "What happened" "刚才发生了什么"
say "Over TCP, B's recv() calls returned: $(sed -n 's/^recv \([0-9]*\) bytes.*/\1/p' "$T/tcp" | tr '\n' ' ')bytes ($ntcp call(s) for 2 sends):" \
    "使用 TCP 时，B 的 recv() 依次返回 $(sed -n 's/^recv \([0-9]*\) bytes.*/\1/p' "$T/tcp" | tr '\n' ' ')字节（两次发送，$ntcp 次 recv）："
say "the two messages stuck together, and nothing in the bytes says where one ends." \
    "两条消息粘在了一起，字节里没有任何信息说明一条在哪里结束。"
say "Over AF_TOY, $ntoy recv() calls returned '$M1' and '$M2', each whole: the" \
    "使用 AF_TOY 时，$ntoy 次 recv() 分别返回完整的 '$M1' 和 '$M2'："
say "ladder shows each message as its own segment marked EOM (end of message)." \
    "梯形图中每条消息都是一个带 EOM（消息结束）标记的报文段。"
echo

lesson_check "TCP: one recv() returned the bytes of both sends" \
	grep -qx "recv $((${#M1} + ${#M2})) bytes: $M1$M2" "$T/tcp"
lesson_check "AF_TOY: two recv() calls, '$M1' then '$M2', though both were queued" \
	sh -c "grep -q '^queued $((${#M1} + ${#M2})) bytes' '$T/toy' &&
	       [ \"\$(grep '^recv' '$T/toy' | tr '\n' '|')\" = 'recv ${#M1} bytes: $M1|recv ${#M2} bytes: $M2|' ]"
lesson_check "AF_TOY: the ladder has two EOM segments from A" \
	lesson_py - "$T/json" $((PORT + 1)) <<'PY'
import sys
from lesson import load, sent, expect
s = [r for r in sent(load(sys.argv[1], sys.argv[2]), "A") if "EOM" in r["flags"]]
expect([r["len"] for r in s] == [5, 5], "EOM segments: %s" % [r["len"] for r in s])
PY
