// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: loss recovery's work in proportion to what an ACK changed
 * (module/scoreboard.c, issue 13). The resent list keeps resend order;
 * marking with the last ACK's blocks and hint marks exactly what a walk
 * from the head marks; the lost-scan finds exactly what the walk from the
 * head that it replaced found (kept here as the reference), on random
 * scoreboards; and both look at few segments where little changed.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/random.h>

#include "recovery.h"
#include "sack.h"
#include "toy_kunit.h"

#define LS_UNA		1000
#define LS_LEN		100
#define LS_ROUNDS	2000

/* The resent list, head to tail, as segment numbers (seq / LS_LEN - 10). */
static unsigned int toy_ls_rtx_order(struct toy_rtx_list *l, u8 *out,
				     unsigned int max)
{
	struct list_head *node;
	unsigned int n = 0;

	list_for_each(node, &l->list) {
		if (n == max)
			break;
		out[n++] = (TOY_SKB_CB(toy_rtx_skb(node))->seq - LS_UNA) / LS_LEN;
	}
	return n;
}

static struct sk_buff *toy_ls_nth(struct sk_buff_head *q, unsigned int n)
{
	struct sk_buff *skb;

	skb_queue_walk(q, skb) {
		if (!n--)
			return skb;
	}
	return NULL;
}

/* A resend goes last; a second resend moves it there; unlink anywhere. */
static void toy_ls_test_rtx_list_keeps_resend_order(struct kunit *test)
{
	struct sk_buff_head *q = toy_test_queue(test);
	struct toy_rtx_list l;
	u8 order[8];
	unsigned int i;

	toy_rtx_init(&l);
	for (i = 0; i < 5; i++)
		toy_test_queue_seg(test, q, LS_UNA + LS_LEN * i, LS_LEN);
	toy_rtx_append(&l, toy_ls_nth(q, 3));
	toy_rtx_append(&l, toy_ls_nth(q, 1));
	toy_rtx_append(&l, toy_ls_nth(q, 4));
	toy_rtx_append(&l, toy_ls_nth(q, 3));
	KUNIT_ASSERT_EQ(test, toy_ls_rtx_order(&l, order, 8), 3U);
	KUNIT_EXPECT_EQ(test, order[0], 1);
	KUNIT_EXPECT_EQ(test, order[1], 4);
	KUNIT_EXPECT_EQ(test, order[2], 3);
	toy_rtx_unlink(toy_ls_nth(q, 4));
	toy_rtx_unlink(toy_ls_nth(q, 0));	/* on no list: nothing */
	KUNIT_ASSERT_EQ(test, toy_ls_rtx_order(&l, order, 8), 2U);
	KUNIT_EXPECT_EQ(test, order[0], 1);
	KUNIT_EXPECT_EQ(test, order[1], 3);
	toy_rtx_unlink(toy_ls_nth(q, 3));
	KUNIT_ASSERT_EQ(test, toy_ls_rtx_order(&l, order, 8), 1U);
	KUNIT_EXPECT_EQ(test, order[0], 1);
	toy_rtx_unlink(toy_ls_nth(q, 1));
	KUNIT_EXPECT_TRUE(test, list_empty(&l.list));
}

