# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# toy.ko on the debug kernel, for the tiers that boot it
# (scripts/tiers/30-debug.sh, 35-debug-controls.sh). Source it from the
# top of the tree:
#
#	. scripts/debug-lib.sh
#	debug_kernel "$WORK"          # KDIR, BZIMAGE, KVER
#	debug_toy "$WORK" [PATCH]     # WORK/src/module/toy.ko, INITRD

# debug_kernel WORK: set KDIR, BZIMAGE and KVER for the debug kernel
# (scripts/debug-kernel.sh: built once, then cached; its progress as "# "
# lines on stderr).
# shellcheck disable=SC2034 # the variables are for the caller
debug_kernel() {
	scripts/debug-kernel.sh 2> >(sed -u 's/^/# /' >&2) >"$1/kernel.env"
	KDIR=$(sed -n 's/^KDIR=//p' "$1/kernel.env")
	BZIMAGE=$(sed -n 's/^BZIMAGE=//p' "$1/kernel.env")
	KVER=$(cat "$KDIR/include/config/kernel.release")
}

# debug_toy WORK [PATCH]: build toy.ko against $KDIR in WORK/src, a copy of
# module/ and uapi/ with PATCH (-p1, no fuzz) applied if given, and put it
# in the initramfs INITRD=WORK/initramfs-$KVER.cpio.gz. Kbuild writes its
# objects beside the sources: the copy keeps the tree's toy.ko for Debian's
# kernel as it is. Only files whose content differs are copied, with a new
# mtime, so make rebuilds them, also where an earlier PATCH is undone.
# On failure: "# " lines saying why, and status 1.
debug_toy() {
	local work=$1 patch=${2:-} src=$1/src d
	mkdir -p "$src"
	for d in module uapi; do
		rsync -rl --checksum --delete --exclude='*.o' --exclude='*.ko' \
			--exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' \
			--exclude='*.symvers' --exclude='modules.order' \
			"$d/" "$src/$d/" ||
			{ echo "# copying $d/ to $src failed"; return 1; }
	done
	if [ -n "$patch" ] &&
	   ! patch -d "$src" -p1 --batch --fuzz=0 <"$patch" >"$work/patch.log" 2>&1; then
		sed 's/^/# /' "$work/patch.log"
		echo "# $patch no longer applies to module/: update it"
		return 1
	fi
	if ! make -C "$KDIR" M="$src/module" modules >"$work/build.log" 2>&1; then
		tail -n 30 "$work/build.log" | sed 's/^/# /'
		echo "# toy.ko does not build against $KDIR (log: $work/build.log)"
		return 1
	fi
	INITRD=$work/initramfs-$KVER.cpio.gz
	if ! scripts/mkinitramfs.sh -k "$KVER" -m "$KDIR" -t "$src/module/toy.ko" \
		-o "$INITRD" >"$work/initramfs.log" 2>&1; then
		tail -n 10 "$work/initramfs.log" | sed 's/^/# /'
		echo "# scripts/mkinitramfs.sh failed (log: $work/initramfs.log)"
		return 1
	fi
}
