// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: sliding-window arithmetic (module/window.h).
 */
#include <kunit/test.h>

#include "window.h"
#include "toy_kunit.h"

struct room_case {
	const char *name;
	u32 una, nxt, snd_wnd, cwnd;
	u32 room;
};

static const struct room_case room_cases[] = {
	{ "idle_cwnd_limited", 1000, 1000, 65536, 10000, 10000 },
	{ "idle_rwnd_limited", 1000, 1000, 4000, 10000, 4000 },
	{ "part_in_flight", 1000, 4000, 65536, 10000, 7000 },
	{ "window_full", 1000, 11000, 65536, 10000, 0 },
	{ "one_byte_left", 1000, 10999, 65536, 10000, 1 },
	/* the peer shrank its window below what is in flight */
	{ "flight_beyond_window", 1000, 9000, 4000, 10000, 0 },
	{ "zero_window", 1000, 1000, 0, 10000, 0 },
	{ "flight_across_wrap", 0xfffff000, 0x1000, 65536, 20000, 20000 - 0x2000 },
	{ "full_across_wrap", 0xffffff00, 0x100, 0x200, 0x200, 0 },
};

TOY_PARAM_DESC_FN(room_desc, struct room_case)
KUNIT_ARRAY_PARAM(room, room_cases, room_desc);

static void toy_wnd_test_send_room(struct kunit *test)
{
	const struct room_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_wnd_send_room(c->una, c->nxt, c->snd_wnd,
						c->cwnd), c->room);
}

struct select_case {
	const char *name;
	u32 capacity, used, rcv_nxt, rcv_wup, rcv_wnd;
	u32 wnd;
};

static const struct select_case select_cases[] = {
	{ "empty_buffer", 65536, 0, 1000, 1000, 0, 65536 },
	{ "half_used", 65536, 32768, 1000, 1000, 0, 32768 },
	{ "full", 65536, 65536, 1000, 1000, 0, 0 },
	{ "overcommitted", 65536, 70000, 1000, 1000, 0, 0 },
	/* promised up to 1000 + 30000; 20000 of it still unused */
	{ "never_shrink_right_edge", 65536, 60536, 11000, 1000, 30000, 20000 },
	{ "free_beyond_promise", 65536, 40536, 11000, 1000, 30000, 25000 },
	{ "promise_used_up", 65536, 65536, 31000, 1000, 30000, 0 },
	/* the sender overran the promise: nothing left to honour */
	{ "promise_overrun", 65536, 65536, 32000, 1000, 30000, 0 },
	{ "promise_across_wrap", 65536, 65536, 0x100, 0xffffff00, 0x1000,
	  0xe00 },
};

TOY_PARAM_DESC_FN(select_desc, struct select_case)
KUNIT_ARRAY_PARAM(select, select_cases, select_desc);

static void toy_wnd_test_select(struct kunit *test)
{
	const struct select_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_wnd_select(c->capacity, c->used, c->rcv_nxt,
					     c->rcv_wup, c->rcv_wnd), c->wnd);
}

struct accept_case {
	const char *name;
	u32 seq, len, rcv_nxt, wnd;
	bool ok;
};

#define NXT 5000U
#define WRAPNXT 0xfffffff0U

static const struct accept_case accept_cases[] = {
	/* RFC 793 3.3, zero-length segments */
	{ "empty_zero_wnd_at_nxt", NXT, 0, NXT, 0, true },
	{ "empty_zero_wnd_after_nxt", NXT + 1, 0, NXT, 0, false },
	{ "empty_zero_wnd_before_nxt", NXT - 1, 0, NXT, 0, false },
	{ "empty_at_nxt", NXT, 0, NXT, 100, true },
	{ "empty_at_last_byte", NXT + 99, 0, NXT, 100, true },
	{ "empty_at_right_edge", NXT + 100, 0, NXT, 100, false },
	{ "empty_before_nxt", NXT - 1, 0, NXT, 100, false },
	/* segments with data */
	{ "data_zero_wnd", NXT, 10, NXT, 0, false },
	{ "data_at_nxt", NXT, 10, NXT, 100, true },
	{ "data_entirely_old", NXT - 10, 10, NXT, 100, false },
	{ "data_overlaps_left_edge", NXT - 10, 11, NXT, 100, true },
	{ "data_last_byte_in_window", NXT + 99, 10, NXT, 100, true },
	{ "data_starts_at_right_edge", NXT + 100, 10, NXT, 100, false },
	{ "data_covers_whole_window", NXT - 5, 200, NXT, 100, true },
	{ "wrap_data_after_zero", 0x10, 10, WRAPNXT, 0x100, true },
	{ "wrap_data_old", WRAPNXT - 20, 20, WRAPNXT, 0x100, false },
	{ "wrap_empty_at_last", WRAPNXT + 0xff, 0, WRAPNXT, 0x100, true },
	{ "wrap_empty_at_edge", WRAPNXT + 0x100, 0, WRAPNXT, 0x100, false },
};