/* A resent segment cut in two: its second part follows it on the list. */
static void toy_ls_test_rtx_split_follows_its_first_part(struct kunit *test)
{
	struct sk_buff_head *q = toy_test_queue(test);
	struct sk_buff *a, *b, *tail;
	struct toy_rtx_list l;
	u8 order[8];

	toy_rtx_init(&l);
	a = toy_test_queue_seg(test, q, LS_UNA, LS_LEN);
	b = toy_test_queue_seg(test, q, LS_UNA + LS_LEN, LS_LEN);
	tail = toy_test_skb(test, LS_UNA + 2 * LS_LEN, LS_LEN);
	toy_rtx_append(&l, a);
	toy_rtx_append(&l, b);
	/* as toy_split_skb(): the copy of a's cb first, then the fix */
	*TOY_SKB_CB(tail) = *TOY_SKB_CB(a);
	__skb_queue_tail(q, tail);
	toy_rtx_split(a, tail);
	/* tail's seq is still a's: the list reads a, tail (as a), b */
	KUNIT_ASSERT_EQ(test, toy_ls_rtx_order(&l, order, 8), 3U);
	KUNIT_EXPECT_PTR_EQ(test, toy_rtx_skb(TOY_SKB_CB(a)->rtx_node.next), tail);
	KUNIT_EXPECT_PTR_EQ(test, toy_rtx_skb(TOY_SKB_CB(tail)->rtx_node.next), b);
	KUNIT_EXPECT_PTR_EQ(test, toy_rtx_skb(l.list.prev), b);
	/* split of the last one: it becomes the last */
	toy_rtx_unlink(tail);
	*TOY_SKB_CB(tail) = *TOY_SKB_CB(b);
	toy_rtx_split(b, tail);
	KUNIT_EXPECT_PTR_EQ(test, toy_rtx_skb(l.list.prev), tail);
	/* split of one never resent: on no list */
	toy_rtx_unlink(tail);
	toy_rtx_unlink(b);
	*TOY_SKB_CB(tail) = *TOY_SKB_CB(b);
	toy_rtx_split(b, tail);
	KUNIT_EXPECT_EQ(test, TOY_SKB_CB(tail)->in_rtx, 0);
	KUNIT_EXPECT_PTR_EQ(test, toy_rtx_skb(l.list.prev), a);
	KUNIT_EXPECT_PTR_EQ(test, toy_rtx_skb(l.list.next), a);
}

/* The walk from the head that toy_lost_scan() replaced: the reference. */
static void toy_ls_reference(struct sk_buff_head *q, unsigned int sacked,
			     struct toy_lost_scan *ls)
{
	struct sk_buff *skb;

	ls->nr_lost = 0;
	ls->wait_us = U32_MAX;
	skb_queue_walk(q, skb) {
		struct toy_skb_cb *cb = TOY_SKB_CB(skb);
		bool rack = false;

		if (!toy_seq_before(cb->seq, ls->nxt) || !sacked)
			break;
		if (cb->sacked) {
			sacked--;
			continue;
		}
		if (cb->retrans || sacked < ls->thresh) {
			u32 left = ls->rack_valid ?
				   toy_rack_left_us(cb->sent_us, ls->rack_us,
						    ls->horizon_us, ls->reo_us) :
				   U32_MAX;

			if (left) {
				ls->wait_us = min(ls->wait_us, left);
				continue;
			}
			rack = true;
		}
		ls->lost[ls->nr_lost] = skb;
		ls->by_rack[ls->nr_lost] = rack;
		if (++ls->nr_lost == TOY_RECOVER_BURST)
			break;
	}
}

static u32 toy_ls_rand(struct rnd_state *rnd, u32 n)
{
	return n ? prandom_u32_state(rnd) % n : 0;
}

/*
 * A random scoreboard as a connection makes one: first transmissions in
 * sequence order with time going on, then resends of random segments
 * (each onto the resent list), random SACK marks, snd.nxt at snd.max or,
 * after a go-back-N, lower, and a lost hint anywhere it may be.
 */
static unsigned int toy_ls_board(struct kunit *test, struct rnd_state *rnd,
				 struct sk_buff_head *q,
				 struct toy_rtx_list *rtx, struct sk_buff **hint,
				 struct toy_lost_scan *ls)
{
	unsigned int n = 1 + toy_ls_rand(rnd, 40), sent = toy_ls_rand(rnd, n + 1);
	unsigned int i, resends = toy_ls_rand(rnd, 12), sacked = 0;
	u32 base = toy_ls_rand(rnd, 4) ? LS_UNA : -(LS_LEN * 7);
	u32 t0 = prandom_u32_state(rnd), t = t0, high = 0;
	unsigned int pct = toy_ls_rand(rnd, 100);
	static const unsigned int threshes[] = { 1, 2, 3, UINT_MAX };
	struct sk_buff *skb;

