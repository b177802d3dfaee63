#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the gzip'ed cpio (newc) initramfs the AF_TOY test VM boots.
#
# Usage: scripts/mkinitramfs.sh [options]
#   -k KVER    kernel version the modules are for (default: scripts/kver.sh)
#   -m DIR     where to look for kernel modules (*.ko, searched recursively):
#              /lib/modules/KVER (default), a kernel build tree, or an
#              INSTALL_MOD_PATH staging dir. A module that is not found there
#              is skipped if it is built in (modules.builtin or the kernel
#              config says =y), otherwise it is an error.
#   -c FILE    kernel .config (default: DIR/.config, DIR/build/.config or
#              /boot/config-KVER, the first that exists)
#   -M NAME    extra kernel module to put in and load at boot, after veth and
#              sch_netem (repeatable; dependencies are added via modinfo)
#   -t FILE    the AF_TOY module (default: module/toy.ko for the primary
#              kernel, scripts/kver.sh; build/KVER/module/toy.ko, where
#              `make module KVER=...` puts it, for another); -t '' for none
#   -u DIR     userspace binaries dir (default: userspace/build); every
#              executable there goes to /usr/bin in the guest
#   -x SRC[:DEST]  extra file or directory (DEST default: /extra/<name>)
#   -o FILE    output (default: build/initramfs-KVER.cpio.gz)
#
# The guest gets: busybox-static and its applet links, real iproute2 ip/tc
# (+ their libraries and tc's netem *.dist tables), the kernel modules,
# /init (scripts/guest/init.sh), /usr/lib/toy (scripts/guest/), the tests
# (scripts/tests -> /tests), the lessons (scripts/lessons -> /lessons),
# toy.ko at /lib/modules/toy.ko and the userspace programs in /usr/bin,
# and python3 with what userspace/python needs (if the host has
# /usr/bin/python3.11; TOY_PYTHON=0 leaves it out). The list of modules
# /init loads is /etc/toy/modules.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TOY_BUILD_DIR:-$TOP/build}

die() { echo "mkinitramfs: error: $*" >&2; exit 1; }
note() { echo "mkinitramfs: $*" >&2; }

KVER=""
MODSRC=""
CONFIG=""
TOY_KO=default
USERBIN=$TOP/userspace/build
OUT=""
EXTRA_MODS=()
EXTRA_FILES=()

while getopts "k:m:c:M:t:u:x:o:h" opt; do
	case $opt in
	k) KVER=$OPTARG ;;
	m) MODSRC=$OPTARG ;;
	c) CONFIG=$OPTARG ;;
	M) EXTRA_MODS+=("$OPTARG") ;;
	t) TOY_KO=$OPTARG ;;
	u) USERBIN=$OPTARG ;;
	x) EXTRA_FILES+=("$OPTARG") ;;
	o) OUT=$OPTARG ;;
	h) sed -n '4,/^set -euo/{/^set/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	*) die "bad option (see -h)" ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || die "unexpected argument: $1 (see -h)"

[ -n "$KVER" ] || KVER=$("$TOP/scripts/kver.sh")
[ -n "$MODSRC" ] || MODSRC=/lib/modules/$KVER
if [ "$TOY_KO" = default ]; then
	if [ "$KVER" = "$("$TOP/scripts/kver.sh" 2>/dev/null)" ]; then
		TOY_KO=$TOP/module/toy.ko
	else
		TOY_KO=$BUILD/$KVER/module/toy.ko
	fi
fi
[ -n "$OUT" ] || OUT=$BUILD/initramfs-$KVER.cpio.gz
[ -d "$MODSRC" ] || die "module dir $MODSRC does not exist"
if [ -z "$CONFIG" ]; then
	for c in "$MODSRC/.config" "$MODSRC/build/.config" "/boot/config-$KVER"; do
		if [ -f "$c" ]; then CONFIG=$c; break; fi
	done
fi

BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || die "$BUSYBOX missing: run scripts/deps.sh (busybox-static)"
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
	ldd "$BUSYBOX" 2>&1 | grep -q 'not a dynamic executable' ||
	die "$BUSYBOX is not static: install busybox-static"
for t in cpio gzip modinfo ldd; do
	command -v "$t" >/dev/null || die "$t not found: run scripts/deps.sh"
done

mkdir -p "$(dirname "$OUT")"
STAGE=$OUT.d
rm -rf "$STAGE"
mkdir -p "$STAGE"

# usr-merged layout, like the host, so a library or binary path that ldd or
# a script names is valid in the guest whatever prefix it uses.
mkdir -p "$STAGE"/usr/{bin,sbin,lib,lib64} "$STAGE"/{dev,proc,sys,tmp,run,root,etc/toy,tests,mnt}
ln -s usr/bin "$STAGE/bin"
ln -s usr/sbin "$STAGE/sbin"
ln -s usr/lib "$STAGE/lib"
ln -s usr/lib64 "$STAGE/lib64"
mkdir -p "$STAGE/var"
ln -s ../run "$STAGE/var/run"
ln -s ../tmp "$STAGE/var/tmp"

