#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "kunit": the KUnit suites of kunit/ on the debug kernel
# (scripts/tier-kunit.sh builds it once, cached, and parses the KTAP).
exec "$(dirname "$0")/../tier-kunit.sh"
