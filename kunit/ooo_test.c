// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the receiver's queues of module/ooo.c on real skbs: the
 * out-of-order queue (insert, pop at rcv_nxt, SACK runs) and message
 * reassembly on a frag_list.
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/slab.h>

#include "ooo.h"
#include "seq.h"
#include "sock.h"
#include "toy_kunit.h"

/* Offer @skb to @q; a refused segment is freed at once. */
static bool toy_test_offer_skb(struct sk_buff_head *q, struct sk_buff *skb)
{
	if (toy_ooo_insert(q, skb))
		return true;
	kfree_skb(skb);
	return false;
}

/* Offer a new segment [seq, seq + len) to @q. */
static bool toy_test_offer(struct kunit *test, struct sk_buff_head *q,
			   u32 seq, u32 len)
{
	return toy_test_offer_skb(q, toy_test_skb(test, seq, len));
}

/* Every segment starts at or before the next one (they may overlap). */
static void toy_test_expect_sorted(struct kunit *test, struct sk_buff_head *q)
{
	struct sk_buff *skb;

	skb_queue_walk(q, skb) {
		if (skb_queue_is_last(q, skb))
			break;
		KUNIT_EXPECT_TRUE(test,
				  toy_seq_before_eq(TOY_SKB_CB(skb)->seq,
						    TOY_SKB_CB(skb->next)->seq));
	}
}

/* Five segments of 100 with gaps of 50 between them, in some order. */
#define ORDER_SEGS	5
#define ORDER_STEP	150
#define ORDER_LEN	100

struct order_case {
	const char *name;
	u32 base;
	u8 order[ORDER_SEGS];
};

static const struct order_case order_cases[] = {
	{ "ascending", 1000, { 0, 1, 2, 3, 4 } },
	{ "descending", 1000, { 4, 3, 2, 1, 0 } },
	{ "middle_first", 1000, { 2, 0, 4, 1, 3 } },
	{ "highest_then_rest", 1000, { 4, 0, 1, 2, 3 } },
	/* segment 3 straddles 2^32, segment 4 lies above it */
	{ "across_wrap_ascending", 0xfffffe00, { 0, 1, 2, 3, 4 } },
	{ "across_wrap_descending", 0xfffffe00, { 4, 3, 2, 1, 0 } },
	{ "across_wrap_shuffled", 0xfffffe00, { 3, 0, 4, 2, 1 } },
};

TOY_PARAM_DESC_FN(order_desc, struct order_case)
KUNIT_ARRAY_PARAM(order, order_cases, order_desc);

static void toy_ooo_test_insert_keeps_order(struct kunit *test)
{
	const struct order_case *c = test->param_value;
	struct sk_buff_head *q = toy_test_queue(test);
	struct sk_buff *skb;
	unsigned int i;

	for (i = 0; i < ORDER_SEGS; i++)
		KUNIT_EXPECT_TRUE(test, toy_test_offer(test, q, c->base +
						       c->order[i] * ORDER_STEP,
						       ORDER_LEN));
	KUNIT_ASSERT_EQ(test, skb_queue_len(q), (u32)ORDER_SEGS);
	i = 0;
	skb_queue_walk(q, skb) {
		KUNIT_EXPECT_EQ(test, TOY_SKB_CB(skb)->seq,
				c->base + i * ORDER_STEP);
		i++;
	}
}

/* The queue holds [1000, 1100) and [1300, 1400), counted from @base. */
struct overlap_case {
	const char *name;
	u32 base, seq, len;
	bool queued;
};

/* 2^32 - 1200: the gap between the two held segments straddles 2^32 */
#define WRAP_BASE	0xfffffb50

/*
 * A copy of what is held, or a part of it, is refused; a partial overlap
 * (a retransmission re-cut after the path MTU shrank) is kept and trimmed
 * when it is popped.
 */
