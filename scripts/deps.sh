#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages the AF_TOY build and test harness needs.
#
#   scripts/deps.sh [EXTRA_PACKAGE...]
#
# Idempotent and silent when everything is already installed: it asks
# dpkg-query first and only runs `apt-get update` + `apt-get install` for
# what is missing. Works without a terminal (CI=true, stdin closed).
# Extra package names on the command line are installed too, e.g.
#   scripts/deps.sh linux-source-6.1 bc flex bison libelf-dev libssl-dev
set -eu

BASE_PKGS="linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static
iproute2 cpio gcc make libc6-dev kmod python3 rsync patch"

missing=""
for pkg in $BASE_PKGS "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo -n"
	else
		echo "deps: not root and no sudo; install by hand:$missing" >&2
		exit 1
	fi
else
	SUDO=""
fi

export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # word splitting of $SUDO and $missing is wanted
{
	$SUDO apt-get update -q </dev/null >/dev/null
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends -o Dpkg::Options::=--force-confdef \
		-o Dpkg::Options::=--force-confold $missing </dev/null
} || {
	echo "deps: apt-get failed installing:$missing" >&2
	exit 1
}

# Check again: apt-get can "succeed" yet leave a package half-configured.
for pkg in $missing; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) echo "deps: $pkg is still not installed ($status)" >&2; exit 1 ;;
	esac
done
echo "deps: done"
