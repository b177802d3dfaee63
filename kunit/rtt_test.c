// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: RFC 6298 retransmission timer (module/rtt.c).
 */
#include <kunit/test.h>

#include "rtt.h"
#include "toy_kunit.h"

/* Clamps used unless a case says otherwise: no floor, a 120 s ceiling. */
#define RTO_NOMIN	0U
#define RTO_MAX	120000000U

static void toy_rtt_test_init_one_second(struct kunit *test)
{
	struct toy_rtt r;

	memset(&r, 0xa5, sizeof(r));
	toy_rtt_init(&r, 200000, RTO_MAX);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 0U);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 0U);
	KUNIT_EXPECT_EQ(test, r.backoff, 0);
	KUNIT_EXPECT_EQ(test, r.rto_us, 1000000U);
	KUNIT_EXPECT_EQ(test, toy_rtt_timeout_us(&r, RTO_MAX), 1000000U);
}

static void toy_rtt_test_init_clamped(struct kunit *test)
{
	struct toy_rtt r;

	toy_rtt_init(&r, 3000000, RTO_MAX);
	KUNIT_EXPECT_EQ(test, r.rto_us, 3000000U);
	toy_rtt_init(&r, 0, 500000);
	KUNIT_EXPECT_EQ(test, r.rto_us, 500000U);
}

struct first_case {
	const char *name;
	u32 sample;
	u32 srtt, rttvar, rto;	/* with min 0, max 120 s */
};

static const struct first_case first_cases[] = {
	/* SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, 4 * RTTVAR) */
	{ "100ms", 100000, 100000, 50000, 300000 },
	{ "odd_rounds_rttvar_down", 100001, 100001, 50000, 300001 },
	{ "1ms_g_floor", 1000, 1000, 500, 5000 },
	{ "2ms_4rttvar_equals_g", 2000, 2000, 1000, 6000 },
	{ "2001us_4rttvar_above_g", 2001, 2001, 1000, 6001 },
	/* a zero sample still counts: SRTT must not stay 0 ("no sample") */
	{ "zero_sample_counts_as_1us", 0, 1, 0, 4001 },
	{ "1s", 1000000, 1000000, 500000, 3000000 },
	{ "60s_clamped_to_max", 60000000, 60000000, 30000000, RTO_MAX },
};

TOY_PARAM_DESC_FN(first_desc, struct first_case)
KUNIT_ARRAY_PARAM(first, first_cases, first_desc);

static void toy_rtt_test_first_sample(struct kunit *test)
{
	const struct first_case *c = test->param_value;
	struct toy_rtt r;

	toy_rtt_init(&r, RTO_NOMIN, RTO_MAX);
	KUNIT_EXPECT_TRUE(test, toy_rtt_sample(&r, c->sample, false, RTO_NOMIN, RTO_MAX));
	KUNIT_EXPECT_EQ(test, r.srtt_us, c->srtt);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, c->rttvar);
	KUNIT_EXPECT_EQ(test, r.rto_us, c->rto);
	KUNIT_EXPECT_EQ(test, toy_rtt_timeout_us(&r, RTO_MAX), c->rto);
}

/*
 * RFC 6298 2.3 with alpha 1/8, beta 1/4, step by step, in the module's
 * integer form: RTTVAR -= RTTVAR/4 - |SRTT - R|/4 (old SRTT), then
 * SRTT -= SRTT/8 - R/8.
 */
static void toy_rtt_test_smoothing_exact(struct kunit *test)
{
	static const struct { u32 r, srtt, rttvar, rto; } steps[] = {
		{ 100000, 100000, 50000, 300000 },
		/* err 100000: var 50000-12500+25000, srtt 100000-12500+25000 */
		{ 200000, 112500, 62500, 362500 },
		/* err 12500: var 62500-15625+3125; srtt 112500-14062+12500 */
		{ 100000, 110938, 50000, 310938 },
		/* err 110938-80000=30938: var 50000-12500+7734 = 45234;
		 * srtt 110938-13867+10000 = 107071
		 */
		{ 80000, 107071, 45234, 288007 },
		/* err 0 (R = SRTT): var 45234-11308 = 33926, srtt unchanged */
		{ 107071, 107071 - 13383 + 13383, 33926, 107071 + 135704 },
	};
	struct toy_rtt r;
	unsigned int i;

	toy_rtt_init(&r, RTO_NOMIN, RTO_MAX);
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		KUNIT_ASSERT_TRUE(test, toy_rtt_sample(&r, steps[i].r, false,
						       RTO_NOMIN, RTO_MAX));
		KUNIT_EXPECT_EQ_MSG(test, r.srtt_us, steps[i].srtt, "step %u", i);
		KUNIT_EXPECT_EQ_MSG(test, r.rttvar_us, steps[i].rttvar,
				    "step %u", i);
		KUNIT_EXPECT_EQ_MSG(test, r.rto_us, steps[i].rto, "step %u", i);
	}
}

