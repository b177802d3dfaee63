#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the AF_TOY test VM (QEMU, TCG by default), run one command in it and
# hand its output and exit status back; scan the guest kernel log.
#
# Usage: scripts/vm.sh [options] [--] [COMMAND [ARG...]]
#   -c STRING   guest shell command string (instead of COMMAND ARG...)
#   -s FILE     host script to copy into the guest and run with sh
#   -e NAME=VAL export NAME=VAL in the guest (repeatable)
#   -f SRC[:DEST]  put a host file into the guest for this run only
#               (DEST default /toy/files/<name>; repeatable)
#   -t SECS     hard timeout for the whole VM run (default: $TOY_VM_TIMEOUT
#               or 600; 0 = none). The guest kills the command itself a
#               bit earlier, so the kernel log still comes back.
#   -n NAME     run name: logs go to build/logs/NAME/ (default: vm)
#   -N          do not insmod toy.ko at boot
#   -a ARGS     module parameters for insmod toy.ko, e.g. -a "debug=1"
#   -A ARGS     extra kernel command line
#   -k FILE     kernel image (default: /boot/vmlinuz-KVER)
#   -r FILE     initramfs (default: build/initramfs-KVER.cpio.gz)
#   -V KVER     kernel version for the defaults (default: scripts/kver.sh)
#   -q ARG      extra QEMU argument, e.g. -q -netdev -q socket,id=n0,fd=3
#               (repeatable; scripts/twovm.sh adds a NIC this way)
#   -i          interactive: run COMMAND (if any) on the console, then a
#               shell there (stdio); no timeout unless -t is given
#   -h          this help
# Environment: TOY_KVM=1 (use KVM instead of TCG), TOY_VM_MEM (MiB, 1024),
#   TOY_VM_SMP (2), TOY_VM_TIMEOUT, TOY_QEMU (qemu-system-x86_64),
#   TOY_LOG_IGNORE (extended regex: kernel log lines to not fail on),
#   TOY_VM_GUEST_TIMEOUT (s the guest gives the command; 0 = none; default
#   -t minus a margin for boot and log dump: 1/4 of it, within 15..120 s),
#   TOY_BUILD_DIR (build).
#
# Output: the command's stdout+stderr, live. Then, for the run as a whole,
# one result line "PASS: NAME: kernel log clean" or "FAIL: NAME: <why>"
# (VM timeout, no exit marker, kernel log problems), after the reasons.
# Files: build/logs/NAME/{console.log,out.log,dmesg.log}.
# Exit status: the command's, or 124 (timeout), 125 (guest died / no exit
# marker), 123 (kernel log problems), 2 (usage).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TOY_BUILD_DIR:-$TOP/build}

usage() { sed -n '4,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0"; }
die() { echo "vm: error: $*" >&2; exit 2; }

CMD_STR=""
SCRIPT=""
ENVS=()
FILES=()
TIMEOUT=""
NAME=vm
INSMOD=1
MODARGS=""
APPEND=""
KERNEL=""
INITRD=""
KVER=""
INTERACTIVE=0
QEXTRA=()

while getopts "c:s:e:f:t:n:Na:A:k:r:V:q:ih" opt; do
	case $opt in
	c) CMD_STR=$OPTARG ;;
	s) SCRIPT=$OPTARG ;;
	e) ENVS+=("$OPTARG") ;;
	f) FILES+=("$OPTARG") ;;
	t) TIMEOUT=$OPTARG ;;
	n) NAME=$OPTARG ;;
	N) INSMOD=0 ;;
	a) MODARGS=$OPTARG ;;
	A) APPEND=$OPTARG ;;
	k) KERNEL=$OPTARG ;;
	r) INITRD=$OPTARG ;;
	V) KVER=$OPTARG ;;
	q) QEXTRA+=("$OPTARG") ;;
	i) INTERACTIVE=1 ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

# sh_quote ARG: print ARG single-quoted for a POSIX shell.
sh_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

