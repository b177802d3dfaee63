#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build toy.ko for a kernel other than the primary one, out of the tree.
#
#   scripts/build-module.sh KDIR DIR
#
# Copies module/ and uapi/ to DIR/module and DIR/uapi and runs
# `make -C KDIR M=DIR/module modules` there: DIR/module/toy.ko. Kbuild
# writes objects beside the sources (and 6.1's Kbuild has no MO=), so a
# copy is what keeps module/toy.ko, the primary (6.1) kernel's, as it is:
# `make module KVER=<6.12 version>` uses this with DIR=build/<version>.
# Only files whose content differs are copied (with a new mtime), so a
# second build compiles only what changed. Build output goes to stdout;
# the exit status is make's.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 KDIR DIR" >&2; exit 2; }
KDIR=$1
DIR=$2
TOP=$(cd "$(dirname "$0")/.." && pwd)

[ -f "$KDIR/Makefile" ] || { echo "build-module: no kernel build dir $KDIR" >&2; exit 2; }
mkdir -p "$DIR"
for d in module uapi; do
	rsync -rl --checksum --delete --exclude='*.o' --exclude='*.ko' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' \
		--exclude='*.symvers' --exclude='modules.order' \
		"$TOP/$d/" "$DIR/$d/"
done
make -C "$KDIR" M="$(cd "$DIR" && pwd)/module" modules
echo "build-module: $DIR/module/toy.ko for $(cat "$KDIR/include/config/kernel.release")"
