#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "dissector": the Wireshark dissector (userspace/wireshark/toy.lua)
# run by tshark on this host against synthetic captures whose every field
# is known (scripts/host/dissector-test.sh). No VM, no module. Installs
# tshark (Debian's, 4.0 in Debian 12) if it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! scripts/deps.sh tshark >&2; then
	echo "FAIL: dissector: could not install tshark"
	exit 1
fi
exec scripts/host/dissector-test.sh
