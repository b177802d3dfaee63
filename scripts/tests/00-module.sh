#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# The toy module loads, shows up in /proc, unloads with no sockets open and
# loads again.
# shellcheck source=scripts/tests/lib.sh
. "$(dirname "$0")/lib.sh"

loaded() { grep -q '^toy ' /proc/modules; }

check "module: toy is loaded at boot" loaded
check "module: /proc/net/toy exists" test -e /proc/net/toy
if loaded; then
	check "module: rmmod with no sockets" rmmod toy
else
	skip "module: rmmod with no sockets" "toy is not loaded"
fi
check_fails "module: gone from /proc/modules after rmmod" loaded
check_fails "module: /proc/net/toy gone after rmmod" test -e /proc/net/toy
check "module: insmod again" insmod "$TOY_KO"
check "module: /proc/net/toy back after insmod" test -e /proc/net/toy
