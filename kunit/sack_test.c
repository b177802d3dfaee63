// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the pure SACK helpers of module/sack.h and loss-detection rules
 * of module/rack.c (RFC 2018, RFC 5827, RFC 8985) and the sender's scoreboard
 * (module/scoreboard.c) on real skbs.
 */
#include <kunit/test.h>
#include <linux/bitops.h>

#include "recovery.h"
#include "sack.h"
#include "toy_kunit.h"

struct valid_case {
	const char *name;
	u32 start, end, una, max;
	bool valid;
};

static const struct valid_case valid_cases[] = {
	{ "inside", 2000, 3000, 1000, 5000, true },
	{ "ends_at_snd_max", 2000, 5000, 1000, 5000, true },
	{ "beyond_snd_max", 2000, 5001, 1000, 5000, false },
	/* at or below snd_una it is cumulatively ACKed already */
	{ "starts_at_snd_una", 1000, 3000, 1000, 5000, false },
	{ "starts_below_snd_una", 500, 3000, 1000, 5000, false },
	{ "starts_just_above_una", 1001, 3000, 1000, 5000, true },
	{ "empty", 2000, 2000, 1000, 5000, false },
	{ "inverted", 3000, 2000, 1000, 5000, false },
	{ "across_wrap", 0xfffffff0, 0x10, 0xffffff00, 0x100, true },
	{ "across_wrap_beyond_max", 0xfffffff0, 0x101, 0xffffff00, 0x100, false },
	{ "old_across_wrap", 0xfffffe00, 0xffffff00, 0xffffff00, 0x100, false },
};

TOY_PARAM_DESC_FN(valid_desc, struct valid_case)
KUNIT_ARRAY_PARAM(valid, valid_cases, valid_desc);

static void toy_sack_test_block_valid(struct kunit *test)
{
	const struct valid_case *c = test->param_value;
	struct toy_sack_block b = { c->start, c->end };

	KUNIT_EXPECT_EQ(test, toy_sack_block_valid(&b, c->una, c->max), c->valid);
}

struct covers_case {
	const char *name;
	u32 start, end, seq, end_seq;
	bool covers;
};

static const struct covers_case covers_cases[] = {
	{ "exact", 1000, 2000, 1000, 2000, true },
	{ "inside", 1000, 3000, 1500, 2500, true },
	{ "starts_before_block", 1000, 2000, 999, 2000, false },
	{ "ends_after_block", 1000, 2000, 1000, 2001, false },
	{ "disjoint", 1000, 2000, 3000, 4000, false },
	{ "across_wrap", 0xfffffff0, 0x100, 0xfffffff8, 0x10, true },
	{ "across_wrap_too_long", 0xfffffff0, 0x100, 0xfffffff8, 0x101, false },
};

TOY_PARAM_DESC_FN(covers_desc, struct covers_case)
KUNIT_ARRAY_PARAM(covers, covers_cases, covers_desc);

static void toy_sack_test_covers(struct kunit *test)
{
	const struct covers_case *c = test->param_value;
	struct toy_sack_block b = { c->start, c->end };

	KUNIT_EXPECT_EQ(test, toy_sack_covers(&b, c->seq, c->end_seq), c->covers);
}

/* RFC 2018 4: the block holding the newest arrival comes first. */
static void toy_sack_test_order_newest_first(struct kunit *test)
{
	struct toy_sack_block runs[5] = {
		{ 100, 200 }, { 300, 400 }, { 500, 600 }, { 700, 800 },
		{ 900, 1000 },
	};
	unsigned int n = toy_sack_order(runs, 5, 550, TOY_SACK_MAX_BLOCKS);

	KUNIT_EXPECT_EQ(test, n, 4U);
	KUNIT_EXPECT_EQ(test, runs[0].start, 500U);
	/* the others keep their ascending order behind it */
	KUNIT_EXPECT_EQ(test, runs[1].start, 100U);
	KUNIT_EXPECT_EQ(test, runs[2].start, 300U);
	KUNIT_EXPECT_EQ(test, runs[3].start, 700U);
}

/* An arrival in no run (it filled the hole below) changes nothing. */
static void toy_sack_test_order_latest_elsewhere(struct kunit *test)
{
	struct toy_sack_block runs[2] = { { 100, 200 }, { 300, 400 } };

	KUNIT_EXPECT_EQ(test, toy_sack_order(runs, 2, 50, 4), 2U);
	KUNIT_EXPECT_EQ(test, runs[0].start, 100U);
	KUNIT_EXPECT_EQ(test, runs[1].start, 300U);
	/* the end of a run is not in it: [start, end) */
	KUNIT_EXPECT_EQ(test, toy_sack_order(runs, 2, 400, 4), 2U);
	KUNIT_EXPECT_EQ(test, runs[0].start, 100U);
}