static const struct overlap_case overlap_cases[] = {
	{ "exact_duplicate", 0, 1000, 100, false },
	{ "duplicate_of_second", 0, 1300, 100, false },
	{ "inside", 0, 1020, 50, false },
	{ "same_start_shorter", 0, 1000, 60, false },
	{ "same_end_shorter", 0, 1040, 60, false },
	{ "overlaps_start", 0, 950, 100, true },
	{ "overlaps_end", 0, 1050, 100, true },
	{ "covers", 0, 950, 200, true },
	{ "same_start_longer", 0, 1000, 150, true },
	{ "spans_both", 0, 1050, 300, true },
	{ "one_byte_into_next", 0, 1150, 151, true },
	{ "adjacent_before", 0, 900, 100, true },
	{ "adjacent_after", 0, 1400, 100, true },
	{ "fills_gap_exactly", 0, 1100, 200, true },
	{ "inside_gap", 0, 1150, 100, true },
	{ "across_wrap_duplicate", WRAP_BASE, 1300, 100, false },
	{ "across_wrap_overlap", WRAP_BASE, 1150, 200, true },
	{ "across_wrap_inside", WRAP_BASE, 1320, 50, false },
	{ "across_wrap_fills_gap", WRAP_BASE, 1100, 200, true },
	{ "across_wrap_in_gap", WRAP_BASE, 1150, 100, true },
};

TOY_PARAM_DESC_FN(overlap_desc, struct overlap_case)
KUNIT_ARRAY_PARAM(overlap, overlap_cases, overlap_desc);

static void toy_ooo_test_insert_refuses_only_duplicates(struct kunit *test)
{
	const struct overlap_case *c = test->param_value;
	struct sk_buff_head *q = toy_test_queue(test);

	toy_test_queue_seg(test, q, c->base + 1000, 100);
	toy_test_queue_seg(test, q, c->base + 1300, 100);
	KUNIT_EXPECT_EQ(test, toy_test_offer(test, q, c->base + c->seq, c->len),
			c->queued);
	KUNIT_EXPECT_EQ(test, skb_queue_len(q), 2U + c->queued);
	toy_test_expect_sorted(test, q);
}

/* toy_ooo_pop() at @rcv_nxt gives @want (freed here), or NULL for NULL. */
static void toy_test_expect_pop(struct kunit *test, struct sk_buff_head *q,
				u32 rcv_nxt, unsigned int *dups,
				struct sk_buff *want)
{
	struct sk_buff *skb = toy_ooo_pop(q, rcv_nxt, dups);

	KUNIT_EXPECT_PTR_EQ(test, skb, want);
	kfree_skb(skb);
}

/* Only the segment at rcv_nxt leaves; a hole keeps the rest queued. */
static void toy_ooo_test_pop_only_at_rcv_nxt(struct kunit *test)
{
	struct sk_buff_head *q = toy_test_queue(test);
	struct sk_buff *a, *b;
	unsigned int dups = 0;

	toy_test_expect_pop(test, q, 100, &dups, NULL);
	a = toy_test_queue_seg(test, q, 200, 100);
	b = toy_test_queue_seg(test, q, 300, 100);
	toy_test_queue_seg(test, q, 500, 100);

	/* the hole [100, 200) is still open */
	toy_test_expect_pop(test, q, 100, &dups, NULL);
	KUNIT_EXPECT_EQ(test, skb_queue_len(q), 3U);

	toy_test_expect_pop(test, q, 200, &dups, a);
	toy_test_expect_pop(test, q, 300, &dups, b);
	/* [400, 500) is missing */
	toy_test_expect_pop(test, q, 400, &dups, NULL);
	KUNIT_EXPECT_EQ(test, skb_queue_len(q), 1U);
	KUNIT_EXPECT_EQ(test, dups, 0U);
}

/* Where the covered segments lie: below 2^32, or up to it from below. */
struct covered_case {
	const char *name;
	u32 base;
};

static const struct covered_case covered_cases[] = {
	{ "plain", 0 },
	/* 2^32 - 350: rcv_nxt = base + 400 is above 2^32, the two below not */
	{ "across_wrap", 0xfffffea2 },
};

TOY_PARAM_DESC_FN(covered_desc, struct covered_case)
KUNIT_ARRAY_PARAM(covered, covered_cases, covered_desc);

/*
 * What an in-order retransmission covered meanwhile is freed and counted;
 * "below rcv_nxt" is decided modulo 2^32.
 */