	for (i = 0; i < n; i++) {
		skb = toy_test_queue_seg(test, q, base + LS_LEN * i, LS_LEN);
		t += toy_ls_rand(rnd, 4);
		if (i < sent)
			TOY_SKB_CB(skb)->sent_us = t;
	}
	for (i = 0; sent && i < resends; i++) {
		skb = toy_ls_nth(q, toy_ls_rand(rnd, sent));
		t += toy_ls_rand(rnd, 4);
		TOY_SKB_CB(skb)->sent_us = t;
		TOY_SKB_CB(skb)->retrans++;
		toy_rtx_append(rtx, skb);
	}
	i = 0;
	skb_queue_walk(q, skb) {
		struct toy_skb_cb *cb = TOY_SKB_CB(skb);

		if (i++ < sent && toy_ls_rand(rnd, 100) < pct) {
			cb->sacked = 1;
			sacked++;
			high = cb->end_seq;
		}
	}
	ls->nxt = base + LS_LEN * sent;
	if (sent && !toy_ls_rand(rnd, 4))
		ls->nxt = base + LS_LEN * toy_ls_rand(rnd, sent);
	ls->high = high;
	ls->thresh = threshes[toy_ls_rand(rnd, ARRAY_SIZE(threshes))];
	ls->rack_valid = toy_ls_rand(rnd, 8);
	ls->rack_us = t0 + toy_ls_rand(rnd, t - t0 + 2);
	ls->reo_us = toy_ls_rand(rnd, 6);
	ls->horizon_us = ls->rack_us + toy_ls_rand(rnd, 6);
	/* the hint: anywhere up to the first segment sent once, not SACKed */
	*hint = NULL;
	i = toy_ls_rand(rnd, n + 1);
	skb_queue_walk(q, skb) {
		const struct toy_skb_cb *cb = TOY_SKB_CB(skb);

		if (!i--)
			break;
		*hint = skb;
		if (!cb->sacked && !cb->retrans)
			break;
	}
	return sacked;
}

/*
 * The lost-scan finds the same segments, for the same reasons, and the
 * same wait as the walk from the head, on random scoreboards; a second
 * scan from the hint it left finds them again.
 */
static void toy_ls_test_scan_matches_walk_from_head(struct kunit *test)
{
	struct sk_buff_head *q = toy_test_queue(test);
	u32 seed = get_random_u32();
	struct rnd_state rnd;
	unsigned int round;

	kunit_info(test, "seed %u, %u boards\n", seed, LS_ROUNDS);
	prandom_seed_state(&rnd, seed);
	for (round = 0; round < LS_ROUNDS; round++) {
		struct toy_lost_scan ls, ref;
		struct toy_rtx_list rtx;
		struct sk_buff *hint;
		unsigned int sacked, pass, i;

		__skb_queue_purge(q);
		toy_rtx_init(&rtx);
		sacked = toy_ls_board(test, &rnd, q, &rtx, &hint, &ls);
		ref = ls;
		toy_ls_reference(q, sacked, &ref);
		for (pass = 0; pass < 2; pass++) {
			if (!sacked)
				break;	/* toy_recover_lost() returns first */
			toy_lost_scan(q, &rtx, &hint, &ls);
			KUNIT_ASSERT_EQ_MSG(test, ls.nr_lost, ref.nr_lost,
					    "seed %u round %u pass %u", seed,
					    round, pass);
			for (i = 0; i < ls.nr_lost; i++) {
				KUNIT_EXPECT_PTR_EQ_MSG(test, ls.lost[i],
							ref.lost[i],
							"seed %u round %u",
							seed, round);
				KUNIT_EXPECT_EQ(test, ls.by_rack[i],
						ref.by_rack[i]);
			}
			KUNIT_EXPECT_EQ_MSG(test, ls.wait_us, ref.wait_us,
					    "seed %u round %u pass %u", seed,
					    round, pass);
		}
	}
}

/*
 * Recovery at its steady state: a thousand segments, the first fifty
 * holes resent and not yet overdue, everything between them SACKed. The
 * walk from the head looks at all of them on every ACK; the scan, once
 * its hint has moved, at a handful.
 */