struct rack_case {
	const char *name;
	u32 sent, rack, reo;
	bool lost;
};

static const struct rack_case rack_cases[] = {
	{ "sent_after_newest_delivered", 2000, 1000, 0, false },
	{ "the_delivered_one_itself", 1000, 1000, 0, false },
	{ "sent_before_no_window", 999, 1000, 0, true },
	{ "within_reorder_window", 800, 1000, 250, false },
	{ "at_reorder_window", 750, 1000, 250, false },
	{ "beyond_reorder_window", 749, 1000, 250, true },
	{ "clock_wrap", 0xfffffff0, 0x10, 0x10, true },
	{ "clock_wrap_within", 0xfffffff8, 0x4, 0x10, false },
};

TOY_PARAM_DESC_FN(rack_desc, struct rack_case)
KUNIT_ARRAY_PARAM(rack, rack_cases, rack_desc);

static void toy_sack_test_rack_lost(struct kunit *test)
{
	const struct rack_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_rack_lost(c->sent, c->rack, c->reo), c->lost);
}

/* RFC 5827: fewer than four outstanding lower the threshold. */
static void toy_sack_test_dupthresh_early_retransmit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, toy_dupthresh_for(0), 1U);
	KUNIT_EXPECT_EQ(test, toy_dupthresh_for(1), 1U);
	KUNIT_EXPECT_EQ(test, toy_dupthresh_for(2), 1U);
	KUNIT_EXPECT_EQ(test, toy_dupthresh_for(3), 2U);
	KUNIT_EXPECT_EQ(test, toy_dupthresh_for(4), 3U);
	KUNIT_EXPECT_EQ(test, toy_dupthresh_for(1000), 3U);
}

/*
 * The scoreboard's write queue: five segments of 100 from @base + 1000,
 * the last one not sent yet (snd_max = @base + 1400), each sent at
 * 10 * (its index + 1) us.
 */
#define BOARD_SEGS	5
#define BOARD_UNA	1000
#define BOARD_MAX	1400
/* 2^32 - 1250: segment 2, [1200, 1300), straddles 2^32 */
#define BOARD_WRAP	0xfffffb1e

static void toy_test_board(struct kunit *test, struct sk_buff_head *q,
			   u32 base)
{
	unsigned int i;

	for (i = 0; i < BOARD_SEGS; i++) {
		struct sk_buff *skb;

		skb = toy_test_queue_seg(test, q, base + BOARD_UNA + 100 * i,
					 100);
		TOY_SKB_CB(skb)->sent_us = 10 * (i + 1);
	}
}

/* Bit i set: segment i is marked SACKed. */
static unsigned int toy_test_board_sacked(struct sk_buff_head *q)
{
	unsigned int mask = 0, i = 0;
	struct sk_buff *skb;

	skb_queue_walk(q, skb)
		mask |= TOY_SKB_CB(skb)->sacked << i++;
	return mask;
}

struct mark_case {
	const char *name;
	u32 base;
	struct toy_sack_block blocks[TOY_SACK_MAX_BLOCKS];	/* from base */
	unsigned int nr;
	unsigned int sacked;	/* the mask expected */
	unsigned int valid;	/* blocks not ignored */
	u32 newest_us;
};