/* A steady RTT converges: SRTT stays put, RTTVAR decays, G floors RTO. */
static void toy_rtt_test_steady_rtt_converges_to_g_floor(struct kunit *test)
{
	struct toy_rtt r;
	unsigned int i;

	toy_rtt_init(&r, RTO_NOMIN, RTO_MAX);
	for (i = 0; i < 100; i++)
		toy_rtt_sample(&r, 1000, false, RTO_NOMIN, RTO_MAX);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 1000U);
	KUNIT_EXPECT_LT(test, r.rttvar_us, TOY_RTT_G_US / 4);
	/* RTO = SRTT + G once 4 * RTTVAR has decayed below G */
	KUNIT_EXPECT_EQ(test, r.rto_us, 1000U + TOY_RTT_G_US);
}

static void toy_rtt_test_min_clamp(struct kunit *test)
{
	struct toy_rtt r;

	toy_rtt_init(&r, 200000, RTO_MAX);
	toy_rtt_sample(&r, 1000, false, 200000, RTO_MAX);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 1000U);
	KUNIT_EXPECT_EQ(test, r.rto_us, 200000U);
	/* just above the floor is not clamped */
	toy_rtt_init(&r, 200000, RTO_MAX);
	toy_rtt_sample(&r, 70000, false, 200000, RTO_MAX);
	KUNIT_EXPECT_EQ(test, r.rto_us, 70000U + 4 * 35000U);
}

static void toy_rtt_test_max_clamp(struct kunit *test)
{
	struct toy_rtt r;

	toy_rtt_init(&r, RTO_NOMIN, 60000000);
	toy_rtt_sample(&r, 30000000, false, RTO_NOMIN, 60000000);
	KUNIT_EXPECT_EQ(test, r.rto_us, 60000000U);
	/* the largest possible sample does not overflow past the clamp */
	toy_rtt_init(&r, RTO_NOMIN, 60000000);
	toy_rtt_sample(&r, U32_MAX, false, RTO_NOMIN, 60000000);
	KUNIT_EXPECT_EQ(test, r.srtt_us, U32_MAX);
	KUNIT_EXPECT_EQ(test, r.rto_us, 60000000U);
	toy_rtt_sample(&r, U32_MAX, false, RTO_NOMIN, 60000000);
	KUNIT_EXPECT_EQ(test, r.rto_us, 60000000U);
}

/*
 * SRTT + 4 * RTTVAR computed in 64 bits: with RTTVAR >= 2^30 the product
 * does not fit 32 bits, and a wrapped sum would fall far below max.
 */
static void toy_rtt_test_huge_rttvar_does_not_wrap(struct kunit *test)
{
	struct toy_rtt r;

	toy_rtt_init(&r, RTO_NOMIN, U32_MAX);
	toy_rtt_sample(&r, 0x80000000, false, RTO_NOMIN, U32_MAX);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 0x40000000U);
	/* 2^31 + 4 * 2^30 > U32_MAX: clamped to max, not 2^31 + G */
	KUNIT_EXPECT_EQ(test, r.rto_us, U32_MAX);
}

static void toy_rtt_test_backoff_doubles_and_caps(struct kunit *test)
{
	struct toy_rtt r;
	u32 want = 300000;
	unsigned int i;

	toy_rtt_init(&r, RTO_NOMIN, RTO_MAX);
	toy_rtt_sample(&r, 100000, false, RTO_NOMIN, RTO_MAX);
	KUNIT_ASSERT_EQ(test, r.rto_us, 300000U);
	for (i = 0; i < 12; i++) {
		KUNIT_EXPECT_EQ_MSG(test, toy_rtt_timeout_us(&r, RTO_MAX),
				    min(want, RTO_MAX), "after %u backoffs", i);
		toy_rtt_backoff(&r);
		want = want > RTO_MAX / 2 ? RTO_MAX : want * 2;
	}
	/* 300 ms << 9 = 153.6 s > 120 s: the cap holds from the 9th on */
	KUNIT_EXPECT_EQ(test, toy_rtt_timeout_us(&r, RTO_MAX), RTO_MAX);
	/* the base RTO is not changed by backing off */
	KUNIT_EXPECT_EQ(test, r.rto_us, 300000U);
}

