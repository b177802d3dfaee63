// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: SYN cookies (module/cookie.c): what a cookie keeps comes back,
 * for its tick and the next one only, and nothing else passes: another
 * 4-tuple, peer ISN, key, tick or a single changed bit.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/siphash.h>

#include "cookie.h"
#include "wire.h"
#include "toy_kunit.h"

static const siphash_key_t key_a = { { 0x0706050403020100ULL,
				       0x0f0e0d0c0b0a0908ULL } };
static const siphash_key_t key_b = { { 0x0706050403020100ULL,
				       0x0f0e0d0c0b0a0909ULL } };

#define ISN	0x12345678U
#define TICK	27000000U	/* about 55 years of 64 s ticks */

static const struct toy_cookie_tuple tuple_a = {
	.saddr = htonl(0x0a000001),
	.daddr = htonl(0x0a000002),
	.sport = htons(40000),
	.dport = htons(7000),
};

static u32 make(u32 isn, u32 tick, u32 data)
{
	return toy_cookie_make(&key_a, &tuple_a, isn, tick, data);
}

static int check(u32 isn, u32 tick, u32 cookie)
{
	return toy_cookie_check(&key_a, &tuple_a, isn, tick, cookie);
}

/* Every data value (MSS index) comes back, now and one tick later. */
static const u32 data_values[] = { 0, 1, 2, 3, 4, 5, 6, 7 };

static void data_desc(const u32 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "mss_index_%u", *v);
}

KUNIT_ARRAY_PARAM(data, data_values, data_desc);

static void toy_cookie_test_round_trip(struct kunit *test)
{
	u32 d = *(const u32 *)test->param_value;
	u32 c = make(ISN, TICK, d);

	KUNIT_EXPECT_EQ(test, check(ISN, TICK, c), (int)d);
	KUNIT_EXPECT_EQ(test, check(ISN, TICK + 1, c), (int)d);
	KUNIT_EXPECT_EQ(test, toy_cookie_mss_index(toy_cookie_mss(d)), d);
}

/* The same SYN in the same tick gets the same cookie: a resent SYN-ACK. */
static void toy_cookie_test_deterministic(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, make(ISN, TICK, 5), make(ISN, TICK, 5));
	KUNIT_EXPECT_NE(test, make(ISN, TICK, 5), make(ISN, TICK, 4));
	KUNIT_EXPECT_NE(test, make(ISN, TICK, 5), make(ISN, TICK + 1, 5));
}

/* The tick the cookie was made in and the next one; no other. */
struct tick_case {
	const char *name;
	u32 made, now;
	int want;		/* >= 0: accepted with data 3 */
};

static const struct tick_case tick_cases[] = {
	{ "same_tick", TICK, TICK, 3 },
	{ "next_tick", TICK, TICK + 1, 3 },
	{ "two_ticks_later", TICK, TICK + 2, -ETIME },
	{ "three_ticks_later", TICK, TICK + 3, -ETIME },
	{ "four_ticks_later_same_low_bits", TICK, TICK + 4, -EBADMSG },
	{ "five_ticks_later", TICK, TICK + 5, -EBADMSG },
	{ "a_day_later", TICK, TICK + 1350, -ETIME },
	{ "from_the_future_1", TICK + 1, TICK, -ETIME },
	{ "from_the_future_2", TICK + 2, TICK, -ETIME },
	{ "from_the_future_3", TICK + 3, TICK, -EBADMSG },
	{ "from_the_future_4", TICK + 4, TICK, -EBADMSG },
	{ "zero_then_one", 0, 1, 3 },
	{ "wrap_accepted", 0xffffffff, 0, 3 },
	{ "wrap_two_ticks", 0xfffffffe, 0, -ETIME },
	{ "wrap_from_the_future", 0, 0xffffffff, -ETIME },
};

TOY_PARAM_DESC_FN(tick_desc, struct tick_case)
KUNIT_ARRAY_PARAM(tick, tick_cases, tick_desc);

static void toy_cookie_test_tick_window(struct kunit *test)
{
	const struct tick_case *c = test->param_value;
	int got = check(ISN, c->now, make(ISN, c->made, 3));

	if (c->want >= 0) {
		KUNIT_EXPECT_EQ(test, got, c->want);
	} else {
		/* -ETIME or -EBADMSG: either way refused */
		KUNIT_EXPECT_LT(test, got, 0);
		if (c->want == -ETIME)
			KUNIT_EXPECT_EQ(test, got, -ETIME);
	}
}

/* An ACK from another connection, or for another SYN, does not pass. */
struct tuple_case {
	const char *name;
	struct toy_cookie_tuple t;
	u32 isn;
};

