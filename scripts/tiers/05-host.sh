#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "host": checks that need no VM and no module, on this host:
# toytrace --file and toyplot on a saved trace (scripts/host/toytrace-test.sh;
# the plots need gnuplot-nox), and the Wireshark dissector run by tshark
# against synthetic captures whose every field is known
# (scripts/host/dissector-test.sh). Both packages are installed through
# scripts/deps.sh if missing.
set -uo pipefail
cd "$(dirname "$0")/../.."
if ! scripts/deps.sh gnuplot-nox tshark >&2; then
	echo "FAIL: host: could not install gnuplot-nox and tshark"
	exit 1
fi
rc=0
scripts/host/toytrace-test.sh || rc=1
scripts/host/dissector-test.sh || rc=1
exit "$rc"
