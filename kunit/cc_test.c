// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: congestion control, RFC 5681 slow start / congestion avoidance
 * with RFC 6582 NewReno recovery (module/cc.c). The window counts bytes.
 */
#include <kunit/test.h>

#include "cc.h"
#include "toy_kunit.h"

#define MSS 1000U

/*
 * A sender that always fills cwnd, so that ACKs may grow it (RFC 7661,
 * toy_cc_sent()): what most cases here are about.
 */
static void cc_init(struct toy_cc *cc, u32 mss)
{
	toy_cc_init(cc, mss);
	cc->max_flight = TOY_CWND_MAX;
	cc->cwnd_limited = true;
}

/* A connection past slow start: cwnd == ssthresh, so avoidance applies. */
static void cc_in_avoidance(struct toy_cc *cc, u32 cwnd)
{
	cc_init(cc, MSS);
	cc->cwnd = cwnd;
	cc->ssthresh = cwnd;
}

static const u32 init_mss[] = { 64, 536, 1000, 1460, 8960 };

static void init_mss_desc(const u32 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "mss_%u", *v);
}

KUNIT_ARRAY_PARAM(init_mss, init_mss, init_mss_desc);

static void toy_cc_test_init_ten_segments(struct kunit *test)
{
	const u32 *mss = test->param_value;
	struct toy_cc cc;

	memset(&cc, 0xa5, sizeof(cc));
	toy_cc_init(&cc, *mss);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * *mss);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, U32_MAX);
	KUNIT_EXPECT_EQ(test, cc.acked_ca, 0U);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_OPEN);
	KUNIT_EXPECT_TRUE(test, toy_cc_in_slow_start(&cc));
}

struct ss_case {
	const char *name;
	u32 acked;
	u32 growth;
};

static const struct ss_case ss_cases[] = {
	{ "dup_ack_no_growth", 0, 0 },
	{ "one_byte", 1, 1 },
	{ "part_segment", 999, 999 },
	{ "one_segment", MSS, MSS },
	{ "two_segments", 2 * MSS, 2 * MSS },
	{ "just_over_two_segments", 2 * MSS + 1, 2 * MSS + 1 },
	{ "stretch_ack_ten_segments", 10 * MSS, 10 * MSS },
	{ "huge_ack_stops_at_cwnd_max", 0x7fffffff, TOY_CWND_MAX - 10 * MSS },
};

TOY_PARAM_DESC_FN(ss_desc, struct ss_case)
KUNIT_ARRAY_PARAM(ss, ss_cases, ss_desc);

/*
 * RFC 3465 byte counting without its limit L (tcp_slow_start()): cwnd
 * grows by what an ACK acknowledged, a stretch ACK included.
 */
static void toy_cc_test_slow_start_ack_growth(struct kunit *test)
{
	const struct ss_case *c = test->param_value;
	struct toy_cc cc;

	cc_init(&cc, MSS);
	toy_cc_on_ack(&cc, c->acked, 1 + c->acked, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS + c->growth);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_OPEN);
}

static void toy_cc_test_slow_start_doubles_per_rtt(struct kunit *test)
{
	struct toy_cc cc;
	u32 ack = 0;
	unsigned int i;

	cc_init(&cc, MSS);
	/* one ACK per segment: a window of 10 ACKed makes 20 */
	for (i = 0; i < 10; i++)
		toy_cc_on_ack(&cc, MSS, ack += MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * MSS);
	/* delayed ACKs, one per two segments: 20 -> 40 */
	for (i = 0; i < 10; i++)
		toy_cc_on_ack(&cc, 2 * MSS, ack += 2 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 40 * MSS);
}

/* Growth stops being slow start once cwnd reaches ssthresh. */
static void toy_cc_test_slow_start_ends_at_ssthresh(struct kunit *test)
{
	struct toy_cc cc;

	cc_init(&cc, MSS);
	cc.ssthresh = 12 * MSS;
	toy_cc_on_ack(&cc, MSS, MSS, MSS);
	toy_cc_on_ack(&cc, MSS, 2 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS);
	KUNIT_EXPECT_FALSE(test, toy_cc_in_slow_start(&cc));
	/* now in avoidance: one more segment ACKed grows nothing */
	toy_cc_on_ack(&cc, MSS, 3 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS);
}