# copy_file SRC DEST: copy SRC (following symlinks) to DEST in the guest.
copy_file() {
	mkdir -p "$STAGE$(dirname "$2")"
	cp -L --preserve=mode "$1" "$STAGE$2"
}

# copy_bin SRC DEST: copy an executable and, if dynamic, its libraries at
# the paths ldd reports (plus the dynamic loader).
copy_bin() {
	local src=$1 dst=$2 lib libs
	copy_file "$src" "$dst"
	libs=$(ldd "$src" 2>/dev/null) || return 0	# static, or not ELF
	if grep -q 'not found' <<<"$libs"; then
		die "$src: libraries not found: $(grep 'not found' <<<"$libs" | tr -s ' \t\n' ' ')"
	fi
	while read -r lib; do
		[ -e "$STAGE$lib" ] || copy_file "$lib" "$lib"
	done < <(awk '$2 == "=>" && $3 ~ /^\// { print $3; next }
		      $1 ~ /^\// { print $1 }' <<<"$libs")
}

# --- busybox + real iproute2 -------------------------------------------
copy_file "$BUSYBOX" /usr/bin/busybox

# The real iproute2 binaries, wherever Debian put them (not busybox's).
find_iproute2() {	# find_iproute2 NAME
	local p
	for p in /usr/sbin/$1 /sbin/$1 /usr/bin/$1 /bin/$1; do
		[ -x "$p" ] && "$p" -V 2>/dev/null | grep -q iproute2 && echo "$p" && return 0
	done
	die "iproute2 '$1' not found: run scripts/deps.sh (iproute2)"
}
IP_BIN=$(find_iproute2 ip)
TC_BIN=$(find_iproute2 tc)
copy_bin "$IP_BIN" /usr/sbin/ip
copy_bin "$TC_BIN" /usr/sbin/tc
ln -s ../sbin/ip "$STAGE/usr/bin/ip"
ln -s ../sbin/tc "$STAGE/usr/bin/tc"
# netem delay distribution tables (tc looks in its compiled-in LIBDIR).
for d in /usr/lib/*/tc /usr/lib/tc /lib/tc; do
	[ -d "$d" ] || continue
	for f in "$d"/*.dist; do
		[ -e "$f" ] && copy_file "$f" "$f"
	done
done
[ -d /etc/iproute2 ] && mkdir -p "$STAGE/etc" && cp -a /etc/iproute2 "$STAGE/etc/"

# Applet links last, never over a real binary: busybox sh runs its own
# applets first anyway, but a full path like /sbin/ip must be iproute2.
while read -r applet; do
	case ${applet##*/} in ip|tc|busybox) continue ;; esac
	[ -e "$STAGE/$applet" ] || [ -L "$STAGE/$applet" ] ||
		ln -s /usr/bin/busybox "$STAGE/$applet"
done < <("$BUSYBOX" --list-full)

cat >"$STAGE/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$STAGE/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
# Interactive shells (vm-shell, `ip netns exec NS sh`): iproute2 for plain
# ip/tc, and the namespace in the prompt. ENV is read by every interactive sh.
cat >"$STAGE/etc/toy/shrc" <<'EOF'
ip() { /sbin/ip "$@"; }
tc() { /sbin/tc "$@"; }
IP=/sbin/ip TC=/sbin/tc
export IP TC
_ns=$(/sbin/ip netns identify 2>/dev/null)
PS1="${_ns:+[$_ns] }\w # "
unset _ns
EOF
cat >"$STAGE/etc/profile" <<'EOF'
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export ENV=/etc/toy/shrc
. /etc/toy/shrc
EOF
printf '127.0.0.1\tlocalhost\n10.0.0.1\ttoyA\n10.0.0.2\ttoyB\n' >"$STAGE/etc/hosts"
printf 'tcp\t6\tTCP\nudp\t17\tUDP\ntoy\t253\tTOY\n' >"$STAGE/etc/protocols"

# --- kernel modules -----------------------------------------------------
declare -A MOD_DONE=()
MOD_ORDER=()