static void toy_rtt_test_backoff_saturates(struct kunit *test)
{
	struct toy_rtt r;
	unsigned int i;

	toy_rtt_init(&r, RTO_NOMIN, U32_MAX);
	for (i = 0; i < 1000; i++)
		toy_rtt_backoff(&r);
	KUNIT_EXPECT_EQ(test, r.backoff, TOY_RTO_MAX_BACKOFF);
	/* 1 s << 15 does not fit in 32 bits: capped, not truncated */
	KUNIT_EXPECT_EQ(test, toy_rtt_timeout_us(&r, U32_MAX), U32_MAX);
	KUNIT_EXPECT_EQ(test, toy_rtt_timeout_us(&r, RTO_MAX), RTO_MAX);
}

/* Karn: an ACK of a retransmitted segment is no sample; backoff stays. */
static void toy_rtt_test_karn_ignores_retransmitted(struct kunit *test)
{
	struct toy_rtt r, before;

	toy_rtt_init(&r, RTO_NOMIN, RTO_MAX);
	toy_rtt_sample(&r, 100000, false, RTO_NOMIN, RTO_MAX);
	toy_rtt_backoff(&r);
	toy_rtt_backoff(&r);
	before = r;
	KUNIT_EXPECT_FALSE(test, toy_rtt_sample(&r, 5000, true, RTO_NOMIN, RTO_MAX));
	KUNIT_EXPECT_EQ(test, r.srtt_us, before.srtt_us);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, before.rttvar_us);
	KUNIT_EXPECT_EQ(test, r.rto_us, before.rto_us);
	KUNIT_EXPECT_EQ(test, r.backoff, 2);
	KUNIT_EXPECT_EQ(test, toy_rtt_timeout_us(&r, RTO_MAX), 4 * 300000U);
}

static void toy_rtt_test_karn_no_first_sample(struct kunit *test)
{
	struct toy_rtt r;

	toy_rtt_init(&r, RTO_NOMIN, RTO_MAX);
	toy_rtt_backoff(&r);
	KUNIT_EXPECT_FALSE(test, toy_rtt_sample(&r, 5000, true, RTO_NOMIN, RTO_MAX));
	KUNIT_EXPECT_EQ(test, r.srtt_us, 0U);
	KUNIT_EXPECT_EQ(test, r.rto_us, TOY_RTO_INITIAL_US);
	KUNIT_EXPECT_EQ(test, toy_rtt_timeout_us(&r, RTO_MAX), 2 * TOY_RTO_INITIAL_US);
	/* the next clean sample is still treated as the first one */
	KUNIT_EXPECT_TRUE(test, toy_rtt_sample(&r, 40000, false, RTO_NOMIN, RTO_MAX));
	KUNIT_EXPECT_EQ(test, r.srtt_us, 40000U);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 20000U);
}

/* RFC 6298 5.7: a valid sample after backoff resets the timer to RTO. */
static void toy_rtt_test_valid_sample_ends_backoff(struct kunit *test)
{
	struct toy_rtt r;

	toy_rtt_init(&r, RTO_NOMIN, RTO_MAX);
	toy_rtt_sample(&r, 100000, false, RTO_NOMIN, RTO_MAX);
	toy_rtt_backoff(&r);
	toy_rtt_backoff(&r);
	toy_rtt_backoff(&r);
	KUNIT_ASSERT_EQ(test, r.backoff, 3);
	KUNIT_EXPECT_TRUE(test, toy_rtt_sample(&r, 100000, false, RTO_NOMIN, RTO_MAX));
	KUNIT_EXPECT_EQ(test, r.backoff, 0);
	KUNIT_EXPECT_EQ(test, toy_rtt_timeout_us(&r, RTO_MAX), r.rto_us);
}

static struct kunit_case toy_rtt_cases[] = {
	KUNIT_CASE(toy_rtt_test_init_one_second),
	KUNIT_CASE(toy_rtt_test_init_clamped),
	KUNIT_CASE_PARAM(toy_rtt_test_first_sample, first_gen_params),
	KUNIT_CASE(toy_rtt_test_smoothing_exact),
	KUNIT_CASE(toy_rtt_test_steady_rtt_converges_to_g_floor),
	KUNIT_CASE(toy_rtt_test_min_clamp),
	KUNIT_CASE(toy_rtt_test_max_clamp),
	KUNIT_CASE(toy_rtt_test_huge_rttvar_does_not_wrap),
	KUNIT_CASE(toy_rtt_test_backoff_doubles_and_caps),
	KUNIT_CASE(toy_rtt_test_backoff_saturates),
	KUNIT_CASE(toy_rtt_test_karn_ignores_retransmitted),
	KUNIT_CASE(toy_rtt_test_karn_no_first_sample),
	KUNIT_CASE(toy_rtt_test_valid_sample_ends_backoff),
	{}
};

static struct kunit_suite toy_rtt_suite = {
	.name = "toy_rtt",
	.test_cases = toy_rtt_cases,
};

kunit_test_suite(toy_rtt_suite);
