// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: reordering tolerance and undo (module/sack.h, module/rack.c,
 * module/cc.c): the D-SACK test of RFC 2883, RACK's reordering window of
 * RFC 8985 6.2 and 7.2, and the undo of a reduction that D-SACKs proved
 * needless.
 */
#include <kunit/test.h>

#include "cc.h"
#include "recovery.h"
#include "sack.h"
#include "toy_kunit.h"

#define MSS 1000U

struct dsack_case {
	const char *name;
	struct toy_sack_block b[2];
	unsigned int nr;
	u32 ack;
	bool dsack;
};

static const struct dsack_case dsack_cases[] = {
	{ "below_cumulative_ack", { { 1000, 2000 } }, 1, 3000, true },
	{ "ends_at_cumulative_ack", { { 2000, 3000 } }, 1, 3000, true },
	{ "straddles_cumulative_ack", { { 2500, 3500 } }, 1, 3000, true },
	{ "above_cumulative_ack", { { 4000, 5000 } }, 1, 3000, false },
	{ "inside_second_block", { { 5000, 6000 }, { 4000, 7000 } }, 2,
	  3000, true },
	{ "equal_to_second_block", { { 4000, 7000 }, { 4000, 7000 } }, 2,
	  3000, true },
	{ "beside_second_block", { { 7000, 8000 }, { 4000, 7000 } }, 2,
	  3000, false },
	{ "overlaps_second_block", { { 6000, 8000 }, { 4000, 7000 } }, 2,
	  3000, false },
	{ "no_blocks", { { 1000, 2000 } }, 0, 3000, false },
	{ "empty_block", { { 1000, 1000 } }, 1, 3000, false },
	{ "below_ack_across_wrap", { { 0xfffffc00, 0xfffffe00 } }, 1, 0x100,
	  true },
	{ "above_ack_across_wrap", { { 0x200, 0x400 } }, 1, 0xfffffff0,
	  false },
};

TOY_PARAM_DESC_FN(dsack_desc, struct dsack_case)
KUNIT_ARRAY_PARAM(dsack, dsack_cases, dsack_desc);

static void toy_reorder_test_dsack_detect(struct kunit *test)
{
	const struct dsack_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_sack_is_dsack(c->b, c->nr, c->ack), c->dsack);
}

struct reo_case {
	const char *name;
	u32 srtt;
	unsigned int steps;
	bool seen, recovering;
	u32 reo;
};

static const struct reo_case reo_cases[] = {
	/* RFC 8985 6.2: before any reordering, recovery trusts send order */
	{ "open_quarter_rtt", 100000, 1, false, false, 25000 },
	{ "recovery_unseen_zero", 100000, 1, false, true, 0 },
	{ "recovery_seen_quarter", 100000, 1, true, true, 25000 },
	{ "steps_zero_counts_as_one", 100000, 0, true, false, 25000 },
	{ "two_steps_half_rtt", 100000, 2, true, true, 50000 },
	{ "capped_at_srtt", 100000, 9, true, false, 100000 },
	{ "floor_for_tiny_rtt", 200, 1, false, false, 1000 },
	{ "floor_not_capped_by_tiny_rtt", 200, 3, true, false, 1000 },
	{ "no_sample_yet", 0, 1, false, false, 1000 },
};

TOY_PARAM_DESC_FN(reo_desc, struct reo_case)
KUNIT_ARRAY_PARAM(reo, reo_cases, reo_desc);

static void toy_reorder_test_reo_wnd(struct kunit *test)
{
	const struct reo_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_rack_reo_wnd(c->srtt, c->steps, c->seen,
					       c->recovering), c->reo);
}

struct left_case {
	const char *name;
	u32 sent, rack, horizon, reo;
	u32 left;
};

