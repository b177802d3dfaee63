/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOY_KUNIT_H
#define _TOY_KUNIT_H

#include <kunit/test.h>
#include <linux/skbuff.h>

/* "name" as the parameter description of a KUNIT_ARRAY_PARAM table. */
#define TOY_PARAM_DESC_FN(fn, type)					\
	static void fn(const type *p, char *desc)			\
	{								\
		strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);		\
	}

/*
 * Test segments (toy_kunit_skb.c). A segment's payload byte at sequence
 * number s is toy_test_byte(s), so bytes out of place show.
 */
static inline u8 toy_test_byte(u32 seq)
{
	return (u8)(seq ^ (seq >> 8));
}

struct sk_buff_head *toy_test_queue(struct kunit *test);
struct sk_buff *toy_test_skb(struct kunit *test, u32 seq, u32 len);
struct sk_buff *toy_test_queue_seg(struct kunit *test, struct sk_buff_head *q,
				   u32 seq, u32 len);

#endif