static const struct tuple_case tuple_cases[] = {
	{ "saddr", { htonl(0x0a000003), htonl(0x0a000002), htons(40000),
		     htons(7000) }, ISN },
	{ "daddr", { htonl(0x0a000001), htonl(0x0a000102), htons(40000),
		     htons(7000) }, ISN },
	{ "sport", { htonl(0x0a000001), htonl(0x0a000002), htons(40001),
		     htons(7000) }, ISN },
	{ "dport", { htonl(0x0a000001), htonl(0x0a000002), htons(40000),
		     htons(7001) }, ISN },
	{ "addresses_swapped", { htonl(0x0a000002), htonl(0x0a000001),
				 htons(40000), htons(7000) }, ISN },
	{ "ports_swapped", { htonl(0x0a000001), htonl(0x0a000002),
			     htons(7000), htons(40000) }, ISN },
	{ "peer_isn_plus_1", { htonl(0x0a000001), htonl(0x0a000002),
			       htons(40000), htons(7000) }, ISN + 1 },
	{ "peer_isn_minus_1", { htonl(0x0a000001), htonl(0x0a000002),
				htons(40000), htons(7000) }, ISN - 1 },
	{ "peer_isn_high_bit", { htonl(0x0a000001), htonl(0x0a000002),
				 htons(40000), htons(7000) }, ISN ^ BIT(31) },
};

TOY_PARAM_DESC_FN(tuple_desc, struct tuple_case)
KUNIT_ARRAY_PARAM(tuple, tuple_cases, tuple_desc);

static void toy_cookie_test_tuple_change_rejected(struct kunit *test)
{
	const struct tuple_case *c = test->param_value;
	u32 d;

	for (d = 0; d < TOY_COOKIE_NR_MSS; d++) {
		u32 cookie = make(ISN, TICK, d);

		KUNIT_EXPECT_LT(test, toy_cookie_check(&key_a, &c->t, c->isn,
						       TICK, cookie), 0);
		KUNIT_EXPECT_LT(test, toy_cookie_check(&key_a, &c->t, c->isn,
						       TICK + 1, cookie), 0);
	}
}

/* Another namespace's (or boot's) key does not accept our cookies. */
static void toy_cookie_test_other_key_rejected(struct kunit *test)
{
	u32 d;

	for (d = 0; d < TOY_COOKIE_NR_MSS; d++) {
		u32 c = make(ISN, TICK, d);

		KUNIT_EXPECT_LT(test, toy_cookie_check(&key_b, &tuple_a, ISN,
						       TICK, c), 0);
		KUNIT_EXPECT_NE(test, c, toy_cookie_make(&key_b, &tuple_a,
							 ISN, TICK, d));
	}
}

/* No bit of a cookie is spare: changing any one makes it invalid. */
static void toy_cookie_test_bit_flip_rejected(struct kunit *test)
{
	u32 d, bit;

	for (d = 0; d < TOY_COOKIE_NR_MSS; d++) {
		u32 c = make(ISN, TICK, d);

		for (bit = 0; bit < 32; bit++) {
			KUNIT_EXPECT_LT_MSG(test, check(ISN, TICK, c ^ BIT(bit)),
					    0, "data %u, bit %u", d, bit);
			KUNIT_EXPECT_LT_MSG(test,
					    check(ISN, TICK + 1, c ^ BIT(bit)),
					    0, "data %u, bit %u", d, bit);
		}
	}
}

/*
 * Sequence numbers wrap: the caller passes the ACK's seq - 1 and
 * ack - 1 modulo 2^32, and ISNs at either end of the space work.
 */
static void toy_cookie_test_isn_wrap(struct kunit *test)
{
	static const u32 isns[] = { 0xffffffff, 0, 0x7fffffff, 0x80000000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(isns); i++) {
		u32 c = make(isns[i], TICK, 6);
		u32 seq = isns[i] + 1, ack = c + 1;	/* the returning ACK */

		KUNIT_EXPECT_EQ(test, check(seq - 1, TICK, ack - 1), 6);
		KUNIT_EXPECT_LT(test, check(seq, TICK, ack - 1), 0);
	}
	/* the ends of the space are different ISNs */
	KUNIT_EXPECT_LT(test, check(0, TICK, make(0xffffffff, TICK, 6)), 0);
	KUNIT_EXPECT_LT(test, check(0xffffffff, TICK, make(0, TICK, 6)), 0);
}

/* Guessing: random 32-bit values almost never pass (27-bit MAC). */
static void toy_cookie_test_random_rejected(struct kunit *test)
{
	u32 x = 0x9e3779b9, n, accepted = 0;

	for (n = 0; n < 1 << 14; n++) {
		x ^= x << 13;		/* xorshift32: fixed, reproducible */
		x ^= x >> 17;
		x ^= x << 5;
		if (check(ISN, TICK, x) >= 0)
			accepted++;
	}
	/* expected 2^14 * 2^-26: about 0.0002 */
	KUNIT_EXPECT_EQ(test, accepted, 0U);
}