/*
 * A stretch ACK that takes cwnd past ssthresh: slow start stops there and
 * the rest of what it acknowledged counts toward congestion avoidance.
 */
static void toy_cc_test_stretch_ack_stops_at_ssthresh(struct kunit *test)
{
	struct toy_cc cc;

	cc_init(&cc, MSS);
	cc.ssthresh = 12 * MSS;
	toy_cc_on_ack(&cc, 5 * MSS, 5 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS);
	KUNIT_EXPECT_EQ(test, cc.acked_ca, 3 * MSS);
	KUNIT_EXPECT_FALSE(test, toy_cc_in_slow_start(&cc));
}

/* RFC 5681 3.1: about one MSS per cwnd of ACKed data, exactly at cwnd. */
static void toy_cc_test_ca_one_mss_per_window(struct kunit *test)
{
	struct toy_cc cc;
	u32 ack = 0;
	unsigned int i;

	cc_in_avoidance(&cc, 10 * MSS);
	for (i = 0; i < 9; i++)
		toy_cc_on_ack(&cc, MSS, ack += MSS, MSS);
	toy_cc_on_ack(&cc, MSS - 1, ack += MSS - 1, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);	/* 1 byte short */
	toy_cc_on_ack(&cc, 1, ack += 1, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 11 * MSS);
	KUNIT_EXPECT_EQ(test, cc.acked_ca, 0U);
	/* the next increase needs the new, larger window */
	for (i = 0; i < 10; i++)
		toy_cc_on_ack(&cc, MSS, ack += MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 11 * MSS);
	toy_cc_on_ack(&cc, MSS, ack += MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS);
}

static void toy_cc_test_ca_carries_remainder(struct kunit *test)
{
	struct toy_cc cc;

	cc_in_avoidance(&cc, 10 * MSS);
	toy_cc_on_ack(&cc, 10 * MSS + 500, 10 * MSS + 500, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 11 * MSS);
	KUNIT_EXPECT_EQ(test, cc.acked_ca, 500U);
	toy_cc_on_ack(&cc, 10 * MSS + 500, 21 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS);
	KUNIT_EXPECT_EQ(test, cc.acked_ca, 0U);
}

static void toy_cc_test_ca_dup_ack_no_growth(struct kunit *test)
{
	struct toy_cc cc;
	unsigned int i;

	cc_in_avoidance(&cc, 10 * MSS);
	for (i = 0; i < 100; i++)
		toy_cc_on_ack(&cc, 0, 0, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);
	KUNIT_EXPECT_EQ(test, cc.acked_ca, 0U);
}

struct halve_case {
	const char *name;
	u32 flight;
	u32 ssthresh;
};

static const struct halve_case halve_cases[] = {
	{ "flight_20_segs", 20 * MSS, 10 * MSS },
	{ "flight_odd_bytes_rounds_down", 20 * MSS + 1, 10 * MSS },
	{ "flight_5_segs", 5 * MSS, 2500 },
	{ "flight_just_above_floor", 4 * MSS + 2, 2 * MSS + 1 },
	{ "flight_4_segs_floor", 4 * MSS, 2 * MSS },
	{ "flight_3_segs_floor", 3 * MSS, 2 * MSS },
	{ "flight_zero_floor", 0, 2 * MSS },
	{ "flight_huge", 0xfffffff0, 0x7ffffff8 },
};

TOY_PARAM_DESC_FN(halve_desc, struct halve_case)
KUNIT_ARRAY_PARAM(halve, halve_cases, halve_desc);

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS), cwnd = ssthresh */
static void toy_cc_test_dupthresh_halves(struct kunit *test)
{
	const struct halve_case *c = test->param_value;
	struct toy_cc cc;

	cc_init(&cc, MSS);
	cc.cwnd = 40 * MSS;
	cc.acked_ca = 123;
	toy_cc_on_dupthresh(&cc, c->flight, 777777, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, c->ssthresh);
	KUNIT_EXPECT_EQ(test, cc.cwnd, c->ssthresh);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, cc.recover, 777777U);
	KUNIT_EXPECT_EQ(test, cc.acked_ca, 0U);
	KUNIT_EXPECT_FALSE(test, toy_cc_in_slow_start(&cc));
}

