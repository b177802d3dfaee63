#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the version of an installed Debian kernel image
# (/boot/vmlinuz-*-amd64) that also has headers (/lib/modules/$V/build).
#
#   scripts/kver.sh           the primary kernel: series 6.1 (Debian 12's
#                             linux-image-amd64), whatever else is installed
#   scripts/kver.sh SERIES    the newest installed kernel of SERIES, e.g.
#                             6.12 (linux-image-6.12.*+deb12-amd64)
#
# A series is the first two numbers of the version: 6.1.0-56-amd64 is 6.1,
# 6.12.117+deb12-amd64 is 6.12. The kernel is chosen by series, never as
# "the newest installed" (installing a 6.12 kernel must not move the build
# and the tiers off 6.1), and never from the running kernel (uname -r): the
# host kernel is not Debian's and has no headers.
set -eu

# TOY_KVER names the primary kernel explicitly (e.g. a 6.1 of another ABI)
if [ $# -eq 0 ] && [ -n "${TOY_KVER:-}" ]; then
	echo "$TOY_KVER"
	exit 0
fi
PRIMARY=6.1
series=${1:-$PRIMARY}

best=""
for img in /boot/vmlinuz-*-amd64; do
	[ -e "$img" ] || continue
	v=${img#/boot/vmlinuz-}
	# the first two dot-separated numbers: 6.12.117+deb12-amd64 -> 6.12
	s=$(echo "$v" | sed -n 's/^\([0-9][0-9]*\.[0-9][0-9]*\)[.-].*/\1/p')
	[ "$s" = "$series" ] || continue
	[ -e "/lib/modules/$v/build/Makefile" ] || continue
	if [ -z "$best" ] ||
	   [ "$(printf '%s\n%s\n' "$best" "$v" | sort -V | tail -n 1)" = "$v" ]; then
		best=$v
	fi
done

if [ -z "$best" ]; then
	echo "kver: no Debian kernel $series (/boot/vmlinuz-$series*-amd64 with" \
	     "/lib/modules/<ver>/build); run scripts/deps.sh" >&2
	exit 1
fi
echo "$best"
