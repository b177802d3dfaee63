/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence-number arithmetic modulo 2^32 (RFC 793 section 3.3, RFC 1982).
 *
 * Sequence numbers wrap, so "a comes before b" is decided by the sign of the
 * 32-bit difference: it holds while the two are less than 2^31 apart, which
 * the window sizes AF_TOY allows guarantee.
 */
#ifndef _TOY_SEQ_H
#define _TOY_SEQ_H

#include <linux/types.h>

/* a < b */
static inline bool toy_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/* a > b */
static inline bool toy_seq_after(u32 a, u32 b)
{
	return toy_seq_before(b, a);
}

/* a <= b */
static inline bool toy_seq_before_eq(u32 a, u32 b)
{
	return !toy_seq_after(a, b);
}

/* a >= b */
static inline bool toy_seq_after_eq(u32 a, u32 b)
{
	return !toy_seq_before(a, b);
}

/* lo <= x <= hi, walking forward from lo */
static inline bool toy_seq_between(u32 x, u32 lo, u32 hi)
{
	return hi - lo >= x - lo;
}

/* the later of two sequence numbers */
static inline u32 toy_seq_max(u32 a, u32 b)
{
	return toy_seq_after(a, b) ? a : b;
}

/* the earlier of two sequence numbers */
static inline u32 toy_seq_min(u32 a, u32 b)
{
	return toy_seq_before(a, b) ? a : b;
}

#endif /* _TOY_SEQ_H */