static const struct mark_case mark_cases[] = {
	{ "one_segment", 0, { { 1100, 1200 } }, 1, 0x02, 1, 20 },
	{ "two_segments", 0, { { 1100, 1300 } }, 1, 0x06, 1, 30 },
	{ "half_of_each_marks_none", 0, { { 1150, 1250 } }, 1, 0, 1, 0 },
	{ "only_whole_segments", 0, { { 1100, 1250 } }, 1, 0x02, 1, 20 },
	{ "up_to_snd_max", 0, { { 1100, 1400 } }, 1, 0x0e, 1, 40 },
	{ "beyond_snd_max_ignored", 0, { { 1100, 1500 } }, 1, 0, 0, 0 },
	{ "at_snd_una_ignored", 0, { { 1000, 1100 } }, 1, 0, 0, 0 },
	{ "below_snd_una_ignored", 0, { { 900, 1200 } }, 1, 0, 0, 0 },
	{ "inverted_ignored", 0, { { 1300, 1100 } }, 1, 0, 0, 0 },
	{ "empty_ignored", 0, { { 1200, 1200 } }, 1, 0, 0, 0 },
	{ "two_blocks", 0, { { 1100, 1200 }, { 1300, 1400 } }, 2, 0x0a, 2, 40 },
	{ "invalid_beside_valid", 0, { { 900, 1000 }, { 1200, 1300 } }, 2,
	  0x04, 1, 30 },
	{ "overlapping_blocks", 0, { { 1100, 1300 }, { 1200, 1400 } }, 2,
	  0x0e, 2, 40 },
	{ "across_wrap_straddling", BOARD_WRAP, { { 1100, 1300 } }, 1,
	  0x06, 1, 30 },
	{ "across_wrap_beyond_snd_max", BOARD_WRAP, { { 1100, 1500 } }, 1,
	  0, 0, 0 },
	{ "across_wrap_below_snd_una", BOARD_WRAP, { { 900, 1300 } }, 1,
	  0, 0, 0 },
};

TOY_PARAM_DESC_FN(mark_desc, struct mark_case)
KUNIT_ARRAY_PARAM(mark, mark_cases, mark_desc);

static void toy_sack_test_mark(struct kunit *test)
{
	const struct mark_case *c = test->param_value;
	struct sk_buff_head *q = toy_test_queue(test);
	struct toy_sack_block blocks[TOY_SACK_MAX_BLOCKS];
	struct toy_sack_marks m;
	unsigned int i;

	toy_test_board(test, q, c->base);
	for (i = 0; i < c->nr; i++) {
		blocks[i].start = c->base + c->blocks[i].start;
		blocks[i].end = c->base + c->blocks[i].end;
	}
	toy_sack_mark_queue(q, NULL, blocks, c->nr, c->base + BOARD_UNA,
			    c->base + BOARD_MAX, 0, &m);
	KUNIT_EXPECT_EQ(test, toy_test_board_sacked(q), c->sacked);
	KUNIT_EXPECT_EQ(test, m.blocks, c->valid);
	KUNIT_EXPECT_EQ(test, m.segs, (unsigned int)hweight32(c->sacked));
	if (c->sacked)
		KUNIT_EXPECT_EQ(test, m.newest_us, c->newest_us);
}

/* A segment marked before is not counted again, nor is its send time. */
static void toy_sack_test_mark_counts_once(struct kunit *test)
{
	struct sk_buff_head *q = toy_test_queue(test);
	struct toy_sack_block b[] = { { 1100, 1300 } };
	struct toy_sack_block wider[] = { { 1001, 1400 } };
	struct toy_sack_marks m;

	toy_test_board(test, q, 0);
	toy_sack_mark_queue(q, NULL, b, 1, BOARD_UNA, BOARD_MAX, 0, &m);
	KUNIT_EXPECT_EQ(test, m.segs, 2U);
	/* the same block again: valid, but nothing new */
	toy_sack_mark_queue(q, NULL, b, 1, BOARD_UNA, BOARD_MAX, 0, &m);
	KUNIT_EXPECT_EQ(test, m.blocks, 1U);
	KUNIT_EXPECT_EQ(test, m.segs, 0U);
	/* [1001, 1400) covers segment 3 whole and 0 only in part */
	toy_sack_mark_queue(q, NULL, wider, 1, BOARD_UNA, BOARD_MAX, 0, &m);
	KUNIT_EXPECT_EQ(test, m.segs, 1U);
	KUNIT_EXPECT_EQ(test, m.newest_us, 40U);
	KUNIT_EXPECT_EQ(test, toy_test_board_sacked(q), 0x0eU);
}

/*
 * RACK wants the latest send time among the newly marked, wherever that
 * segment lies in the block (a resent one's is later than its neighbours'),
 * compared across a wrap of the microsecond clock.
 */
static void toy_sack_test_mark_newest_sent_time(struct kunit *test)
{
	struct sk_buff_head *q = toy_test_queue(test);
	struct toy_sack_block b[] = { { 1100, 1400 } };
	static const u32 sent[BOARD_SEGS] = { 0, 0xfffffff0, 0x10, 0x8, 0 };
	struct toy_sack_marks m;
	struct sk_buff *skb;
	unsigned int i = 0;

	toy_test_board(test, q, 0);
	skb_queue_walk(q, skb)
		TOY_SKB_CB(skb)->sent_us = sent[i++];
	toy_sack_mark_queue(q, NULL, b, 1, BOARD_UNA, BOARD_MAX, 0, &m);
	KUNIT_EXPECT_EQ(test, m.segs, 3U);
	KUNIT_EXPECT_EQ(test, m.newest_us, 0x10U);
}

