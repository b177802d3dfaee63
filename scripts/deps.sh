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
#
# Two kernels (README, "Kernels"): 6.1 through linux-image-amd64 and
# linux-headers-amd64, and Debian 12's 6.12, which has no meta-package
# there: unless a 6.12 kernel with headers is installed (scripts/kver.sh
# 6.12), one explicit linux-headers-6.12.N+deb12-amd64 is installed (it
# pulls its linux-image): TOY_K612_VERSION=6.12.N+deb12 if set, else the
# newest N that apt-cache lists after `apt-get update`.
set -eu

BASE_PKGS="linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static
iproute2 cpio gcc make libc6-dev kmod python3 rsync patch xz-utils"

missing=""
for pkg in $BASE_PKGS "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

need612=0
"$(dirname "$0")/kver.sh" 6.12 >/dev/null 2>&1 || need612=1

[ -z "$missing" ] && [ "$need612" = 0 ] && exit 0

if [ "$need612" = 1 ]; then
	echo "deps: installing:$missing and a 6.12 kernel"
else
	echo "deps: installing:$missing"
fi

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
	if [ "$need612" = 1 ]; then
		if [ -n "${TOY_K612_VERSION:-}" ]; then
			k612=linux-headers-$TOY_K612_VERSION-amd64
		else
			k612=$(apt-cache search --names-only \
				'^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
				awk '{ print $1 }' | sort -V | tail -n 1)
		fi
		[ -n "$k612" ] || {
			echo "deps: no linux-headers-6.12.*+deb12-amd64 in the archive" >&2
			exit 1
		}
		echo "deps: 6.12 kernel: $k612 and its image"
		missing="$missing $k612"
	fi
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
if [ "$need612" = 1 ] && ! "$(dirname "$0")/kver.sh" 6.12 >/dev/null; then
	echo "deps: $k612 installed, yet no 6.12 kernel with headers" >&2
	exit 1
fi
echo "deps: done"