if [ -n "$CMD_STR" ]; then
	[ $# -eq 0 ] || die "give either -c STRING or COMMAND ARGS, not both"
elif [ -n "$SCRIPT" ]; then
	[ $# -eq 0 ] || die "give either -s FILE or COMMAND ARGS, not both"
	[ -f "$SCRIPT" ] || die "script $SCRIPT not found"
	FILES+=("$SCRIPT:/toy/script")
	CMD_STR="sh /toy/script"
elif [ $# -gt 0 ]; then
	for a in "$@"; do
		CMD_STR+="$(sh_quote "$a") "
	done
elif [ "$INTERACTIVE" = 0 ]; then
	die "nothing to run (see -h)"
fi

if [ -z "$TIMEOUT" ]; then
	if [ "$INTERACTIVE" = 1 ]; then TIMEOUT=0; else TIMEOUT=${TOY_VM_TIMEOUT:-600}; fi
fi
[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "bad timeout '$TIMEOUT'"
# The guest stops the command early enough to still dump its kernel log.
if [ -n "${TOY_VM_GUEST_TIMEOUT:-}" ]; then
	GUEST_TIMEOUT=$TOY_VM_GUEST_TIMEOUT
elif [ "$TIMEOUT" -gt 0 ]; then
	margin=$((TIMEOUT / 4))
	[ "$margin" -ge 15 ] || margin=15
	[ "$margin" -le 120 ] || margin=120
	GUEST_TIMEOUT=$((TIMEOUT - margin))
	[ "$GUEST_TIMEOUT" -gt 0 ] || GUEST_TIMEOUT=0
else
	GUEST_TIMEOUT=0
fi

if [ -z "$KERNEL" ] || [ -z "$INITRD" ]; then
	[ -n "$KVER" ] || KVER=$("$TOP/scripts/kver.sh")
fi
KERNEL=${KERNEL:-/boot/vmlinuz-$KVER}
INITRD=${INITRD:-$BUILD/initramfs-$KVER.cpio.gz}
[ -r "$KERNEL" ] || die "kernel $KERNEL not readable"
[ -r "$INITRD" ] || die "initramfs $INITRD not found: run 'make initramfs' (scripts/mkinitramfs.sh)"
QEMU=${TOY_QEMU:-qemu-system-x86_64}
command -v "$QEMU" >/dev/null || die "$QEMU not found: run scripts/deps.sh"

LOGDIR=$BUILD/logs/$NAME
rm -rf "$LOGDIR"
mkdir -p "$LOGDIR"
CONSOLE=$LOGDIR/console.log
OUT=$LOGDIR/out.log
DMESG=$LOGDIR/dmesg.log

# Per-run files (/toy/env, /toy/cmd, -f files) go into a second cpio
# appended to the initramfs: the kernel unpacks both, in order.
OVL=$LOGDIR/overlay
mkdir -p "$OVL/toy"
{
	echo "TOY_MODE=$([ "$INTERACTIVE" = 1 ] && echo shell || echo run)"
	echo "TOY_INSMOD=$INSMOD"
	echo "TOY_MODULE_ARGS=$(sh_quote "$MODARGS")"
	echo "TOY_GUEST_TIMEOUT=$GUEST_TIMEOUT"
	for e in "${ENVS[@]}"; do
		[[ $e =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "bad -e '$e' (NAME=VALUE)"
		echo "export ${e%%=*}=$(sh_quote "${e#*=}")"
	done
} >"$OVL/toy/env"
if [ -n "$CMD_STR" ]; then
	printf '%s\n' "$CMD_STR" >"$OVL/toy/cmd"
fi
for f in "${FILES[@]}"; do
	src=${f%%:*}
	if [ "$src" = "$f" ]; then dst=/toy/files/$(basename "$src"); else dst=${f#*:}; fi
	[ -e "$src" ] || die "file $src not found"
	mkdir -p "$OVL$(dirname "$dst")"
	cp -a "$src" "$OVL$dst"
done
RUN_INITRD=$LOGDIR/initrd.img
cp "$INITRD" "$RUN_INITRD"
(cd "$OVL" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) |
	gzip -1 >>"$RUN_INITRD"

ACCEL=(-accel tcg)
if [ "${TOY_KVM:-0}" = 1 ]; then
	ACCEL=(-accel kvm)
fi

# loglevel=5: warnings (WARN_ON, lockdep, KASAN...) reach the console even
# if the guest never gets to dump dmesg; routine boot chatter does not.
CMDLINE="console=ttyS0 loglevel=5 panic=-1 $APPEND"
QARGS=("${ACCEL[@]}" -m "${TOY_VM_MEM:-1024}" -smp "${TOY_VM_SMP:-2}"
	-no-reboot -nodefaults -no-user-config -nic none
	-kernel "$KERNEL" -initrd "$RUN_INITRD" -append "$CMDLINE" "${QEXTRA[@]}")

: >"$CONSOLE"
: >"$OUT"
: >"$DMESG"
start=$(date +%s.%N)
qrc=0
if [ "$INTERACTIVE" = 1 ]; then
	TO=()
	[ "$TIMEOUT" -gt 0 ] && TO=(timeout --foreground -k 10 "$TIMEOUT")
	echo "vm: interactive; Ctrl-A X kills the VM, 'exit' powers it off" >&2
	"${TO[@]}" "$QEMU" "${QARGS[@]}" -nographic \
		-chardev stdio,id=con,mux=on,signal=off,logfile="$CONSOLE" \
		-serial chardev:con -mon chardev=con,mode=readline \
		-serial file:"$OUT" -serial file:"$DMESG" || qrc=$?
else
	TO=()
	[ "$TIMEOUT" -gt 0 ] && TO=(timeout -k 10 "$TIMEOUT")
	"${TO[@]}" "$QEMU" "${QARGS[@]}" -display none -monitor none \
		-serial file:"$CONSOLE" -serial file:"$OUT" -serial file:"$DMESG" \
		</dev/null >"$LOGDIR/qemu.log" 2>&1 &
	qpid=$!
	# Stream the command's output live; drop CRs and the exit marker.
	tail -n +1 -f --pid="$qpid" "$OUT" 2>/dev/null |
		sed -u -e 's/\r$//' -e '/^TOY-EXIT: [0-9]/d'
	wait "$qpid" || qrc=$?
fi
awk -v s="$start" -v e="$(date +%s.%N)" -v n="$NAME" -v q="$qrc" \
	'BEGIN { printf "vm: %s: VM ran %.1fs (qemu status %s)\n", n, e - s, q }' >&2

# --- verdict -------------------------------------------------------------
vmfail=0	# exit status for a VM-level failure
reasons=()

show_tail() {	# show_tail FILE N: last N lines of FILE as "# " comments
	tr -d '\r' <"$1" | tail -n "$2" | sed 's/^/#   /'
}

marker=$(tr -d '\r' <"$OUT" | grep -E '^TOY-EXIT: [0-9]+' | tail -n 1 || true)
rc=""
if [[ $marker =~ ^TOY-EXIT:\ ([0-9]+) ]]; then
	rc=${BASH_REMATCH[1]}
fi

# Kernel log scan: console (what was printed live, survives a hang or a
# panic) and the dmesg dump (everything, whatever the console loglevel).
BAD='Oops|BUG:|WARNING:|KASAN|possible circular locking|lockdep|INFO: task .* blocked|[Kk]ernel panic|general protection|UBSAN|unreferenced object|Call Trace:|RIP: '
# Expected: the taint messages of an unsigned out-of-tree module, and the
# boot banner of a lockdep kernel.
IGNORE='taints kernel|module verification failed|RCU lockdep checking is enabled'
[ -n "${TOY_LOG_IGNORE:-}" ] && IGNORE="$IGNORE|$TOY_LOG_IGNORE"
hits=$(cat "$CONSOLE" "$DMESG" | tr -d '\r' | grep -E "$BAD" | grep -Ev "$IGNORE" |
	awk '!seen[$0]++' || true)
# With a kernel report to show, the end of the console adds little.
ntail=40
[ -z "$hits" ] || ntail=8

if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "# $NAME: VM killed by the host timeout (${TIMEOUT}s); end of console:"
	show_tail "$CONSOLE" "$ntail"
	reasons+=("VM timed out after ${TIMEOUT}s")
	vmfail=124
elif [[ $marker == *"guest timeout"* ]]; then
	echo "# $NAME: command killed by the guest timeout (${GUEST_TIMEOUT}s);" \
	     "VM timeout ${TIMEOUT}s"
	reasons+=("command timed out after ${GUEST_TIMEOUT}s")
	vmfail=124
elif [ -z "$rc" ]; then
	echo "# $NAME: no TOY-EXIT marker: the guest died or QEMU failed (status $qrc);" \
	     "end of console ($CONSOLE):"
	show_tail "$CONSOLE" "$ntail"
	if [ -s "$LOGDIR/qemu.log" ]; then
		echo "# qemu said:"
		show_tail "$LOGDIR/qemu.log" 10
	fi
	killer=$(grep -o 'terminating on signal [0-9]* from pid [0-9]*' "$LOGDIR/qemu.log" || true)
	if [ -n "$killer" ]; then
		reasons+=("QEMU was killed from outside ($killer)")
	else
		reasons+=("guest did not finish (no exit marker)")
	fi
	vmfail=125
elif ! grep -q TOY-DMESG-END "$DMESG"; then
	echo "# $NAME: warning: the guest did not dump its kernel log; scanned the console only"
fi

if [ -n "$hits" ]; then
	n=$(printf '%s\n' "$hits" | wc -l)
	echo "# $NAME: kernel log problems ($n line(s); full logs: $DMESG, $CONSOLE):"
	# No reader here may stop early (head, awk's exit): with set -o
	# pipefail, the writer's SIGPIPE would end vm.sh before its FAIL line
	# once a long kmemleak report fills the pipe.
	printf '%s\n' "$hits" | sed -n 's/^/#   /;1,40p'
	# The first report in full, for the stack trace.
	first=${hits%%$'\n'*}
	src=$DMESG
	grep -qF -- "$first" "$src" || src=$CONSOLE
	echo "# first report, from $(basename "$src"):"
	tr -d '\r' <"$src" | awk -v pat="$first" '
		last { next }
		{ line[NR] = $0 }
		!at && index($0, pat) { at = NR }
		at && (NR > at + 50 || /---\[ end trace/) { last = NR }
		END { if (at) for (i = (at > 3 ? at - 3 : 1); i <= (last ? last : NR); i++)
			print "#   " line[i] }'
	reasons+=("kernel log: $n suspicious line(s)")
	[ "$vmfail" != 0 ] || vmfail=123
fi

if [ ${#reasons[@]} -eq 0 ]; then
	echo "PASS: $NAME: kernel log clean"
	# An interactive shell's last status is nobody's test result.
	[ "$INTERACTIVE" = 1 ] && exit 0
	exit "$rc"
fi
for r in "${reasons[@]}"; do
	echo "FAIL: $NAME: $r"
done
exit "$vmfail"