/* RFC 6582: at most one reduction per window of data. */
static void toy_cc_test_dupthresh_once_per_window(struct kunit *test)
{
	struct toy_cc cc;

	cc_init(&cc, MSS);
	toy_cc_on_dupthresh(&cc, 20 * MSS, 50000, MSS);
	KUNIT_ASSERT_EQ(test, cc.cwnd, 10 * MSS);
	toy_cc_on_dupthresh(&cc, 10 * MSS, 60000, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10 * MSS);
	KUNIT_EXPECT_EQ(test, cc.recover, 50000U);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_RECOVERY);
}

static void toy_cc_test_partial_ack_stays_in_recovery(struct kunit *test)
{
	struct toy_cc cc;

	cc_init(&cc, MSS);
	toy_cc_on_dupthresh(&cc, 20 * MSS, 50000, MSS);
	toy_cc_on_ack(&cc, MSS, 45000, MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);
	/* one byte short of the recovery point is still partial */
	toy_cc_on_ack(&cc, 4999, 49999, MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_RECOVERY);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);
}

static void toy_cc_test_full_ack_ends_recovery(struct kunit *test)
{
	struct toy_cc cc;

	cc_init(&cc, MSS);
	toy_cc_on_dupthresh(&cc, 20 * MSS, 50000, MSS);
	toy_cc_on_ack(&cc, MSS, 50000, MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_OPEN);
	/* back in avoidance at ssthresh, not slow start: no jump */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);
	KUNIT_EXPECT_EQ(test, cc.acked_ca, MSS);

	/* an ACK beyond the recovery point ends it too */
	cc_init(&cc, MSS);
	toy_cc_on_dupthresh(&cc, 20 * MSS, 50000, MSS);
	toy_cc_on_ack(&cc, 20 * MSS, 70000, MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_OPEN);
}

/* After recovery, a new loss in a new window reduces again. */
static void toy_cc_test_new_window_reduces_again(struct kunit *test)
{
	struct toy_cc cc;

	cc_init(&cc, MSS);
	toy_cc_on_dupthresh(&cc, 20 * MSS, 50000, MSS);
	toy_cc_on_ack(&cc, MSS, 50000, MSS);
	toy_cc_on_dupthresh(&cc, 10 * MSS, 90000, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 5 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 5 * MSS);
	KUNIT_EXPECT_EQ(test, cc.recover, 90000U);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_RECOVERY);
}

/* The recovery point is compared in sequence space, across 2^32. */
static void toy_cc_test_recovery_point_wraps(struct kunit *test)
{
	struct toy_cc cc;

	cc_init(&cc, MSS);
	toy_cc_on_dupthresh(&cc, 20 * MSS, 0x100, MSS);
	toy_cc_on_ack(&cc, MSS, 0xffffff00, MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_RECOVERY);
	toy_cc_on_ack(&cc, MSS, 0xff, MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_RECOVERY);
	toy_cc_on_ack(&cc, MSS, 0x100, MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_OPEN);
}

/* RFC 5681 (4) and (5): ssthresh from flight, cwnd to one segment. */
static void toy_cc_test_timeout_to_one_mss(struct kunit *test)
{
	struct toy_cc cc;

	cc_in_avoidance(&cc, 20 * MSS);
	cc.acked_ca = 999;
	toy_cc_on_timeout(&cc, 16 * MSS, 123456, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 8 * MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_LOSS);
	KUNIT_EXPECT_EQ(test, cc.recover, 123456U);
	KUNIT_EXPECT_EQ(test, cc.acked_ca, 0U);
	KUNIT_EXPECT_TRUE(test, toy_cc_in_slow_start(&cc));
}

/* A timeout of the retransmission must not halve ssthresh again. */
static void toy_cc_test_second_timeout_holds_ssthresh(struct kunit *test)
{
	struct toy_cc cc;

	cc_in_avoidance(&cc, 20 * MSS);
	toy_cc_on_timeout(&cc, 16 * MSS, 123456, MSS);
	toy_cc_on_timeout(&cc, MSS, 123456, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 8 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_LOSS);
	toy_cc_on_timeout(&cc, MSS, 123456, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 8 * MSS);
}

