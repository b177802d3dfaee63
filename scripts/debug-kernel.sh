#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once, cached) a small x86_64 debug kernel from Debian's
# linux-source-6.1 with KUnit, KASAN, lockdep and kmemleak, for running the
# AF_TOY KUnit tests and integration tests under QEMU (TCG).
#
#   scripts/debug-kernel.sh            build if needed; progress on stderr,
#                                      `KDIR=...`, `BZIMAGE=...` on stdout
#                                      (so: eval "$(scripts/debug-kernel.sh)")
#   scripts/debug-kernel.sh --kdir     ... then print only the build tree path
#   scripts/debug-kernel.sh --bzimage  ... then print only the bzImage path
#   scripts/debug-kernel.sh --check    print the paths if the cached build
#                                      exists, else exit 1 (never builds)
#   scripts/debug-kernel.sh --rebuild  discard the cached build and rebuild
#
# The kernel is `make allnoconfig` + scripts/debug-kernel.config (merged with
# scripts/kconfig/merge_config.sh) + `make olddefconfig`; every symbol the
# fragment asks for is then checked against the final .config and the build
# stops if any did not stick (usually a missing dependency in the fragment).
#
# Cache: ${TOY_CACHE:-$HOME/.cache/af_toy}/debug-kernel-<hash>/
#   linux/      the configured and built tree (KDIR for out-of-tree modules)
#   build.log   full output of the last config/build run
#   .done       stamp written last; its presence means the build is complete
# <hash> covers the fragment, the linux-source-6.1 package version and the
# build recipe below, so changing any of them builds into a new directory.
#
# Environment: TOY_CACHE (cache root), TOY_KERNEL_JOBS (make -j, default
# nproc+1).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
frag="$here/debug-kernel.config"
mode=full
rebuild=0
for arg in "$@"; do
	case "$arg" in
	--kdir) mode=kdir ;;
	--bzimage) mode=bzimage ;;
	--check) mode=check ;;
	--rebuild) rebuild=1 ;;
	-h|--help) sed -n '3,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "debug-kernel: unknown argument: $arg" >&2; exit 2 ;;
	esac
done

say() { echo "debug-kernel: $*" >&2; }
now() { date +%s; }

report() {
	case "$mode" in
	kdir) echo "$tree" ;;
	bzimage) echo "$tree/arch/x86/boot/bzImage" ;;
	*) echo "KDIR=$tree"; echo "BZIMAGE=$tree/arch/x86/boot/bzImage" ;;
	esac
}

pkg=linux-source-6.1
tarball=/usr/src/linux-source-6.1.tar.xz

if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q ' installed$' ||
   [ ! -r "$tarball" ]; then
	[ "$mode" = check ] && { say "$pkg not installed"; exit 1; }
	say "installing $pkg and build dependencies"
	if [ -x "$here/deps.sh" ]; then
		"$here/deps.sh" "$pkg" bc flex bison libelf-dev libssl-dev >&2
	else
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "$pkg" bc flex bison libelf-dev \
			libssl-dev gcc make >&2 </dev/null
	fi
fi
srcver=$(dpkg-query -W -f='${Version}' "$pkg")

# Everything between the recipe markers is part of the cache key.
recipe() { sed -n '/^# --- recipe begin/,/^# --- recipe end/p' "$0"; }
hash=$({ cat "$frag"; echo "$pkg $srcver"; recipe; } | sha256sum | cut -c1-16)
cache=${TOY_CACHE:-$HOME/.cache/af_toy}
dir="$cache/debug-kernel-$hash"
tree="$dir/linux"
log="$dir/build.log"

if [ "$mode" = check ]; then
	[ -e "$dir/.done" ] || { say "no finished build at $dir"; exit 1; }
	report; exit 0
fi

mkdir -p "$dir"
# Serialise concurrent callers on the same cache entry.
exec 9>"$dir/.lock"
if ! flock -n 9; then
	say "another build holds $dir/.lock; waiting"
	flock 9
fi

if [ "$rebuild" = 1 ]; then
	say "--rebuild: removing $dir"
	rm -rf "$tree" "$dir/.done" "$dir/.untarred" "$dir/.configured"