/* The ISN hides the tick and data: its top bits vary with the peer's. */
static void toy_cookie_test_fields_hidden(struct kunit *test)
{
	unsigned int seen = 0, close = 0;
	u32 i, prev = make(ISN, TICK, 0), c;

	for (i = 1; i <= 64; i++) {
		c = make(ISN + i, TICK, 0);
		seen |= BIT(c >> 30);
		if (c - prev < 65536 || prev - c < 65536)
			close++;
		prev = c;
	}
	KUNIT_EXPECT_EQ(test, seen, 0xfU);
	KUNIT_EXPECT_LE(test, close, 1U);
}

/* MSS: the largest table entry not above what the peer offered. */
struct mss_case {
	const char *name;
	u16 peer, want;
};

static const struct mss_case mss_cases[] = {
	{ "min", TOY_MIN_MSS, TOY_MIN_MSS },
	{ "min_plus_1", TOY_MIN_MSS + 1, TOY_MIN_MSS },
	{ "below_default", 535, TOY_MIN_MSS },
	{ "default", 536, 536 },
	{ "above_default", 537, 536 },
	{ "mtu_1280", 1228, 1228 },
	{ "below_vxlan", 1397, 1228 },
	{ "vxlan", 1398, 1398 },
	{ "pppoe", 1440, 1440 },
	{ "ethernet_less_1", 1447, 1440 },
	{ "ethernet", 1448, 1448 },
	{ "ethernet_plus_1", 1449, 1448 },
	{ "below_jumbo", 8947, 1448 },
	{ "jumbo", 8948, 8948 },
	{ "below_loopback", 65483, 8948 },
	{ "loopback", 65484, 65484 },
	{ "max", 65535, 65484 },
};

TOY_PARAM_DESC_FN(mss_desc, struct mss_case)
KUNIT_ARRAY_PARAM(mss, mss_cases, mss_desc);

static void toy_cookie_test_mss_rounds_down(struct kunit *test)
{
	const struct mss_case *c = test->param_value;
	u32 idx = toy_cookie_mss_index(c->peer);

	KUNIT_ASSERT_LT(test, idx, (u32)TOY_COOKIE_NR_MSS);
	KUNIT_EXPECT_EQ(test, toy_cookie_mss(idx), c->want);
	/* and through a cookie */
	KUNIT_EXPECT_EQ(test, toy_cookie_mss(check(ISN, TICK,
						   make(ISN, TICK, idx))),
			c->want);
}

/* Every MSS a SYN may offer: never rounded up, never below the next. */
static void toy_cookie_test_mss_never_above_peer(struct kunit *test)
{
	u32 m;

	for (m = TOY_MIN_MSS; m <= U16_MAX; m++) {
		u32 idx = toy_cookie_mss_index(m);

		KUNIT_ASSERT_LE(test, (u32)toy_cookie_mss(idx), m);
		if (idx + 1 < TOY_COOKIE_NR_MSS)
			KUNIT_ASSERT_GT(test, (u32)toy_cookie_mss(idx + 1), m);
	}
	for (m = 1; m < TOY_COOKIE_NR_MSS; m++)
		KUNIT_EXPECT_GT(test, toy_cookie_mss(m), toy_cookie_mss(m - 1));
}

static struct kunit_case toy_cookie_cases[] = {
	KUNIT_CASE_PARAM(toy_cookie_test_round_trip, data_gen_params),
	KUNIT_CASE(toy_cookie_test_deterministic),
	KUNIT_CASE_PARAM(toy_cookie_test_tick_window, tick_gen_params),
	KUNIT_CASE_PARAM(toy_cookie_test_tuple_change_rejected,
			 tuple_gen_params),
	KUNIT_CASE(toy_cookie_test_other_key_rejected),
	KUNIT_CASE(toy_cookie_test_bit_flip_rejected),
	KUNIT_CASE(toy_cookie_test_isn_wrap),
	KUNIT_CASE(toy_cookie_test_random_rejected),
	KUNIT_CASE(toy_cookie_test_fields_hidden),
	KUNIT_CASE_PARAM(toy_cookie_test_mss_rounds_down, mss_gen_params),
	KUNIT_CASE(toy_cookie_test_mss_never_above_peer),
	{}
};

static struct kunit_suite toy_cookie_suite = {
	.name = "toy_cookie",
	.test_cases = toy_cookie_cases,
};

kunit_test_suite(toy_cookie_suite);
