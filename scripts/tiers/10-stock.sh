#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "stock": the in-guest tests (scripts/tests/NN-*.sh) on Debian's own
# kernel, with module/toy.ko and userspace/build/* from `make all`.
# TOY_TESTS restricts which test files run (see scripts/tests/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

KVER=$(scripts/kver.sh)
INITRD=${TOY_BUILD_DIR:-build}/initramfs-$KVER.cpio.gz
scripts/mkinitramfs.sh -k "$KVER" -o "$INITRD"
# shellcheck disable=SC2086 # TOY_TESTS is a list of names
exec scripts/vm.sh -n stock -V "$KVER" -r "$INITRD" -- /tests/run.sh ${TOY_TESTS:-}