fi

if [ -e "$dir/.done" ] && [ -e "$tree/arch/x86/boot/bzImage" ]; then
	say "cached: $tree ($(cat "$dir/.done"))"
	report
	exit 0
fi

fail() {
	say "FAILED: $*"
	if [ -s "$log" ]; then
		say "last 40 lines of $log:"
		tail -n 40 "$log" >&2
	fi
	exit 1
}

t_start=$(now)
say "building $pkg $srcver debug kernel in $dir"

# --- recipe begin (changes here change the cache key) ---
recipe_version=1
jobs=${TOY_KERNEL_JOBS:-$(( $(nproc) + 1 ))}
kmake() { make -C "$tree" ARCH=x86_64 "$@"; }

if [ ! -e "$dir/.untarred" ]; then
	say "[1/4] untar $tarball"
	rm -rf "$tree" "$dir/linux-source-6.1" "$dir/.configured"
	tar -C "$dir" -xf "$tarball" || fail "untar"
	mv "$dir/linux-source-6.1" "$tree"
	touch "$dir/.untarred"
fi

if [ ! -e "$dir/.configured" ]; then
	say "[2/4] config: allnoconfig + $(basename "$frag") + olddefconfig"
	t0=$(now)
	: >"$log"
	{
		kmake allnoconfig &&
		(cd "$tree" && ARCH=x86_64 scripts/kconfig/merge_config.sh -m \
			.config "$frag") &&
		kmake olddefconfig
	} >>"$log" 2>&1 || fail "config"
	# Every symbol the fragment sets must have the same value in .config.
	bad=$(awk '
		FNR == NR {
			if (match($0, /^CONFIG_[A-Za-z0-9_]+=/)) {
				k = substr($0, 1, RLENGTH - 1); want[k] = substr($0, RLENGTH + 1)
			} else if ($0 ~ /^# CONFIG_[A-Za-z0-9_]+ is not set$/) {
				want[$2] = "n"
			}
			next
		}
		/^CONFIG_/ { i = index($0, "="); have[substr($0, 1, i - 1)] = substr($0, i + 1) }
		END {
			for (k in want) {
				h = (k in have) ? have[k] : "n"
				if (h != want[k]) printf "  %s: wanted %s, got %s\n", k, want[k], h
			}
		}' "$frag" "$tree/.config")
	if [ -n "$bad" ]; then
		say "these fragment symbols did not survive olddefconfig" \
		    "(missing dependencies?):"
		echo "$bad" | sort >&2
		exit 1
	fi
	say "config ok: all $(grep -c '^CONFIG_\|^# CONFIG_' "$frag") fragment" \
	    "symbols as requested ($(( $(now) - t0 )) s)"
	touch "$dir/.configured"
fi

targets="bzImage modules_prepare"
# `modules` also writes Module.symvers, which out-of-tree builds use for
# symbol versions/unresolved-symbol checks; with no =m symbols it is cheap.
targets="$targets modules"
say "[3/4] make -j$jobs $targets (log: $log)"
t0=$(now)
kmake -j"$jobs" $targets >>"$log" 2>&1 &
mpid=$!
# Progress: one line a minute with the number of objects compiled so far.
while kill -0 "$mpid" 2>/dev/null; do
	for _ in $(seq 60); do
		kill -0 "$mpid" 2>/dev/null || break
		sleep 1
	done
	kill -0 "$mpid" 2>/dev/null || break
	n=$(grep -c '^  \(CC\|AS\)' "$log" || true)
	say "  still building... $n objects compiled, $(( $(now) - t0 )) s"
done
wait "$mpid" || fail "make $targets"
say "build done in $(( $(now) - t0 )) s"

say "[4/4] checks"
[ -s "$tree/arch/x86/boot/bzImage" ] || fail "no bzImage"
[ -s "$tree/Module.symvers" ] || fail "no Module.symvers"
# --- recipe end ---

total=$(( $(now) - t_start ))
echo "built $(date -u +%FT%TZ) in ${total}s" >"$dir/.done"
say "done in ${total} s: $tree"
report