static void toy_ls_test_scan_visits_few_in_recovery(struct kunit *test)
{
	struct sk_buff_head *q = toy_test_queue(test);
	struct toy_lost_scan ls = {};
	struct toy_rtx_list rtx;
	struct sk_buff *hint = NULL, *skb;
	unsigned int i;

	toy_rtx_init(&rtx);
	for (i = 0; i < 1000; i++) {
		skb = toy_test_queue_seg(test, q, LS_UNA + LS_LEN * i, LS_LEN);
		TOY_SKB_CB(skb)->sent_us = i;
		if (i % 20 == 0) {
			TOY_SKB_CB(skb)->sent_us = 5000 + i;
			TOY_SKB_CB(skb)->retrans = 1;
			toy_rtx_append(&rtx, skb);
		} else {
			TOY_SKB_CB(skb)->sacked = 1;
		}
	}
	ls.nxt = LS_UNA + LS_LEN * 1000;
	ls.high = ls.nxt;
	ls.thresh = 3;
	ls.rack_valid = true;
	ls.rack_us = 999;
	ls.horizon_us = 999;
	ls.reo_us = 10;
	toy_lost_scan(q, &rtx, &hint, &ls);
	KUNIT_EXPECT_EQ(test, ls.nr_lost, 0U);
	/* the first scan moves the hint up the queue once */
	KUNIT_EXPECT_LE(test, ls.visited, 1000U + 10);
	toy_lost_scan(q, &rtx, &hint, &ls);
	KUNIT_EXPECT_EQ(test, ls.nr_lost, 0U);
	KUNIT_EXPECT_LE(test, ls.visited, 4U);
}

/*
 * Marking with the last ACK's blocks and hint marks what marking from
 * the head marks, and reports the same, ACK after ACK: two copies of a
 * random queue, random blocks growing, shrinking and moving.
 */
static void toy_ls_test_board_marks_as_from_head(struct kunit *test)
{
	struct sk_buff_head *a = toy_test_queue(test);
	struct sk_buff_head *b = toy_test_queue(test);
	u32 seed = get_random_u32();
	struct rnd_state rnd;
	unsigned int round;

	kunit_info(test, "seed %u, %u queues\n", seed, LS_ROUNDS / 10);
	prandom_seed_state(&rnd, seed);
	for (round = 0; round < LS_ROUNDS / 10; round++) {
		unsigned int n = 1 + toy_ls_rand(&rnd, 60), ack, i;
		u32 base = toy_ls_rand(&rnd, 2) ? LS_UNA : -(LS_LEN * 20);
		u32 max = base + LS_LEN * n, below = base + LS_LEN * n / 2;
		struct toy_sack_board sb = {};
		struct sk_buff *x, *y;

		__skb_queue_purge(a);
		__skb_queue_purge(b);
		for (i = 0; i < n; i++) {
			/* some segments longer, as after a smaller MSS */
			u32 len = LS_LEN * (1 + !toy_ls_rand(&rnd, 8));

			if (base + LS_LEN * i + len > max)
				len = LS_LEN;
			toy_test_queue_seg(test, a, base + LS_LEN * i, len);
			toy_test_queue_seg(test, b, base + LS_LEN * i, len);
			TOY_SKB_CB(skb_peek_tail(a))->sent_us = i;
			TOY_SKB_CB(skb_peek_tail(b))->sent_us = i;
			i += len / LS_LEN - 1;
		}
		for (ack = 0; ack < 20; ack++) {
			struct toy_sack_block blk[TOY_SACK_MAX_BLOCKS];
			struct toy_sack_marks ma, mb;
			unsigned int nr = toy_ls_rand(&rnd, 5);

			for (i = 0; i < nr; i++) {
				u32 s = toy_ls_rand(&rnd, n * LS_LEN + 1);

				/* mostly on segment boundaries, sometimes not */
				if (toy_ls_rand(&rnd, 4))
					s -= s % LS_LEN;
				blk[i].start = base + s;
				blk[i].end = blk[i].start +
					     toy_ls_rand(&rnd, 8 * LS_LEN);
			}
			toy_sack_mark_queue(a, &sb, blk, nr, base, max, below,
					    &ma);
			toy_sack_mark_queue(b, NULL, blk, nr, base, max, below,
					    &mb);
			KUNIT_ASSERT_EQ_MSG(test, ma.segs, mb.segs,
					    "seed %u round %u ack %u", seed,
					    round, ack);
			KUNIT_EXPECT_EQ(test, ma.blocks, mb.blocks);
			KUNIT_EXPECT_EQ(test, ma.bytes, mb.bytes);
			KUNIT_EXPECT_EQ(test, ma.bytes_below, mb.bytes_below);
			if (!ma.segs)
				continue;
			KUNIT_EXPECT_EQ(test, ma.fack, mb.fack);
			KUNIT_EXPECT_EQ(test, ma.newest_us, mb.newest_us);
			KUNIT_EXPECT_EQ(test, ma.low_valid, mb.low_valid);
			if (ma.low_valid)
				KUNIT_EXPECT_EQ(test, ma.low, mb.low);
		}
		for (x = skb_peek(a), y = skb_peek(b); x && y;
		     x = skb_queue_is_last(a, x) ? NULL : x->next,
		     y = skb_queue_is_last(b, y) ? NULL : y->next)
			KUNIT_EXPECT_EQ(test, TOY_SKB_CB(x)->sacked,
					TOY_SKB_CB(y)->sacked);
	}
}

