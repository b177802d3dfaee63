// SPDX-License-Identifier: GPL-2.0
/*
 * The pure (socket-free, clock-free) parts of AF_TOY, compiled into the
 * test module so that KUnit can call them without toy.ko. The functions
 * keep their names; toy_kunit.ko exports nothing, so they never clash with
 * toy.ko's copies.
 */
#include "../module/wire.c"
#include "../module/rtt.c"
#include "../module/cc.c"
#include "../module/ooo.c"
#include "../module/scoreboard.c"
#include "../module/rack.c"
#include "../module/cookie.c"
#include "../module/state.c"
