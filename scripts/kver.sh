#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the version of the newest installed Debian kernel image
# (/boot/vmlinuz-*-amd64) that also has headers (/lib/modules/$V/build).
# The running kernel (uname -r) is deliberately NOT used: the host kernel
# is not Debian's and has no headers.
set -eu

# TOY_KVER picks one explicitly (another kernel with headers may be newer)
if [ -n "${TOY_KVER:-}" ]; then
	echo "$TOY_KVER"
	exit 0
fi

best=""
for img in /boot/vmlinuz-*-amd64; do
	[ -e "$img" ] || continue
	v=${img#/boot/vmlinuz-}
	[ -e "/lib/modules/$v/build/Makefile" ] || continue
	if [ -z "$best" ] ||
	   [ "$(printf '%s\n%s\n' "$best" "$v" | sort -V | tail -n 1)" = "$v" ]; then
		best=$v
	fi
done

if [ -z "$best" ]; then
	echo "kver: no /boot/vmlinuz-*-amd64 with matching /lib/modules/<ver>/build;" \
	     "run scripts/deps.sh (linux-image-amd64 linux-headers-amd64)" >&2
	exit 1
fi
echo "$best"