static void toy_ooo_test_pop_discards_covered(struct kunit *test)
{
	const struct covered_case *c = test->param_value;
	struct sk_buff_head *q = toy_test_queue(test);
	u32 base = c->base;
	struct sk_buff *at;
	unsigned int dups = 0;

	toy_test_queue_seg(test, q, base + 200, 100);
	toy_test_queue_seg(test, q, base + 300, 100);
	at = toy_test_queue_seg(test, q, base + 400, 100);
	toy_test_queue_seg(test, q, base + 600, 100);

	/* all of them above rcv_nxt */
	toy_test_expect_pop(test, q, base + 100, &dups, NULL);
	KUNIT_EXPECT_EQ(test, skb_queue_len(q), 4U);

	toy_test_expect_pop(test, q, base + 400, &dups, at);
	KUNIT_EXPECT_EQ(test, dups, 2U);
	KUNIT_EXPECT_EQ(test, skb_queue_len(q), 1U);

	/* covered, and nothing at rcv_nxt: the queue empties */
	toy_test_expect_pop(test, q, base + 800, &dups, NULL);
	KUNIT_EXPECT_EQ(test, dups, 3U);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(q));
}

/*
 * Two overlapping segments come out as one stream: the second trimmed to
 * start where the first ended, its bytes the right ones.
 */
static void toy_ooo_test_pop_trims_overlap(struct kunit *test)
{
	struct sk_buff_head *q = toy_test_queue(test);
	struct sk_buff *a, *b;
	unsigned int dups = 0;

	/* arrival order: the re-cut one first */
	KUNIT_ASSERT_TRUE(test, toy_test_offer(test, q, 0xffffffc0, 200));
	a = toy_test_skb(test, 0xffffff80, 100);
	KUNIT_ASSERT_TRUE(test, toy_test_offer_skb(q, a));
	toy_test_expect_sorted(test, q);

	toy_test_expect_pop(test, q, 0xffffff80, &dups, a);
	b = toy_ooo_pop(q, 0xffffff80 + 100, &dups);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, TOY_SKB_CB(b)->seq, 0xffffff80 + 100);
	KUNIT_EXPECT_EQ(test, TOY_SKB_CB(b)->end_seq, 0xffffffc0 + 200);
	KUNIT_EXPECT_EQ(test, b->len, 200U - 36U);
	KUNIT_EXPECT_EQ(test, b->data[0], toy_test_byte(0xffffff80 + 100));
	KUNIT_EXPECT_EQ(test, dups, 0U);
	kfree_skb(b);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(q));
}

/* A segment inside one that was popped before it is freed, as a copy. */
static void toy_ooo_test_pop_frees_what_an_overlap_covered(struct kunit *test)
{
	struct sk_buff_head *q = toy_test_queue(test);
	struct sk_buff *a;
	unsigned int dups = 0;

	a = toy_test_skb(test, 100, 200);
	KUNIT_ASSERT_TRUE(test, toy_test_offer(test, q, 150, 200));
	KUNIT_ASSERT_TRUE(test, toy_test_offer_skb(q, a));
	/* [150, 350) is cut to [300, 350) behind [100, 300) */
	toy_test_expect_pop(test, q, 100, &dups, a);
	a = toy_ooo_pop(q, 300, &dups);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, a->len, 50U);
	kfree_skb(a);
	/* and one wholly below rcv_nxt by then is only counted */
	KUNIT_ASSERT_TRUE(test, toy_test_offer(test, q, 360, 20));
	KUNIT_ASSERT_TRUE(test, toy_test_offer(test, q, 370, 40));
	toy_test_expect_pop(test, q, 420, &dups, NULL);
	KUNIT_EXPECT_EQ(test, dups, 2U);
}

/* What lies below rcv_nxt goes, with the seq; the payload stays intact. */
static void toy_ooo_test_trim_front_keeps_the_new_bytes(struct kunit *test)
{
	struct sk_buff *skb = toy_test_skb(test, 1000, 100);
	u32 i;

	TOY_SKB_CB(skb)->flags = TOY_F_EOM;
	KUNIT_ASSERT_TRUE(test, toy_seg_trim_front(skb, 1064));
	KUNIT_EXPECT_EQ(test, TOY_SKB_CB(skb)->seq, 1064U);
	KUNIT_EXPECT_EQ(test, TOY_SKB_CB(skb)->end_seq, 1100U);
	KUNIT_EXPECT_EQ(test, TOY_SKB_CB(skb)->flags, (u8)TOY_F_EOM);
	KUNIT_ASSERT_EQ(test, skb->len, 36U);
	for (i = 0; i < skb->len; i++)
		KUNIT_EXPECT_EQ(test, skb->data[i], toy_test_byte(1064 + i));
	kfree_skb(skb);
}

