#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier "stock": the in-guest tests (scripts/tests/NN-*.sh) on Debian's own
# 6.1 kernel (scripts/kver.sh: the primary series, even with 6.12 installed;
# tier "stock-6.12" runs them there), with module/toy.ko and
# userspace/build/* from `make all`.
# TOY_TESTS restricts which test files run (see scripts/tests/run.sh).
# TOY_GSO=0|1 sets net.toy.gso in every test namespace (lib.sh ns_create).
# The VM timeout is the sum of the files' own timeouts plus boot time
# (TOY_VM_TIMEOUT overrides), so only a guest that is truly stuck hits it.
set -euo pipefail
cd "$(dirname "$0")/../.."

KVER=$(scripts/kver.sh)
INITRD=${TOY_BUILD_DIR:-build}/initramfs-$KVER.cpio.gz
# xfrm_user: 28-policy sets an IPsec policy with ip xfrm
scripts/mkinitramfs.sh -k "$KVER" -M xfrm_user -o "$INITRD"

budget=60
for f in scripts/tests/[0-9][0-9]-*.sh; do
	t=$(head -n 10 "$f" | sed -n 's/^# *timeout: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
	budget=$((budget + ${t:-${TOY_TEST_TIMEOUT:-300}} + 10))
done
if [ -z "${TOY_VM_TIMEOUT:-}" ]; then
	export TOY_VM_GUEST_TIMEOUT=${TOY_VM_GUEST_TIMEOUT:-$budget}
fi
timeout=${TOY_VM_TIMEOUT:-$((budget + 60))}

# shellcheck disable=SC2086 # TOY_TESTS is a list of names
exec scripts/vm.sh -n stock -V "$KVER" -r "$INITRD" -t "$timeout" \
	${TOY_TEST_TIMEOUT:+-e TOY_TEST_TIMEOUT="$TOY_TEST_TIMEOUT"} \
	${TOY_GSO:+-e TOY_GSO="$TOY_GSO"} \
	-- /tests/run.sh ${TOY_TESTS:-}
