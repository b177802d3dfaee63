// SPDX-License-Identifier: GPL-2.0
/*
 * Segments for the queue tests: real skbs with a payload and TOY_SKB_CB
 * filled in, and queues that KUnit purges when the case ends, passed or
 * failed, so kmemleak sees nothing left behind.
 */
#include <linux/slab.h>
#include <kunit/resource.h>

#include "sock.h"
#include "toy_kunit.h"

static int toy_test_queue_init(struct kunit_resource *res, void *context)
{
	struct sk_buff_head *q = kmalloc(sizeof(*q), GFP_KERNEL);

	if (!q)
		return -ENOMEM;
	skb_queue_head_init(q);
	res->data = q;
	return 0;
}

static void toy_test_queue_free(struct kunit_resource *res)
{
	struct sk_buff_head *q = res->data;

	__skb_queue_purge(q);
	kfree(q);
}

/* An empty sk_buff_head whose segments are freed with the test case. */
struct sk_buff_head *toy_test_queue(struct kunit *test)
{
	struct sk_buff_head *q;

	q = kunit_alloc_resource(test, toy_test_queue_init,
				 toy_test_queue_free, GFP_KERNEL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	return q;
}

/* A segment [seq, seq + len) with @len payload bytes; the caller frees it. */
struct sk_buff *toy_test_skb(struct kunit *test, u32 seq, u32 len)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);
	struct toy_skb_cb *cb;
	u8 *data;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	data = skb_put(skb, len);
	for (i = 0; i < len; i++)
		data[i] = toy_test_byte(seq + i);
	cb = TOY_SKB_CB(skb);
	memset(cb, 0, sizeof(*cb));
	cb->seq = seq;
	cb->end_seq = seq + len;
	return skb;
}

/* A segment [seq, seq + len) appended to @q, which then owns it. */
struct sk_buff *toy_test_queue_seg(struct kunit *test, struct sk_buff_head *q,
				   u32 seq, u32 len)
{
	struct sk_buff *skb = toy_test_skb(test, seq, len);

	__skb_queue_tail(q, skb);
	return skb;
}
