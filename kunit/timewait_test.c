// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: when a SYN may end a TIME_WAIT and open its 4-tuple again
 * (RFC 6191), and where the new connection starts (module/timewait.h).
 */
#include <kunit/test.h>

#include "timewait.h"
#include "toy_kunit.h"

struct tw_case {
	const char *name;
	u32 seq, rcv_nxt;
	bool has_ts;
	u32 tsval, ts_recent;
	bool reopens;
};

static const struct tw_case tw_cases[] = {
	{ "newer_timestamp", 100, 5000, true, 2001, 2000, true },
	{ "newer_sequence_no_timestamp", 5001, 5000, false, 0, 2000, true },
	{ "newer_sequence_old_timestamp", 5001, 5000, true, 1999, 2000, true },
	{ "old_sequence_old_timestamp", 4000, 5000, true, 1999, 2000, false },
	{ "old_sequence_same_timestamp", 4000, 5000, true, 2000, 2000, false },
	{ "sequence_at_rcv_nxt_is_old", 5000, 5000, false, 0, 0, false },
	{ "old_sequence_no_timestamp", 4999, 5000, false, 0, 2000, false },
	/* a peer that never sent timestamps: only the sequence counts */
	{ "no_timestamp_seen_before", 4000, 5000, true, 9999, 0, false },
	{ "timestamp_across_wrap", 0, 5000, true, 5, 0xfffffff0, true },
	{ "sequence_across_wrap", 10, 0xfffffff0, false, 0, 0, true },
	{ "sequence_more_than_half_space_ahead_is_old", 0x80000001, 0, false,
	  0, 0, false },
};

TOY_PARAM_DESC_FN(tw_case_desc, struct tw_case)
KUNIT_ARRAY_PARAM(tw_case, tw_cases, tw_case_desc);

static void toy_tw_test_syn_acceptable(struct kunit *test)
{
	const struct tw_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_tw_syn_acceptable(c->seq, c->rcv_nxt,
						    c->has_ts, c->tsval,
						    c->ts_recent),
			c->reopens);
}

/* Beyond what the old connection sent by more than a 64 KiB window. */
static void toy_tw_test_next_isn_beyond_old(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, toy_tw_next_isn(1000), 1000U + 65537U);
	KUNIT_EXPECT_EQ(test, toy_tw_next_isn(0xffffff00), 0xffffff00U + 65537U);
	/* 0 means "no ISN": never given */
	KUNIT_EXPECT_EQ(test, toy_tw_next_isn(0U - 65537U), 1U);
	KUNIT_EXPECT_TRUE(test, toy_seq_after(toy_tw_next_isn(7), 7 + 65535));
}

static struct kunit_case toy_tw_test_cases[] = {
	KUNIT_CASE_PARAM(toy_tw_test_syn_acceptable, tw_case_gen_params),
	KUNIT_CASE(toy_tw_test_next_isn_beyond_old),
	{}
};

static struct kunit_suite toy_tw_test_suite = {
	.name = "toy_timewait",
	.test_cases = toy_tw_test_cases,
};

kunit_test_suite(toy_tw_test_suite);
