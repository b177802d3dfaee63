#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: boot the test VM once and, over one veth pair, measure bulk
# goodput (0% and 5% loss) and 64-byte ping-pong for AF_TOY, TCP and UDP
# with toy-bench (scripts/bench/guest.sh), then print a table with the
# ratios AF_TOY/TCP and AF_TOY/UDP and the kernel's /proc/net/toy_stats
# deltas of the AF_TOY runs; then one AF_TOY and one TCP bulk flow, one
# after the other, over a long fat path (netem delay 25ms rate 200mbit each
# way) with their goodput, memory and receive windows. A benchmark, not a
# test: the exit status only says whether the VM ran, never what the
# figures are.
#
# Environment: BENCH_DURATION (s per measurement, 5), BENCH_LOSS (5%),
# BENCH_SIZE (1400), BENCH_TCP_SIZE (131072), BENCH_PP_CPUS ("0 0": client
# and server CPU for ping-pong), BENCH_BULK_CPUS ("0 1"; "" not pinned; see
# scripts/bench/guest.sh for why), BENCH_ONLY (which parts to run, e.g.
# BENCH_ONLY=lfp; default all), BENCH_LFP_DURATION (s per long-fat-path
# flow, 20), BENCH_LFP_DELAY (25ms), BENCH_LFP_RATE (200mbit),
# BENCH_LFP_LIMIT (netem limit, packets; netem's 1000 if unset),
# BENCH_LFP_SIZE (AF_TOY message size there, 65536), BENCH_BIG_SIZE (the
# 64 KiB rows' AF_TOY message and TCP write, 65536), BENCH_FLOWS (flows at
# once, 4), BENCH_MEM_CONNS (idle connections, 2000), BENCH_CONN_ROUNDS
# (connections/s runs of each, the median: 3), TOY_GSO (net.toy.gso in the
# namespaces, lib.sh; default the module's, 1), TOY_VM_TIMEOUT (s, 400),
# KVER (the kernel to boot, default scripts/kver.sh: 6.1; `make bench KVER=`
# builds toy.ko and the initramfs for it first),
# plus whatever scripts/vm.sh reads. The output is also kept in
# build/logs/bench/out.log.
set -euo pipefail
cd "$(dirname "$0")/.."

KVER=${KVER:-$(scripts/kver.sh)}
INITRD=${TOY_BUILD_DIR:-build}/initramfs-$KVER.cpio.gz

envs=()
for v in BENCH_DURATION BENCH_LOSS BENCH_SIZE BENCH_TCP_SIZE BENCH_PP_CPUS \
	 BENCH_BULK_CPUS BENCH_ONLY BENCH_LFP_DURATION BENCH_LFP_DELAY \
	 BENCH_LFP_RATE BENCH_LFP_LIMIT BENCH_LFP_SIZE BENCH_BIG_SIZE BENCH_FLOWS \
	 BENCH_MEM_CONNS BENCH_CONN_ROUNDS TOY_GSO; do
	[ -n "${!v+set}" ] && envs+=(-e "$v=${!v}")
done
echo "Booting a VM (QEMU, software emulation) for the benchmark: about 2 minutes..."
exec scripts/vm.sh -n bench -V "$KVER" -r "$INITRD" -t "${TOY_VM_TIMEOUT:-400}" \
	"${envs[@]}" -s scripts/bench/guest.sh
