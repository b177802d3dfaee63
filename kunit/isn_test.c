// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: initial sequence numbers, RFC 6528 (module/isn.h):
 * ISN = M + F(4-tuple, key), M ticking every 2^TOY_ISN_TICK_SHIFT ns.
 */
#include <kunit/test.h>
#include <linux/siphash.h>

#include "isn.h"
#include "toy_kunit.h"

static const siphash_key_t key_a = { { 0x0706050403020100ULL,
				       0x0f0e0d0c0b0a0908ULL } };
static const siphash_key_t key_b = { { 0x0706050403020100ULL,
				       0x0f0e0d0c0b0a0909ULL } };

#define SA htonl(0x0a000001)
#define DA htonl(0x0a000002)
#define SP htons(40000)
#define DP htons(7000)
#define T0 123456789012345ULL

static void toy_isn_test_deterministic(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, toy_isn(&key_a, SA, DA, SP, DP, T0),
			toy_isn(&key_a, SA, DA, SP, DP, T0));
}

/* The clock part: one tick per 2^12 ns, nothing in between. */
static void toy_isn_test_clock_ticks(struct kunit *test)
{
	u32 base = toy_isn(&key_a, SA, DA, SP, DP, 0);
	u64 tick = 1ULL << TOY_ISN_TICK_SHIFT;

	KUNIT_EXPECT_EQ(test, toy_isn(&key_a, SA, DA, SP, DP, tick - 1), base);
	KUNIT_EXPECT_EQ(test, toy_isn(&key_a, SA, DA, SP, DP, tick), base + 1);
	KUNIT_EXPECT_EQ(test, toy_isn(&key_a, SA, DA, SP, DP, 1000 * tick),
			base + 1000);
	/* one second is about 244140 ticks (4.096 us each) */
	KUNIT_EXPECT_EQ(test, toy_isn(&key_a, SA, DA, SP, DP, 1000000000ULL),
			base + (u32)(1000000000ULL >> TOY_ISN_TICK_SHIFT));
	/* the clock wraps modulo 2^32 ticks, not before */
	KUNIT_EXPECT_EQ(test, toy_isn(&key_a, SA, DA, SP, DP, tick << 32), base);
	KUNIT_EXPECT_EQ(test,
			toy_isn(&key_a, SA, DA, SP, DP, (tick << 32) - tick),
			base - 1);
}

/* A later incarnation of the same 4-tuple starts later in sequence space. */
static void toy_isn_test_monotonic_per_tuple(struct kunit *test)
{
	u32 a = toy_isn(&key_a, SA, DA, SP, DP, T0);
	u32 b = toy_isn(&key_a, SA, DA, SP, DP, T0 + 1000000);	/* 1 ms */

	KUNIT_EXPECT_EQ(test, b - a, (u32)((T0 + 1000000) >> TOY_ISN_TICK_SHIFT) -
				     (u32)(T0 >> TOY_ISN_TICK_SHIFT));
	KUNIT_EXPECT_GT(test, b - a, 0U);
}

/* Every field of the 4-tuple and the key change the hashed part. */
static void toy_isn_test_tuple_and_key_matter(struct kunit *test)
{
	u32 base = toy_isn(&key_a, SA, DA, SP, DP, T0);

	KUNIT_EXPECT_NE(test, toy_isn(&key_b, SA, DA, SP, DP, T0), base);
	KUNIT_EXPECT_NE(test, toy_isn(&key_a, htonl(0x0a000003), DA, SP, DP, T0),
			base);
	KUNIT_EXPECT_NE(test, toy_isn(&key_a, SA, htonl(0x0a000003), SP, DP, T0),
			base);
	KUNIT_EXPECT_NE(test, toy_isn(&key_a, SA, DA, htons(40001), DP, T0),
			base);
	KUNIT_EXPECT_NE(test, toy_isn(&key_a, SA, DA, SP, htons(7001), T0),
			base);
	/* directions differ: the tuple is ordered, not a set */
	KUNIT_EXPECT_NE(test, toy_isn(&key_a, DA, SA, DP, SP, T0), base);
	KUNIT_EXPECT_NE(test, toy_isn(&key_a, SA, DA, DP, SP, T0), base);
}

/* Consecutive source ports must not give consecutive ISNs (RFC 6528 3). */
static void toy_isn_test_ports_not_predictable(struct kunit *test)
{
	u32 prev = toy_isn(&key_a, SA, DA, htons(50000), DP, T0), cur;
	unsigned int p, near = 0;

	for (p = 50001; p < 50065; p++) {
		cur = toy_isn(&key_a, SA, DA, htons(p), DP, T0);
		if (cur - prev < 65536 || prev - cur < 65536)
			near++;
		prev = cur;
	}
	/* 64 steps of a random 32-bit value: each within 2^17 w.p. 2^-15 */
	KUNIT_EXPECT_LE(test, near, 1U);
}

static struct kunit_case toy_isn_cases[] = {
	KUNIT_CASE(toy_isn_test_deterministic),
	KUNIT_CASE(toy_isn_test_clock_ticks),
	KUNIT_CASE(toy_isn_test_monotonic_per_tuple),
	KUNIT_CASE(toy_isn_test_tuple_and_key_matter),
	KUNIT_CASE(toy_isn_test_ports_not_predictable),
	{}
};

static struct kunit_suite toy_isn_suite = {
	.name = "toy_isn",
	.test_cases = toy_isn_cases,
};

kunit_test_suite(toy_isn_suite);