/*
 * A stream that arrives shuffled, with copies, across 2^32, comes out
 * whole and in order: every arrival offered to the queue, then popped
 * from rcv_nxt on as input.c drains it.
 */
static void toy_ooo_test_insert_pop_stream(struct kunit *test)
{
	/* segment i is [base + 50 i, base + 50 (i + 1)); 0 fills the hole */
	static const u8 arrival[] = { 3, 1, 3, 5, 2, 1, 4, 5, 0 };
	struct sk_buff_head *q = toy_test_queue(test);
	u32 base = 0xffffff80, rcv_nxt = base;
	unsigned int i, refused = 0, dups = 0, n = 0;
	struct sk_buff *skb;

	for (i = 0; i < ARRAY_SIZE(arrival); i++)
		refused += !toy_test_offer(test, q, base + 50 * arrival[i], 50);
	KUNIT_EXPECT_EQ(test, refused, 3U);
	toy_test_expect_sorted(test, q);

	/* bounded, in case a broken pop keeps giving segments */
	while (n < ARRAY_SIZE(arrival) &&
	       (skb = toy_ooo_pop(q, rcv_nxt, &dups))) {
		KUNIT_EXPECT_EQ(test, TOY_SKB_CB(skb)->seq, base + 50 * n);
		rcv_nxt = TOY_SKB_CB(skb)->end_seq;
		kfree_skb(skb);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 6U);
	KUNIT_EXPECT_EQ(test, rcv_nxt, base + 300);
	KUNIT_EXPECT_EQ(test, dups, 0U);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(q));
}

/*
 * A FIN carries no byte but takes a sequence number: it queues, refuses a
 * copy or data over it, and pops, by its sequence numbers alone.
 */
static void toy_ooo_test_fin_takes_a_sequence_number(struct kunit *test)
{
	struct sk_buff_head *q = toy_test_queue(test);
	struct sk_buff *data, *fin, *copy;
	unsigned int dups = 0;

	fin = toy_test_skb(test, 1100, 0);
	TOY_SKB_CB(fin)->end_seq = 1101;
	TOY_SKB_CB(fin)->flags = TOY_F_FIN;
	copy = skb_clone(fin, GFP_KERNEL);
	if (!copy)
		kfree_skb(fin);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_EXPECT_TRUE(test, toy_test_offer_skb(q, fin));
	KUNIT_EXPECT_FALSE(test, toy_test_offer_skb(q, copy));
	KUNIT_EXPECT_FALSE(test, toy_test_offer(test, q, 1100, 50));

	data = toy_test_skb(test, 1000, 100);
	KUNIT_EXPECT_TRUE(test, toy_test_offer_skb(q, data));
	toy_test_expect_pop(test, q, 1000, &dups, data);
	toy_test_expect_pop(test, q, 1100, &dups, fin);
	KUNIT_EXPECT_EQ(test, dups, 0U);
}

#define RUNS_MAX_SEGS	8

struct sack_runs_case {
	const char *name;
	struct toy_sack_block segs[RUNS_MAX_SEGS];	/* on the queue */
	unsigned int nr_segs;
	u32 latest;
	unsigned int max;
	struct toy_sack_block want[TOY_SACK_MAX_BLOCKS];
	unsigned int nr_want;
};

/* six runs of one segment each, 100 apart */
#define R0 { 100, 200 }
#define R1 { 300, 400 }
#define R2 { 500, 600 }
#define R3 { 700, 800 }
#define R4 { 900, 1000 }
#define R5 { 1100, 1200 }

