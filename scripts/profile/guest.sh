#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest half of `make profile` (scripts/profile.sh): one AF_TOY and then
# one TCP bulk flow over the veth pair (toy-bench, client on CPU 0, server
# on CPU 1, as `make bench` does), each with `perf record -a -e cpu-clock`
# running for all but its first and last seconds; then `perf report --sort sym` of each and
# the top PROFILE_TOP symbols side by side. Symbols come from /proc/kallsyms
# (kptr_restrict=0 here), which lists toy.ko's too. Sections start with
# "==== NAME" and end with "==== end" for the host to keep in files.
#
# Environment: PROFILE_DURATION (s per flow, 10), PROFILE_TOP (25),
# PROFILE_TOY_SIZE (65536), PROFILE_TCP_SIZE (65536), PROFILE_CALLGRAPH
# (1: perf record -g, kernel call chains, and the callers of the symbols
# of 1% or more, PROFILE_CALLER_LINES lines (400) a side; 0: flat).
# shellcheck source=scripts/tests/lib.sh
. /tests/lib.sh

D=${PROFILE_DURATION:-10}
TOP=${PROFILE_TOP:-25}
CG=${PROFILE_CALLGRAPH:-1}
T=/tmp/profile
mkdir -p "$T"
PORT=9100

command -v perf >/dev/null || { echo "profile: no perf in the VM"; exit 1; }
command -v toy-bench >/dev/null || { echo "profile: toy-bench is not in the VM"; exit 1; }
# shellcheck disable=SC2119 # default namespace names
setup_pair || { echo "profile: no veth pair"; exit 1; }
echo 0 >/proc/sys/kernel/kptr_restrict
echo -1 >/proc/sys/kernel/perf_event_paranoid
export HOME=/tmp

pin() { command -v taskset >/dev/null && echo "taskset $((1 << $1))"; }

# prof PROTO SIZE: one bulk flow of D s, perf recording D-2 s of its middle
prof() {
	PORT=$((PORT + 1))
	# shellcheck disable=SC2046 # taskset and its mask: two words
	$(pin 1) "$IP" netns exec "$NS_B" toy-bench server "$1" bulk "$IP_B:$PORT" \
		--timeout 30000 >"$T/$1.s" 2>&1 &
	_sp=$!
	wait_for grep -q "server on" "$T/$1.s"
	# shellcheck disable=SC2046 # taskset and its mask: two words
	$(pin 0) "$IP" netns exec "$NS_A" toy-bench client "$1" bulk "$IP_B:$PORT" \
		--duration "$D" --size "$2" --timeout 30000 >"$T/$1.c" 2>&1 &
	_cp=$!
	sleep 1		# past the connection's start: profile the steady flow
	_g=""
	[ "$CG" = 1 ] && _g=-g
	# shellcheck disable=SC2086 # -g or nothing
	perf record -a $_g -e cpu-clock -o "$T/$1.data" -- sleep $((D > 3 ? D - 3 : 1)) \
		>"$T/$1.rec" 2>&1 || echo "# perf record ($1) failed: $(tail -n 3 "$T/$1.rec")"
	wait "$_cp"
	wait "$_sp"
	grep -v '^RESULT' "$T/$1.c" "$T/$1.s" | sed "s|^$T/||; s/^/# /"
	sed 's/^/# perf record: /' "$T/$1.rec" | tail -n 2
	# flat profile: self time per symbol, kernel and user
	perf report -i "$T/$1.data" --stdio --sort sym --no-children -g none \
		--percent-limit 0.02 2>/dev/null >"$T/$1.report"
	echo "==== $1"
	cat "$T/$1.report"
	echo "==== end"
	# with -g: who called the symbols of 1% or more (kernel call chains)
	if [ "$CG" = 1 ]; then
		echo "==== $1-callers"
		perf report -i "$T/$1.data" --stdio --sort sym --no-children \
			-g caller,1,callee,function,percent --percent-limit 1 2>/dev/null |
			grep -v '^$' | head -n "${PROFILE_CALLER_LINES:-400}"
		echo "==== end"
	fi
}

echo "# perf $(perf version | awk '{ print $3 }'), $(uname -r), $(nproc) CPUs;" \
     "perf record -a ${CG:+$([ "$CG" = 1 ] && echo "-g ")}-e cpu-clock during" \
     "$D-s bulk flows (client CPU 0, server CPU 1)"
prof toy "${PROFILE_TOY_SIZE:-65536}"
prof tcp "${PROFILE_TCP_SIZE:-65536}"

# the idle loop's symbols: a CPU with nothing to do (under TCG the vCPU
# halts there), left out of the side-by-side table and summed apart
IDLE='native_safe_halt|default_idle|arch_cpu_idle|cpu_idle|acpi_idle|poll_idle|mwait_idle'

# top PROTO: "pct symbol" of the top symbols but the idle loop's, 1 a line
top() {
	awk -v idle="\\] ($IDLE)" '/^#/ || NF < 3 || $0 ~ idle { next }
	     $1 ~ /%$/ { s = $0; sub(/^[ \t]*[0-9.]+%[ \t]+/, "", s); print $1, s }' \
		"$T/$1.report" | head -n "$TOP"
}
# share PROTO REGEX: the percentage of samples in symbols matching REGEX
share() {
	awk -v re="$2" '$1 ~ /%$/ && $0 ~ re { s += $1 } END { printf "%.2f%%", s }' \
		"$T/$1.report"
}
top toy >"$T/toy.top"
top tcp >"$T/tcp.top"
goodput() { sed -n 's/^RESULT.* mbps=\([0-9.]*\).*/\1/p' "$T/$1.s"; }
echo "==== side-by-side"
echo "Top $TOP symbols by samples (cpu-clock, both CPUs: both ends, softirq), the idle"
echo "loop left out: its share is the time neither CPU had work"
echo "AF_TOY bulk ${PROFILE_TOY_SIZE:-65536}-byte messages: $(goodput toy) Mbit/s;" \
     "TCP ${PROFILE_TCP_SIZE:-65536}-byte writes: $(goodput tcp) Mbit/s (while recorded)"
echo
printf '%-48s | %s\n' "AF_TOY" "TCP"
printf '%-48s-+-%s\n' "------------------------------------------------" \
	"------------------------------------------------"
awk 'NR == FNR { a[FNR] = $0; n = FNR; next }
     { b[FNR] = $0; if (FNR > n) n = FNR }
     END { for (i = 1; i <= n; i++) printf "%-48.48s | %s\n", a[i], b[i] }' \
	"$T/toy.top" "$T/tcp.top"
echo
echo "idle loop: AF_TOY $(share toy "\\] ($IDLE)"), TCP $(share tcp "\\] ($IDLE)") of the samples;" \
     "toy_* symbols (toy.ko): $(share toy '\\[k\\] toy_') of AF_TOY's; tcp_* symbols:" \
     "$(share tcp '\\[k\\] tcp_') of TCP's; copies to/from user space" \
     "(copy_user_*, _copy_*_iter): AF_TOY $(share toy '\\] (copy_user|_copy_(to|from)_iter)')," \
     "TCP $(share tcp '\\] (copy_user|_copy_(to|from)_iter)')"
echo "==== end"
exit 0