TOY_PARAM_DESC_FN(accept_desc, struct accept_case)
KUNIT_ARRAY_PARAM(accept, accept_cases, accept_desc);

static void toy_wnd_test_acceptable(struct kunit *test)
{
	const struct accept_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_wnd_acceptable(c->seq, c->seq + c->len,
						 c->rcv_nxt, c->wnd), c->ok);
}

struct update_case {
	const char *name;
	u32 old_wnd, new_wnd, mss, capacity;
	bool worth;
};

static const struct update_case update_cases[] = {
	{ "grew_one_mss", 0, 1460, 1460, 65536, true },
	{ "grew_one_byte_short", 0, 1459, 1460, 65536, false },
	{ "unchanged", 5000, 5000, 1460, 65536, false },
	{ "shrank", 5000, 1000, 1460, 65536, false },
	/* small buffer: half the capacity is enough (RFC 1122 4.2.3.3) */
	{ "small_buffer_half", 0, 1000, 1460, 2000, true },
	{ "small_buffer_under_half", 0, 999, 1460, 2000, false },
	{ "mss_below_half_capacity", 0, 1459, 1460, 4000, false },
	{ "from_nonzero", 1000, 2460, 1460, 65536, true },
	/* the sender still has over half the capacity: the next ACK will do */
	{ "plenty_left", 40000, 65536, 1460, 65536, false },
	{ "half_left_doubles", 30000, 60000, 1460, 65536, true },
	{ "half_left_not_doubled", 30000, 59999, 1460, 65536, false },
};

TOY_PARAM_DESC_FN(update_desc, struct update_case)
KUNIT_ARRAY_PARAM(update, update_cases, update_desc);

static void toy_wnd_test_update_worth(struct kunit *test)
{
	const struct update_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_wnd_update_worth(c->old_wnd, c->new_wnd,
						   c->mss, c->capacity),
			c->worth);
}

/* RFC 5961 5.2: which ACKs a blind attacker cannot get through */
struct ack_case {
	const char *name;
	u32 ack, una, max, max_wnd;
	bool ok;
};

static const struct ack_case ack_cases[] = {
	{ "at_snd_una", 1000, 1000, 5000, 4000, true },
	{ "at_snd_max", 5000, 1000, 5000, 4000, true },
	{ "between", 3000, 1000, 5000, 4000, true },
	{ "one_past_snd_max", 5001, 1000, 5000, 4000, false },
	{ "old_within_max_window", 1000 - 4000, 1000, 5000, 4000, true },
	{ "older_than_max_window", 1000 - 4001, 1000, 5000, 4000, false },
	{ "far_below", 1000 - 0x40000000, 1000, 5000, 4000, false },
	{ "far_above", 1000 + 0x40000000, 1000, 5000, 4000, false },
	{ "wraps_at_zero", 0xfffffff0, 0x10, 0x100, 0x40, true },
	{ "no_window_yet_old", 999, 1000, 1001, 0, false },
};

TOY_PARAM_DESC_FN(ack_case_desc, struct ack_case)
KUNIT_ARRAY_PARAM(ack, ack_cases, ack_case_desc);

static void toy_wnd_test_ack_acceptable(struct kunit *test)
{
	const struct ack_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_ack_acceptable(c->ack, c->una, c->max,
						 c->max_wnd), c->ok);
}