static const struct sack_runs_case sack_runs_cases[] = {
	{ "empty", {}, 0, 0, 4, {}, 0 },
	{ "one_segment", { R0 }, 1, 100, 4, { R0 }, 1 },
	{ "adjacent_merge", { { 100, 200 }, { 200, 300 }, { 300, 350 } }, 3,
	  300, 4, { { 100, 350 } }, 1 },
	{ "one_byte_gap_splits", { { 100, 200 }, { 201, 300 } }, 2,
	  100, 4, { { 100, 200 }, { 201, 300 } }, 2 },
	{ "latest_run_first", { R0, R1, R2 }, 3, 550, 4, { R2, R0, R1 }, 3 },
	{ "latest_in_merged_run", { R0, { 300, 400 }, { 400, 500 } }, 3,
	  400, 4, { { 300, 500 }, R0 }, 2 },
	{ "four_runs_fit", { R0, R1, R2, R3 }, 4, 700, 4,
	  { R3, R0, R1, R2 }, 4 },
	/* more runs than blocks: the lowest, with the newest one first */
	{ "latest_low_keeps_lowest", { R0, R1, R2, R3, R4, R5 }, 6,
	  350, 4, { R1, R0, R2, R3 }, 4 },
	{ "latest_in_fifth_run", { R0, R1, R2, R3, R4, R5 }, 6,
	  950, 4, { R4, R0, R1, R2 }, 4 },
	{ "latest_in_last_run", { R0, R1, R2, R3, R4, R5 }, 6,
	  1150, 4, { R5, R0, R1, R2 }, 4 },
	{ "three_beside_timestamps", { R0, R1, R2, R3, R4, R5 }, 6,
	  1150, 3, { R5, R0, R1 }, 3 },
	{ "max_above_four_is_four", { R0, R1, R2, R3, R4, R5 }, 6,
	  1150, 8, { R5, R0, R1, R2 }, 4 },
	{ "across_wrap_merge",
	  { { 0xffffffc0, 0xfffffff0 }, { 0xfffffff0, 0x20 }, { 0x40, 0x60 } },
	  3, 0x40, 4, { { 0x40, 0x60 }, { 0xffffffc0, 0x20 } }, 2 },
	{ "across_wrap_latest_in_last_run",
	  { { 0xfffffd00, 0xfffffd80 }, { 0xfffffe00, 0xfffffe80 },
	    { 0xffffff00, 0xffffff80 }, { 0xffffffc0, 0x40 }, { 0x100, 0x180 },
	    { 0x200, 0x280 } }, 6,
	  0x200, 4, { { 0x200, 0x280 }, { 0xfffffd00, 0xfffffd80 },
		      { 0xfffffe00, 0xfffffe80 }, { 0xffffff00, 0xffffff80 } },
	  4 },
};

TOY_PARAM_DESC_FN(sack_runs_desc, struct sack_runs_case)
KUNIT_ARRAY_PARAM(sack_runs, sack_runs_cases, sack_runs_desc);

static void toy_ooo_test_sack_runs(struct kunit *test)
{
	const struct sack_runs_case *c = test->param_value;
	struct sk_buff_head *q = toy_test_queue(test);
	/* room beyond TOY_SACK_MAX_BLOCKS: writing there is a bug to see */
	struct toy_sack_block got[RUNS_MAX_SEGS] = {};
	unsigned int i, n;

	for (i = 0; i < c->nr_segs; i++)
		toy_test_queue_seg(test, q, c->segs[i].start,
				   c->segs[i].end - c->segs[i].start);
	n = toy_ooo_sack_runs(q, c->latest, got, c->max);
	KUNIT_ASSERT_EQ(test, n, c->nr_want);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, got[i].start, c->want[i].start,
				    "block %u", i);
		KUNIT_EXPECT_EQ_MSG(test, got[i].end, c->want[i].end,
				    "block %u", i);
	}
	for (; i < ARRAY_SIZE(got); i++)
		KUNIT_EXPECT_EQ(test, got[i].start | got[i].end, 0U);
	/* describing the queue leaves it as it was */
	KUNIT_EXPECT_EQ(test, skb_queue_len(q), c->nr_segs);
}

