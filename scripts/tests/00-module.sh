#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
#
# The toy module loads, shows up in /proc, unloads with no sockets open and
# loads again; an open socket holds it, a connection in TIME_WAIT does not
# (its timewait socket goes with the module).
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

# A socket holds the module: rmmod must refuse while one exists.
sysctl_msl=/proc/sys/net/toy/msl_ms
run_bg toy-sock -q listen 127.0.0.1:7300 wait /tmp/mod-go-$$ close-listener
wait_for grep -q '127.0.0.1:7300 .* LISTEN' /proc/net/toy
check_fails "module: rmmod refused while a listener is open" rmmod toy
check "module: still loaded after the refused rmmod" loaded
touch /tmp/mod-go-$$
wait_for -t 10 sh -c "! grep -q ':7300 ' /proc/net/toy"

echo 1000 > "$sysctl_msl"
run_bg toy-sock -q listen 127.0.0.1:7301 accept expect bye close
wait_for grep -q '127.0.0.1:7301 .* LISTEN' /proc/net/toy
check "module: a connection over lo" toy-sock -q connect 127.0.0.1:7301 \
	send bye sleep 100 close
check "module: TIME_WAIT left after both closed" \
	grep -q 'TIME_WAIT' /proc/net/toy
check "module: TIME_WAIT ends after 2*MSL (msl_ms=1000)" \
	wait_for -t 10 sh -c "! grep -q TIME_WAIT /proc/net/toy"

# TIME_WAIT is kept by a small timewait socket, which holds no module (as
# TCP's holds no namespace): with only TIME_WAIT left, rmmod succeeds and
# the timewait sockets go with the module.
echo 60000 > "$sysctl_msl"
run_bg toy-sock -q listen 127.0.0.1:7302 accept expect bye close
wait_for grep -q '127.0.0.1:7302 .* LISTEN' /proc/net/toy
check "module: a second connection over lo" toy-sock -q connect \
	127.0.0.1:7302 send bye sleep 100 close
only_time_wait() {
	grep -q TIME_WAIT /proc/net/toy &&
		[ "$(awk 'NR > 1 && $4 != "TIME_WAIT"' /proc/net/toy | wc -l)" = 0 ]
}
check "module: only TIME_WAIT is left (2 x 60 s of it)" \
	wait_for -t 10 only_time_wait
check "module: rmmod during TIME_WAIT succeeds: timewait sockets hold no module" \
	rmmod toy
check_fails "module: gone, with its TIME_WAIT entries" loaded
check "module: insmod after that" insmod "$TOY_KO"