/* The window from receive memory (toy_win_from_space(), toy_rcv_ratio()) */
static void toy_wnd_test_ratio_follows_segments(struct kunit *test)
{
	u32 r = TOY_RATIO_DEFAULT;
	int i;

	/* one-byte segments pinning 1280 bytes each: the ratio collapses */
	for (i = 0; i < 64; i++)
		r = toy_rcv_ratio(r, 1, 1280);
	KUNIT_EXPECT_LT(test, r, (u32)(TOY_RATIO_ONE / 1000));
	/* and 2 MiB of memory then admits only a few KiB of such payload */
	KUNIT_EXPECT_LT(test, toy_win_from_space(2 << 20, r), 4096U);
	/* full segments in 2 KiB buffers bring it back to about 0.7 */
	for (i = 0; i < 64; i++)
		r = toy_rcv_ratio(r, 1448, 2048);
	KUNIT_EXPECT_GT(test, r, (u32)(TOY_RATIO_ONE * 6 / 10));
	KUNIT_EXPECT_LE(test, r, (u32)(TOY_RATIO_ONE * 1448 / 2048));
}

static void toy_wnd_test_ratio_edges(struct kunit *test)
{
	/* never above one byte of payload per byte of memory */
	KUNIT_EXPECT_LE(test, toy_rcv_ratio(TOY_RATIO_ONE, 5000, 100),
			(u32)TOY_RATIO_ONE);
	KUNIT_EXPECT_LE(test, toy_rcv_ratio(TOY_RATIO_ONE, 1, 0),
			(u32)TOY_RATIO_ONE);
	KUNIT_EXPECT_EQ(test, toy_win_from_space(0, TOY_RATIO_ONE), 0U);
	KUNIT_EXPECT_EQ(test, toy_win_from_space(1 << 30, TOY_RATIO_ONE),
			1U << 30);
	KUNIT_EXPECT_EQ(test, toy_win_from_space(1 << 20, TOY_RATIO_DEFAULT),
			1U << 19);
}

/* Autotuning: twice the reader's round trip, plus 16 segments, doubled. */
static void toy_wnd_test_rcvbuf_for_rate(struct kunit *test)
{
	/* an idle reader still gets room for 16 segments */
	KUNIT_EXPECT_EQ(test, toy_rcvbuf_for_rate(0, 1448, 6 << 20),
			2U * 16 * 1448);
	/* 1.25 MB a round trip (200 Mbit/s over 50 ms) */
	KUNIT_EXPECT_EQ(test, toy_rcvbuf_for_rate(1250000, 1448, 64 << 20),
			2U * (2 * 1250000 + 16 * 1448));
	/* net.toy.rmem_max caps it */
	KUNIT_EXPECT_EQ(test, toy_rcvbuf_for_rate(2000000, 1448, 6 << 20),
			6U << 20);
	/* no overflow at the top of u32 */
	KUNIT_EXPECT_EQ(test, toy_rcvbuf_for_rate(U32_MAX, U16_MAX, U32_MAX),
			U32_MAX);
}

/* The receiver's RTT: lower samples at once, higher ones by 1/8. */
static void toy_wnd_test_rcv_rtt_update(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, toy_rcv_rtt_update(0, 50000), 50000U);
	KUNIT_EXPECT_EQ(test, toy_rcv_rtt_update(50000, 40000), 40000U);
	KUNIT_EXPECT_EQ(test, toy_rcv_rtt_update(40000, 48000), 41000U);
	KUNIT_EXPECT_EQ(test, toy_rcv_rtt_update(40000, 40000), 40000U);
	/* never 0, which means "no estimate yet" */
	KUNIT_EXPECT_EQ(test, toy_rcv_rtt_update(0, 0), 1U);
	KUNIT_EXPECT_EQ(test, toy_rcv_rtt_update(7, 0), 1U);
}

static struct kunit_case toy_wnd_cases[] = {
	KUNIT_CASE_PARAM(toy_wnd_test_send_room, room_gen_params),
	KUNIT_CASE_PARAM(toy_wnd_test_select, select_gen_params),
	KUNIT_CASE_PARAM(toy_wnd_test_acceptable, accept_gen_params),
	KUNIT_CASE_PARAM(toy_wnd_test_update_worth, update_gen_params),
	KUNIT_CASE_PARAM(toy_wnd_test_ack_acceptable, ack_gen_params),
	KUNIT_CASE(toy_wnd_test_ratio_follows_segments),
	KUNIT_CASE(toy_wnd_test_ratio_edges),
	KUNIT_CASE(toy_wnd_test_rcvbuf_for_rate),
	KUNIT_CASE(toy_wnd_test_rcv_rtt_update),
	{}
};

static struct kunit_suite toy_wnd_suite = {
	.name = "toy_wnd",
	.test_cases = toy_wnd_cases,
};

kunit_test_suite(toy_wnd_suite);