find_ko() {	# find_ko NAME -> path of NAME.ko[.xz|.zst|.gz] under MODSRC
	local n1=$1 n2=${1//_/-} n3=${1//-/_}
	find "$MODSRC" \( -name "$n1.ko*" -o -name "$n2.ko*" -o -name "$n3.ko*" \) \
		\( -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz' \) \
		-not -path '*/source/*' 2>/dev/null | sort | head -n 1
}

is_builtin() {	# is_builtin NAME
	local n=${1//-/_} f sym
	for f in "$MODSRC/modules.builtin" "$MODSRC/build/modules.builtin"; do
		[ -f "$f" ] && tr '-' '_' <"$f" | grep -q "/$n\.ko$" && return 0
	done
	# Fallback for a tree without modules.builtin: the symbols we know.
	case $n in
	veth) sym=CONFIG_VETH ;;
	sch_netem) sym=CONFIG_NET_SCH_NETEM ;;
	*) return 1 ;;
	esac
	[ -n "$CONFIG" ] && grep -q "^$sym=y" "$CONFIG"
}

add_module() {	# add_module NAME: add NAME and (first) its dependencies
	local name=${1//-/_} ko deps d
	[ -z "${MOD_DONE[$name]:-}" ] || return 0
	MOD_DONE[$name]=1
	ko=$(find_ko "$name")
	if [ -z "$ko" ]; then
		if is_builtin "$name"; then
			note "$name is built into the kernel: not copied"
			return 0
		fi
		die "module $name not found under $MODSRC and not built in"
	fi
	deps=$(modinfo -F depends "$ko" 2>/dev/null || true)
	for d in ${deps//,/ }; do
		add_module "$d"
	done
	mkdir -p "$STAGE/lib/modules/$KVER"
	case $ko in
	*.ko.xz) xz -dc "$ko" >"$STAGE/lib/modules/$KVER/$name.ko" ;;
	*.ko.zst) zstd -qdc "$ko" >"$STAGE/lib/modules/$KVER/$name.ko" ;;
	*.ko.gz) gzip -dc "$ko" >"$STAGE/lib/modules/$KVER/$name.ko" ;;
	*) cp "$ko" "$STAGE/lib/modules/$KVER/$name.ko" ;;
	esac
	MOD_ORDER+=("$name")
}

for m in veth sch_netem "${EXTRA_MODS[@]}"; do
	add_module "$m"
done
: >"$STAGE/etc/toy/modules"
for m in "${MOD_ORDER[@]}"; do
	echo "/lib/modules/$KVER/$m.ko" >>"$STAGE/etc/toy/modules"
done

if [ -n "$TOY_KO" ]; then
	[ -f "$TOY_KO" ] || die "$TOY_KO not found: build it first (make module), or pass -t ''"
	kv=$(modinfo -F vermagic "$TOY_KO" | awk '{print $1}')
	[ "$kv" = "$KVER" ] ||
		die "$TOY_KO was built for '$kv', not $KVER: rebuild it against this kernel"
	mkdir -p "$STAGE/lib/modules"
	cp "$TOY_KO" "$STAGE/lib/modules/toy.ko"
fi

# --- harness, tests, userspace, extras ---------------------------------
cp "$TOP/scripts/guest/init.sh" "$STAGE/init"
chmod 755 "$STAGE/init"
mkdir -p "$STAGE/usr/lib/toy"
cp -a "$TOP/scripts/guest/." "$STAGE/usr/lib/toy/"
cp -a "$TOP/scripts/tests/." "$STAGE/tests/"
# the lessons (make lesson), which 47-lessons runs too
mkdir -p "$STAGE/lessons"
cp -a "$TOP/scripts/lessons/." "$STAGE/lessons/"
echo "$KVER" >"$STAGE/etc/toy/kver"

nuser=0
if [ -d "$USERBIN" ]; then
	for f in "$USERBIN"/*; do
		if [ ! -f "$f" ] || [ ! -x "$f" ]; then continue; fi
		copy_bin "$f" "/usr/bin/$(basename "$f")"
		nuser=$((nuser + 1))
	done
else
	note "warning: $USERBIN does not exist: no userspace programs in the guest"
fi

# Python for userspace/python (toysocket and its examples): the interpreter,
# only the stdlib modules they import, toysocket.py on the default sys.path.
# TOY_PYTHON=0 leaves it out, =1 fails without it; default: in if present.
PY=${TOY_PYTHON_BIN:-/usr/bin/python3.11}
PYLIST=$TOP/userspace/python/initramfs-files.py
if [ "${TOY_PYTHON:-auto}" != 0 ] && [ -x "$PY" ] && [ -f "$PYLIST" ]; then
	pyfiles=$(env -i "$PY" -B "$PYLIST") || die "$PYLIST failed"
	while read -r kind src dst; do
		case $kind in
		bin|so) copy_bin "$src" "$src" ;;
		# keep mtimes: a .pyc is valid only for its .py's mtime
		file) copy_file "$src" "$dst" && touch -r "$src" "$STAGE$dst" ;;
		esac
	done <<<"$pyfiles"
	ln -sf "$(basename "$PY")" "$STAGE/usr/bin/python3"
	note "python: $PY and $(grep -c . < <(find "$STAGE/usr/lib/python3"* -name '*.py')) .py files"
elif [ "${TOY_PYTHON:-auto}" = 1 ]; then
	die "TOY_PYTHON=1 but $PY or $PYLIST is missing"
fi

for x in "${EXTRA_FILES[@]}"; do
	src=${x%%:*}
	if [ "$src" = "$x" ]; then dst=/extra/$(basename "$src"); else dst=${x#*:}; fi
	[ -e "$src" ] || die "extra file $src does not exist"
	mkdir -p "$STAGE$(dirname "$dst")"
	if [ -d "$src" ]; then
		cp -a "$src" "$STAGE$dst"
	elif [ -x "$src" ]; then
		copy_bin "$src" "$dst"
	else
		cp "$src" "$STAGE$dst"
	fi
done

# --- pack ---------------------------------------------------------------
(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0) | gzip -1 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
note "$OUT: $(du -h "$OUT" | cut -f1), kernel $KVER, modules: ${MOD_ORDER[*]:-none}," \
     "toy.ko: ${TOY_KO:-none}, $nuser userspace program(s)"