static struct kunit_case toy_ooo_cases[] = {
	KUNIT_CASE_PARAM(toy_ooo_test_insert_keeps_order, order_gen_params),
	KUNIT_CASE_PARAM(toy_ooo_test_insert_refuses_only_duplicates,
			 overlap_gen_params),
	KUNIT_CASE(toy_ooo_test_pop_trims_overlap),
	KUNIT_CASE(toy_ooo_test_pop_frees_what_an_overlap_covered),
	KUNIT_CASE(toy_ooo_test_trim_front_keeps_the_new_bytes),
	KUNIT_CASE(toy_ooo_test_pop_only_at_rcv_nxt),
	KUNIT_CASE_PARAM(toy_ooo_test_pop_discards_covered,
			 covered_gen_params),
	KUNIT_CASE(toy_ooo_test_insert_pop_stream),
	KUNIT_CASE(toy_ooo_test_fin_takes_a_sequence_number),
	KUNIT_CASE_PARAM(toy_ooo_test_sack_runs, sack_runs_gen_params),
	{}
};

static struct kunit_suite toy_ooo_suite = {
	.name = "toy_ooo",
	.test_cases = toy_ooo_cases,
};

kunit_test_suite(toy_ooo_suite);

/* A struct toy_reasm whose partial message is dropped when the case ends. */
static int toy_test_reasm_init(struct kunit_resource *res, void *context)
{
	struct toy_reasm *r = kzalloc(sizeof(*r), GFP_KERNEL);

	res->data = r;
	return r ? 0 : -ENOMEM;
}

static void toy_test_reasm_free(struct kunit_resource *res)
{
	toy_reasm_reset(res->data);
	kfree(res->data);
}

static struct toy_reasm *toy_test_reasm(struct kunit *test)
{
	struct toy_reasm *r;

	r = kunit_alloc_resource(test, toy_test_reasm_init,
				 toy_test_reasm_free, GFP_KERNEL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	return r;
}

/*
 * Add segments of @lens bytes from @seq on, one after the other; @segs, if
 * given, gets them.
 */
static void toy_test_reasm_fill(struct kunit *test, struct toy_reasm *r,
				u32 seq, const u32 *lens, unsigned int n,
				struct sk_buff **segs)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct sk_buff *skb = toy_test_skb(test, seq, lens[i]);

		toy_reasm_add(r, skb);
		if (segs)
			segs[i] = skb;
		seq += lens[i];
	}
}

/* The first segment is the message itself, nothing chained yet. */
static void toy_reasm_test_first_segment_is_head(struct kunit *test)
{
	struct toy_reasm *r = toy_test_reasm(test);
	struct sk_buff *a = toy_test_skb(test, 1000, 100);

	toy_reasm_add(r, a);
	KUNIT_EXPECT_PTR_EQ(test, r->head, a);
	KUNIT_EXPECT_EQ(test, r->len, 100U);
	KUNIT_EXPECT_NULL(test, skb_shinfo(a)->frag_list);
	KUNIT_EXPECT_EQ(test, a->len, 100U);
	KUNIT_EXPECT_EQ(test, a->data_len, 0U);
}

/* Later segments hang off the head's frag_list, in order. */
static void toy_reasm_test_chains_frag_list(struct kunit *test)
{
	static const u32 lens[] = { 100, 37, 250 };
	struct toy_reasm *r = toy_test_reasm(test);
	struct sk_buff *seg[ARRAY_SIZE(lens)], *a, *b, *c;

	toy_test_reasm_fill(test, r, 1000, lens, ARRAY_SIZE(lens), seg);
	a = seg[0];
	b = seg[1];
	c = seg[2];
	KUNIT_EXPECT_PTR_EQ(test, r->head, a);
	KUNIT_EXPECT_PTR_EQ(test, r->tail, c);
	KUNIT_EXPECT_PTR_EQ(test, skb_shinfo(a)->frag_list, b);
	KUNIT_EXPECT_PTR_EQ(test, b->next, c);
	KUNIT_EXPECT_NULL(test, c->next);
	KUNIT_EXPECT_EQ(test, r->len, 387U);
	KUNIT_EXPECT_EQ(test, a->len, 387U);
	/* what lies beyond the head's own linear bytes */
	KUNIT_EXPECT_EQ(test, a->data_len, 287U);
	KUNIT_EXPECT_EQ(test, skb_headlen(a), 100U);
}