static void toy_cc_test_timeout_floor_two_mss(struct kunit *test)
{
	struct toy_cc cc;

	cc_init(&cc, MSS);
	toy_cc_on_timeout(&cc, MSS, 5000, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 2 * MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
}

/* Duplicate ACKs during loss recovery start no fast retransmit. */
static void toy_cc_test_dupthresh_ignored_in_loss(struct kunit *test)
{
	struct toy_cc cc;

	cc_in_avoidance(&cc, 20 * MSS);
	toy_cc_on_timeout(&cc, 16 * MSS, 123456, MSS);
	toy_cc_on_dupthresh(&cc, 16 * MSS, 200000, MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_LOSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 8 * MSS);
	KUNIT_EXPECT_EQ(test, cc.recover, 123456U);
}

/*
 * RFC 5681 3.1: after a timeout "the TCP sender uses the slow start
 * algorithm to increase the window from 1 full-sized segment". The ACKs
 * of the retransmissions are all below the recovery point (snd_nxt at the
 * timeout), so if they do not grow cwnd the sender repairs one segment
 * per RTT until the whole old flight is acknowledged.
 */
static void toy_cc_test_loss_slow_starts_before_recover(struct kunit *test)
{
	struct toy_cc cc;

	cc_in_avoidance(&cc, 20 * MSS);
	toy_cc_on_timeout(&cc, 16 * MSS, 16 * MSS, MSS);
	toy_cc_on_ack(&cc, MSS, MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2 * MSS);
	toy_cc_on_ack(&cc, MSS, 2 * MSS, MSS);
	toy_cc_on_ack(&cc, MSS, 3 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 4 * MSS);
}

static void toy_cc_test_loss_full_ack_reopens(struct kunit *test)
{
	struct toy_cc cc;

	cc_in_avoidance(&cc, 20 * MSS);
	toy_cc_on_timeout(&cc, 16 * MSS, 16 * MSS, MSS);
	toy_cc_on_ack(&cc, 16 * MSS, 16 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.state, TOY_CA_OPEN);
	/*
	 * slow start again: this stretch ACK takes cwnd to ssthresh, and
	 * the 9 MSS beyond it are a window of avoidance, one MSS more (as
	 * tcp_slow_start() then tcp_cong_avoid_ai())
	 */
	KUNIT_EXPECT_EQ(test, cc.cwnd, 9 * MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 8 * MSS);
}

/* Initial cwnd, slow start's growth and the ssthresh floor follow the MSS. */
static void toy_cc_test_scales_with_mss(struct kunit *test)
{
	struct toy_cc cc;

	cc_init(&cc, 1460);
	toy_cc_on_ack(&cc, 10 * 1460, 10 * 1460, 1460);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20 * 1460U);
	toy_cc_on_dupthresh(&cc, 1460, 100000, 1460);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 2 * 1460U);
}

/* cwnd never grows past TOY_CWND_MAX, in slow start or in avoidance. */
static void toy_cc_test_cwnd_capped(struct kunit *test)
{
	struct toy_cc cc;
	unsigned int i;

	cc_init(&cc, MSS);
	cc.cwnd = TOY_CWND_MAX - 500;
	toy_cc_on_ack(&cc, 2 * MSS, 2 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, TOY_CWND_MAX);
	toy_cc_on_ack(&cc, 2 * MSS, 4 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, TOY_CWND_MAX);

	cc_in_avoidance(&cc, TOY_CWND_MAX - 1);
	toy_cc_on_ack(&cc, TOY_CWND_MAX, TOY_CWND_MAX, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, TOY_CWND_MAX);
	/* an application-limited sender ACKing forever stays at the cap */
	for (i = 0; i < 20; i++)
		toy_cc_on_ack(&cc, TOY_CWND_MAX, i * 1000, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, TOY_CWND_MAX);
	KUNIT_EXPECT_LT(test, cc.acked_ca, TOY_CWND_MAX);
}

/* RFC 7661: an application that sends little does not grow cwnd. */
static void toy_cc_test_app_limited_no_growth(struct kunit *test)
{
	struct toy_cc cc;

	toy_cc_init(&cc, MSS);
	toy_cc_sent(&cc, 64, false, 0, 64);
	toy_cc_on_ack(&cc, 64, 64, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);
	/* nor does a window kept full in avoidance by the peer's window */
	cc_in_avoidance(&cc, 10 * MSS);
	toy_cc_sent(&cc, 10 * MSS, false, 100, 10 * MSS + 100);
	toy_cc_on_ack(&cc, 10 * MSS, 10 * MSS + 100, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10 * MSS);
	KUNIT_EXPECT_EQ(test, cc.acked_ca, 0U);
}