/*
 * A block that only grows at its top, ACK after ACK, as in a bulk
 * transfer behind one hole: each ACK looks at the new segments and the
 * one where it stops, not at the queue.
 */
static void toy_ls_test_board_growing_block_visits_new_only(struct kunit *test)
{
	struct sk_buff_head *q = toy_test_queue(test);
	struct toy_sack_block blk[2] = { { LS_UNA + LS_LEN, 0 } };
	struct toy_sack_board sb = {};
	struct toy_sack_marks m;
	u32 max = LS_UNA + LS_LEN * 2000;
	unsigned int i;

	for (i = 0; i < 2000; i++)
		toy_test_queue_seg(test, q, LS_UNA + LS_LEN * i, LS_LEN);
	blk[0].end = LS_UNA + LS_LEN * 1000;
	toy_sack_mark_queue(q, &sb, blk, 1, LS_UNA, max, 0, &m);
	KUNIT_EXPECT_EQ(test, m.segs, 999U);
	for (i = 1001; i < 1100; i++) {
		blk[0].end = LS_UNA + LS_LEN * i;
		toy_sack_mark_queue(q, &sb, blk, 1, LS_UNA, max, 0, &m);
		KUNIT_EXPECT_EQ(test, m.segs, 1U);
		KUNIT_EXPECT_LE(test, m.visited, 3U);
	}
	/* a second, older block repeated: nothing walked for it */
	blk[1] = blk[0];
	blk[0].start = LS_UNA + LS_LEN * 1200;
	blk[0].end = LS_UNA + LS_LEN * 1201;
	toy_sack_mark_queue(q, &sb, blk, 2, LS_UNA, max, 0, &m);
	KUNIT_EXPECT_EQ(test, m.segs, 1U);
	KUNIT_EXPECT_LE(test, m.visited, 3U + 102);
	blk[0].end = LS_UNA + LS_LEN * 1202;
	toy_sack_mark_queue(q, &sb, blk, 2, LS_UNA, max, 0, &m);
	KUNIT_EXPECT_EQ(test, m.segs, 1U);
	KUNIT_EXPECT_LE(test, m.visited, 3U);
}

static struct kunit_case toy_lostscan_cases[] = {
	KUNIT_CASE(toy_ls_test_rtx_list_keeps_resend_order),
	KUNIT_CASE(toy_ls_test_rtx_split_follows_its_first_part),
	KUNIT_CASE(toy_ls_test_scan_matches_walk_from_head),
	KUNIT_CASE(toy_ls_test_scan_visits_few_in_recovery),
	KUNIT_CASE(toy_ls_test_board_marks_as_from_head),
	KUNIT_CASE(toy_ls_test_board_growing_block_visits_new_only),
	{}
};

static struct kunit_suite toy_lostscan_suite = {
	.name = "toy_lostscan",
	.test_cases = toy_lostscan_cases,
};

kunit_test_suite(toy_lostscan_suite);