/*
 * For reordering detection the marks also carry the highest end_seq
 * newly SACKed, and the lowest one among segments sent only once: a
 * resent segment arriving late proves nothing about the path.
 */
static void toy_sack_test_mark_fack_and_low(struct kunit *test)
{
	struct sk_buff_head *q = toy_test_queue(test);
	struct toy_sack_block b[] = { { 1300, 1400 }, { 1100, 1300 } };
	struct toy_sack_marks m;
	struct sk_buff *skb;

	toy_test_board(test, q, 0);
	/* the segment [1100, 1200) was resent */
	skb_queue_walk(q, skb)
		if (TOY_SKB_CB(skb)->seq == 1100)
			TOY_SKB_CB(skb)->retrans = 1;
	toy_sack_mark_queue(q, NULL, b, 2, BOARD_UNA, BOARD_MAX, 0, &m);
	KUNIT_EXPECT_EQ(test, m.segs, 3U);
	KUNIT_EXPECT_EQ(test, m.fack, 1400U);
	KUNIT_EXPECT_TRUE(test, m.low_valid);
	KUNIT_EXPECT_EQ(test, m.low, 1300U);

	/* nothing sent once among the newly marked: no low */
	toy_sack_mark_queue(q, NULL, b, 2, BOARD_UNA, BOARD_MAX, 0, &m);
	KUNIT_EXPECT_EQ(test, m.segs, 0U);
	KUNIT_EXPECT_FALSE(test, m.low_valid);
}

/* A forged D-SACK must not be believed (undo, reordering window). */
struct dsack_case {
	const char *name;
	u32 start, end, una, max, max_wnd;
	bool ok;
};

static const struct dsack_case dsack_cases[] = {
	{ "one_segment_below_una", 9000, 10000, 10000, 20000, 8000, true },
	{ "whole_window_below_una", 2000, 10000, 10000, 20000, 8000, true },
	{ "inside_sent_data", 12000, 13000, 10000, 20000, 8000, true },
	{ "longer_than_max_window", 1000, 10000, 10000, 20000, 8000, false },
	{ "absurd_range", 10000 - 0x40000000, 10000, 10000, 20000, 8000, false },
	{ "starts_before_window", 1999, 2999, 10000, 20000, 8000, false },
	{ "past_snd_max", 19000, 20001, 10000, 20000, 8000, false },
	{ "empty", 9000, 9000, 10000, 20000, 8000, false },
	{ "reversed", 9000, 8000, 10000, 20000, 8000, false },
};

TOY_PARAM_DESC_FN(dsack_case_desc, struct dsack_case)
KUNIT_ARRAY_PARAM(dsack, dsack_cases, dsack_case_desc);

static void toy_sack_test_dsack_plausible(struct kunit *test)
{
	const struct dsack_case *c = test->param_value;
	struct toy_sack_block b = { c->start, c->end };

	KUNIT_EXPECT_EQ(test, toy_dsack_plausible(&b, c->una, c->max,
						  c->max_wnd), c->ok);
}

static struct kunit_case toy_sack_cases[] = {
	KUNIT_CASE_PARAM(toy_sack_test_block_valid, valid_gen_params),
	KUNIT_CASE_PARAM(toy_sack_test_covers, covers_gen_params),
	KUNIT_CASE(toy_sack_test_order_newest_first),
	KUNIT_CASE(toy_sack_test_order_latest_elsewhere),
	KUNIT_CASE_PARAM(toy_sack_test_rack_lost, rack_gen_params),
	KUNIT_CASE(toy_sack_test_dupthresh_early_retransmit),
	KUNIT_CASE_PARAM(toy_sack_test_mark, mark_gen_params),
	KUNIT_CASE(toy_sack_test_mark_counts_once),
	KUNIT_CASE(toy_sack_test_mark_newest_sent_time),
	KUNIT_CASE(toy_sack_test_mark_fack_and_low),
	KUNIT_CASE_PARAM(toy_sack_test_dsack_plausible, dsack_gen_params),
	{}
};

static struct kunit_suite toy_sack_suite = {
	.name = "toy_sack",
	.test_cases = toy_sack_cases,
};

kunit_test_suite(toy_sack_suite);
