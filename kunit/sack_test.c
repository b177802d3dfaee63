// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the pure SACK and loss-detection helpers of module/sack.h
 * (RFC 2018, RFC 5827, RFC 8985).
 */
#include <kunit/test.h>

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

static struct kunit_case toy_sack_cases[] = {
	KUNIT_CASE_PARAM(toy_sack_test_block_valid, valid_gen_params),
	KUNIT_CASE_PARAM(toy_sack_test_covers, covers_gen_params),
	KUNIT_CASE(toy_sack_test_order_newest_first),
	KUNIT_CASE(toy_sack_test_order_latest_elsewhere),
	KUNIT_CASE_PARAM(toy_sack_test_rack_lost, rack_gen_params),
	KUNIT_CASE(toy_sack_test_dupthresh_early_retransmit),
	{}
};

static struct kunit_suite toy_sack_suite = {
	.name = "toy_sack",
	.test_cases = toy_sack_cases,
};
kunit_test_suite(toy_sack_suite);