/* In slow start cwnd may reach twice the most that was in flight. */
static void toy_cc_test_slow_start_to_twice_flight(struct kunit *test)
{
	struct toy_cc cc;

	toy_cc_init(&cc, MSS);
	toy_cc_sent(&cc, 6 * MSS, false, 0, 6 * MSS);
	toy_cc_on_ack(&cc, 2 * MSS, 2 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS);
	toy_cc_on_ack(&cc, 2 * MSS, 4 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12 * MSS);
	/* once cwnd held a send back, it grows again */
	toy_cc_sent(&cc, 12 * MSS, true, 4 * MSS, 16 * MSS);
	toy_cc_on_ack(&cc, 2 * MSS, 6 * MSS, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 14 * MSS);
}

/*
 * The record is kept for a window of data: a smaller flight sent in it
 * does not forget that cwnd was full; one sent after it has been
 * acknowledged does.
 */
static void toy_cc_test_usage_kept_for_a_window(struct kunit *test)
{
	struct toy_cc cc;

	cc_in_avoidance(&cc, 10 * MSS);
	toy_cc_sent(&cc, 10 * MSS, true, 0, 10 * MSS);
	toy_cc_sent(&cc, 3 * MSS, false, 2 * MSS, 10 * MSS);
	KUNIT_EXPECT_TRUE(test, cc.cwnd_limited);
	KUNIT_EXPECT_EQ(test, cc.max_flight, 10 * MSS);
	toy_cc_sent(&cc, 3 * MSS, false, 10 * MSS, 13 * MSS);
	KUNIT_EXPECT_FALSE(test, cc.cwnd_limited);
	KUNIT_EXPECT_EQ(test, cc.max_flight, 3 * MSS);
}

static struct kunit_case toy_cc_cases[] = {
	KUNIT_CASE_PARAM(toy_cc_test_init_ten_segments, init_mss_gen_params),
	KUNIT_CASE_PARAM(toy_cc_test_slow_start_ack_growth, ss_gen_params),
	KUNIT_CASE(toy_cc_test_slow_start_doubles_per_rtt),
	KUNIT_CASE(toy_cc_test_slow_start_ends_at_ssthresh),
	KUNIT_CASE(toy_cc_test_stretch_ack_stops_at_ssthresh),
	KUNIT_CASE(toy_cc_test_ca_one_mss_per_window),
	KUNIT_CASE(toy_cc_test_ca_carries_remainder),
	KUNIT_CASE(toy_cc_test_ca_dup_ack_no_growth),
	KUNIT_CASE_PARAM(toy_cc_test_dupthresh_halves, halve_gen_params),
	KUNIT_CASE(toy_cc_test_dupthresh_once_per_window),
	KUNIT_CASE(toy_cc_test_partial_ack_stays_in_recovery),
	KUNIT_CASE(toy_cc_test_full_ack_ends_recovery),
	KUNIT_CASE(toy_cc_test_new_window_reduces_again),
	KUNIT_CASE(toy_cc_test_recovery_point_wraps),
	KUNIT_CASE(toy_cc_test_timeout_to_one_mss),
	KUNIT_CASE(toy_cc_test_second_timeout_holds_ssthresh),
	KUNIT_CASE(toy_cc_test_timeout_floor_two_mss),
	KUNIT_CASE(toy_cc_test_dupthresh_ignored_in_loss),
	KUNIT_CASE(toy_cc_test_loss_slow_starts_before_recover),
	KUNIT_CASE(toy_cc_test_loss_full_ack_reopens),
	KUNIT_CASE(toy_cc_test_scales_with_mss),
	KUNIT_CASE(toy_cc_test_cwnd_capped),
	KUNIT_CASE(toy_cc_test_app_limited_no_growth),
	KUNIT_CASE(toy_cc_test_slow_start_to_twice_flight),
	KUNIT_CASE(toy_cc_test_usage_kept_for_a_window),
	{}
};

static struct kunit_suite toy_cc_suite = {
	.name = "toy_cc",
	.test_cases = toy_cc_cases,
};

kunit_test_suite(toy_cc_suite);