static const struct left_case left_cases[] = {
	/* at the ACK the horizon is the newest delivered's send time */
	{ "sent_after_newest_delivered", 2000, 1000, 1000, 0, U32_MAX },
	{ "the_newest_delivered_itself", 1000, 1000, 1000, 0, U32_MAX },
	{ "before_no_window_lost", 999, 1000, 1000, 0, 0 },
	{ "within_window_waits", 800, 1000, 1000, 250, 51 },
	{ "at_window_waits_one", 750, 1000, 1000, 250, 1 },
	{ "beyond_window_lost", 749, 1000, 1000, 250, 0 },
	/* later, the clock moves the horizon on: the timer's view */
	{ "timer_makes_it_overdue", 800, 1000, 1051, 250, 0 },
	{ "timer_not_yet", 800, 1000, 1040, 250, 11 },
	{ "horizon_behind_send_time", 800, 1000, 700, 250, 251 },
	{ "clock_wrap_lost", 0xfffffff0, 0x10, 0x10, 0x10, 0 },
	{ "clock_wrap_waits", 0xfffffff8, 0x4, 0x4, 0x10, 5 },
};

TOY_PARAM_DESC_FN(left_desc, struct left_case)
KUNIT_ARRAY_PARAM(left, left_cases, left_desc);

static void toy_reorder_test_rack_left(struct kunit *test)
{
	const struct left_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_rack_left_us(c->sent, c->rack, c->horizon,
					       c->reo), c->left);
}

/* A fast retransmit proved needless gets its window back, and recovery ends. */
static void toy_reorder_test_undo_recovery(struct kunit *test)
{
	struct toy_cc cc;

	toy_cc_init(&cc, MSS);
	cc.cwnd = 40 * MSS;
	cc.ssthresh = 30 * MSS;
	toy_cc_on_dupthresh(&cc, 40 * MSS, 100000, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_RECOVERY);

	toy_cc_undo(&cc);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 40 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 30 * MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_OPEN);
}

/*
 * A timeout keeps the window it cut from OPEN even through a second
 * timeout; undo restores that one, not the one-segment loss window.
 */
static void toy_reorder_test_undo_timeout(struct kunit *test)
{
	struct toy_cc cc;

	toy_cc_init(&cc, MSS);
	cc.cwnd = 16 * MSS;
	cc.ssthresh = U32_MAX;
	toy_cc_on_timeout(&cc, 16 * MSS, 50000, MSS);
	toy_cc_on_timeout(&cc, MSS, 50000, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 8 * MSS);

	toy_cc_undo(&cc);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 16 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, U32_MAX);
	/* go-back-N still has to finish: the state waits for the ACK */
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_LOSS);
}

/* Undo never shrinks a window that grew back meanwhile. */
static void toy_reorder_test_undo_never_shrinks(struct kunit *test)
{
	struct toy_cc cc;

	toy_cc_init(&cc, MSS);
	cc.cwnd = 10 * MSS;
	cc.ssthresh = 10 * MSS;
	toy_cc_on_dupthresh(&cc, 10 * MSS, 20000, MSS);
	cc.cwnd = 12 * MSS;
	cc.ssthresh = 11 * MSS;
	toy_cc_undo(&cc);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 11 * MSS);
}

/* Recovery entered again saves the window of that moment, not the first. */
static void toy_reorder_test_undo_latest_reduction(struct kunit *test)
{
	struct toy_cc cc;

	toy_cc_init(&cc, MSS);
	cc.cwnd = 40 * MSS;
	toy_cc_on_dupthresh(&cc, 40 * MSS, 1000, MSS);
	toy_cc_on_ack(&cc, 1000, 1000, MSS);	/* recovery over */
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_OPEN);
	toy_cc_on_dupthresh(&cc, cc.cwnd, 5000, MSS);
	toy_cc_undo(&cc);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 20 * MSS);
}

static struct kunit_case toy_reorder_cases[] = {
	KUNIT_CASE_PARAM(toy_reorder_test_dsack_detect, dsack_gen_params),
	KUNIT_CASE_PARAM(toy_reorder_test_reo_wnd, reo_gen_params),
	KUNIT_CASE_PARAM(toy_reorder_test_rack_left, left_gen_params),
	KUNIT_CASE(toy_reorder_test_undo_recovery),
	KUNIT_CASE(toy_reorder_test_undo_timeout),
	KUNIT_CASE(toy_reorder_test_undo_never_shrinks),
	KUNIT_CASE(toy_reorder_test_undo_latest_reduction),
	{}
};

static struct kunit_suite toy_reorder_suite = {
	.name = "toy_reorder",
	.test_cases = toy_reorder_cases,
};

kunit_test_suite(toy_reorder_suite);
