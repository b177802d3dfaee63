#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run by `make vm-shell` before the interactive shell: two namespaces, toyA
# and toyB, joined by veth, left in place for the person at the keyboard.
export TOY_KEEP=1
# shellcheck source=scripts/tests/lib.sh
. /tests/lib.sh

setup_pair toyA toyB || echo "shell-setup: setting up toyA/toyB failed"
if grep -q '^toy ' /proc/modules; then
	mod="toy.ko is loaded"
else
	mod="toy.ko is NOT loaded (insmod $TOY_KO)"
fi
cat <<BANNER

=== AF_TOY VM ($(uname -r)), $mod ===
  toyA: $DEV_A $IP_A/24   <-- veth -->   toyB: $DEV_B $IP_B/24
  ip netns exec toyA sh          # a shell on side A (likewise toyB)
  ip netns exec toyA ping -c1 $IP_B
  tc -n toyA qdisc add dev $DEV_A root netem delay 10ms loss 1%
  cat /proc/net/toy; dmesg | tail
Tests: /tests/run.sh [NAME...]   Userspace programs: /usr/bin
'ip' and 'tc' are functions for /sbin/ip, /sbin/tc here (busybox has its own).
'exit' (or Ctrl-D) powers the VM off; Ctrl-A X kills it.

BANNER
