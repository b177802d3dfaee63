#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "host": checks that need no VM and no module, on this host:
# toytrace --file and toyplot on a saved trace (scripts/host/toytrace-test.sh).
# The plots need gnuplot-nox, installed here through scripts/deps.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/deps.sh gnuplot-nox
exec scripts/host/toytrace-test.sh