/* The message reads back as one stream, byte for byte in order. */
static void toy_reasm_test_bytes_in_order(struct kunit *test)
{
	static const u32 lens[] = { 100, 37, 250, 1, 300 };
	struct toy_reasm *r = toy_test_reasm(test);
	u32 seq = 0xffffff00, total = 0, i;
	struct sk_buff *msg;
	u8 *buf;

	toy_test_reasm_fill(test, r, seq, lens, ARRAY_SIZE(lens), NULL);
	for (i = 0; i < ARRAY_SIZE(lens); i++)
		total += lens[i];
	KUNIT_ASSERT_EQ(test, r->len, total);
	msg = toy_reasm_take(r);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	buf = kunit_kzalloc(test, total, GFP_KERNEL);
	if (!buf)
		kfree_skb(msg);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, msg->len, total);
	KUNIT_EXPECT_EQ(test, skb_copy_bits(msg, 0, buf, total), 0);
	for (i = 0; i < total; i++) {
		if (buf[i] != toy_test_byte(seq + i)) {
			KUNIT_FAIL(test, "byte %u is %#x, want %#x", i, buf[i],
				   toy_test_byte(seq + i));
			break;
		}
	}
	kfree_skb(msg);
}

/* Taking the message empties the reassembly; the next one starts afresh. */
static void toy_reasm_test_take_starts_afresh(struct kunit *test)
{
	struct toy_reasm *r = toy_test_reasm(test);
	struct sk_buff *a = toy_test_skb(test, 1000, 100);
	struct sk_buff *b = toy_test_skb(test, 1100, 50);
	struct sk_buff *c = toy_test_skb(test, 1150, 70);
	struct sk_buff *msg;

	KUNIT_EXPECT_NULL(test, toy_reasm_take(r));
	toy_reasm_add(r, a);
	toy_reasm_add(r, b);
	msg = toy_reasm_take(r);
	KUNIT_EXPECT_PTR_EQ(test, msg, a);
	KUNIT_EXPECT_NULL(test, r->head);
	KUNIT_EXPECT_NULL(test, r->tail);
	KUNIT_EXPECT_EQ(test, r->len, 0U);
	kfree_skb(msg);

	toy_reasm_add(r, c);
	KUNIT_EXPECT_PTR_EQ(test, r->head, c);
	KUNIT_EXPECT_EQ(test, r->len, 70U);
	KUNIT_EXPECT_EQ(test, c->len, 70U);
	KUNIT_EXPECT_NULL(test, skb_shinfo(c)->frag_list);
}

/* Reset drops the partial message with every segment chained to it. */
static void toy_reasm_test_reset_frees_chain(struct kunit *test)
{
	static const u32 lens[] = { 100, 100, 100 };
	struct toy_reasm *r = toy_test_reasm(test);
	struct sk_buff *seg[ARRAY_SIZE(lens)], *c;

	toy_test_reasm_fill(test, r, 1000, lens, ARRAY_SIZE(lens), seg);
	c = seg[2];
	/* hold the last segment to see the reset let go of it */
	skb_get(c);
	toy_reasm_reset(r);
	KUNIT_EXPECT_NULL(test, r->head);
	KUNIT_EXPECT_NULL(test, r->tail);
	KUNIT_EXPECT_EQ(test, r->len, 0U);
	KUNIT_EXPECT_EQ(test, refcount_read(&c->users), 1U);
	kfree_skb(c);
	/* resetting nothing is harmless */
	toy_reasm_reset(r);
	KUNIT_EXPECT_NULL(test, r->head);
}

static struct kunit_case toy_reasm_cases[] = {
	KUNIT_CASE(toy_reasm_test_first_segment_is_head),
	KUNIT_CASE(toy_reasm_test_chains_frag_list),
	KUNIT_CASE(toy_reasm_test_bytes_in_order),
	KUNIT_CASE(toy_reasm_test_take_starts_afresh),
	KUNIT_CASE(toy_reasm_test_reset_frees_chain),
	{}
};

static struct kunit_suite toy_reasm_suite = {
	.name = "toy_reasm",
	.test_cases = toy_reasm_cases,
};

kunit_test_suite(toy_reasm_suite);
