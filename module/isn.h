/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Initial sequence numbers (RFC 6528): a clock, so that a new incarnation
 * of a 4-tuple starts above the old one, plus a keyed hash of the 4-tuple,
 * so that an off-path attacker cannot guess it.
 */
#ifndef _TOY_ISN_H
#define _TOY_ISN_H

#include <linux/siphash.h>
#include <linux/types.h>

/* RFC 6528's M: a timer that ticks about every 4 microseconds. */
#define TOY_ISN_TICK_SHIFT	12	/* 2^12 ns = 4.096 us */

static inline u32 toy_isn(const siphash_key_t *key, __be32 saddr,
			  __be32 daddr, __be16 sport, __be16 dport, u64 now_ns)
{
	u32 f = siphash_3u32((__force u32)saddr, (__force u32)daddr,
			     ((__force u32)sport << 16) | (__force u32)dport,
			     key);

	return f + (u32)(now_ns >> TOY_ISN_TICK_SHIFT);
}

#endif /* _TOY_ISN_H */
