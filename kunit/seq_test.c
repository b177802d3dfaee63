// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: sequence-number arithmetic modulo 2^32 (module/seq.h).
 */
#include <kunit/test.h>

#include "seq.h"
#include "toy_kunit.h"

struct seq_cmp_case {
	const char *name;
	u32 a, b;
	bool before, after;	/* a < b, a > b */
};

static const struct seq_cmp_case seq_cmp_cases[] = {
	{ "1_vs_2", 1, 2, true, false },
	{ "2_vs_1", 2, 1, false, true },
	{ "equal", 5, 5, false, false },
	{ "equal_at_max", 0xffffffff, 0xffffffff, false, false },
	{ "max_before_0_wraps", 0xffffffff, 0, true, false },
	{ "0_after_max_wraps", 0, 0xffffffff, false, true },
	{ "across_wrap_far", 0xfffffff0, 0x10, true, false },
	{ "across_wrap_far_rev", 0x10, 0xfffffff0, false, true },
	/* 2^31 - 1 apart: still ordered the short way round */
	{ "0_vs_2p31m1", 0, 0x7fffffff, true, false },
	{ "2p31m1_vs_0", 0x7fffffff, 0, false, true },
	/* 2^31 + 1 apart: the short way round is now backwards */
	{ "0_vs_2p31p1", 0, 0x80000001, false, true },
	{ "2p31p1_vs_0", 0x80000001, 0, true, false },
	/* across the sign boundary of s32 */
	{ "2p31m1_vs_2p31", 0x7fffffff, 0x80000000, true, false },
	{ "2p31_vs_2p31m1", 0x80000000, 0x7fffffff, false, true },
	{ "2p31_vs_max", 0x80000000, 0xffffffff, true, false },
};

TOY_PARAM_DESC_FN(seq_cmp_desc, struct seq_cmp_case)
KUNIT_ARRAY_PARAM(seq_cmp, seq_cmp_cases, seq_cmp_desc);

static void toy_seq_test_before_after(struct kunit *test)
{
	const struct seq_cmp_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_seq_before(c->a, c->b), c->before);
	KUNIT_EXPECT_EQ(test, toy_seq_after(c->a, c->b), c->after);
	/* the _eq forms are the strict ones plus equality */
	KUNIT_EXPECT_EQ(test, toy_seq_before_eq(c->a, c->b),
			c->before || c->a == c->b);
	KUNIT_EXPECT_EQ(test, toy_seq_after_eq(c->a, c->b),
			c->after || c->a == c->b);
}

static void toy_seq_test_max_min(struct kunit *test)
{
	const struct seq_cmp_case *c = test->param_value;
	u32 later = c->after ? c->a : c->b;
	u32 earlier = c->before ? c->a : c->b;

	KUNIT_EXPECT_EQ(test, toy_seq_max(c->a, c->b), later);
	KUNIT_EXPECT_EQ(test, toy_seq_min(c->a, c->b), earlier);
	/* symmetric */
	KUNIT_EXPECT_EQ(test, toy_seq_max(c->b, c->a), later);
	KUNIT_EXPECT_EQ(test, toy_seq_min(c->b, c->a), earlier);
}

struct seq_between_case {
	const char *name;
	u32 x, lo, hi;
	bool in;
};

static const struct seq_between_case seq_between_cases[] = {
	{ "at_lo", 5, 5, 10, true },
	{ "at_hi", 10, 5, 10, true },
	{ "inside", 7, 5, 10, true },
	{ "one_below_lo", 4, 5, 10, false },
	{ "one_above_hi", 11, 5, 10, false },
	{ "far_outside", 0x80000000, 5, 10, false },
	{ "wrap_lo_side", 0xffffffff, 0xfffffff0, 0x10, true },
	{ "wrap_zero", 0, 0xfffffff0, 0x10, true },
	{ "wrap_at_hi", 0x10, 0xfffffff0, 0x10, true },
	{ "wrap_above_hi", 0x11, 0xfffffff0, 0x10, false },
	{ "wrap_below_lo", 0xffffffef, 0xfffffff0, 0x10, false },
	{ "empty_range_hit", 42, 42, 42, true },
	{ "empty_range_miss", 43, 42, 42, false },
	/* hi = lo - 1 walks the whole circle: everything is inside */
	{ "full_circle", 0x80000000, 1, 0, true },
	{ "full_circle_lo", 1, 1, 0, true },
};

TOY_PARAM_DESC_FN(seq_between_desc, struct seq_between_case)
KUNIT_ARRAY_PARAM(seq_between, seq_between_cases, seq_between_desc);

static void toy_seq_test_between(struct kunit *test)
{
	const struct seq_between_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_seq_between(c->x, c->lo, c->hi), c->in);
}

/*
 * From every base, and in particular those next to 0 and 2^31, a forward
 * step of 1 .. 2^31-1 is "after" and a step of 2^31+1 .. 2^32-1 is "before".
 */
static void toy_seq_test_wrap_every_base(struct kunit *test)
{
	static const u32 bases[] = { 0, 1, 0x7ffffffe, 0x7fffffff, 0x80000000,
				     0x80000001, 0xfffffffe, 0xffffffff,
				     0x12345678 };
	static const u32 fwd[] = { 1, 2, 1000, 0x40000000, 0x7ffffffe,
				   0x7fffffff };
	static const u32 back[] = { 0x80000001, 0xc0000000, 0xfffffffe,
				    0xffffffff };
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		u32 a = bases[i];

		for (j = 0; j < ARRAY_SIZE(fwd); j++) {
			KUNIT_EXPECT_TRUE_MSG(test, toy_seq_before(a, a + fwd[j]),
					      "a=%#x d=%#x", a, fwd[j]);
			KUNIT_EXPECT_TRUE_MSG(test, toy_seq_after(a + fwd[j], a),
					      "a=%#x d=%#x", a, fwd[j]);
			KUNIT_EXPECT_FALSE_MSG(test, toy_seq_after(a, a + fwd[j]),
					       "a=%#x d=%#x", a, fwd[j]);
		}
		for (j = 0; j < ARRAY_SIZE(back); j++) {
			KUNIT_EXPECT_TRUE_MSG(test, toy_seq_after(a, a + back[j]),
					      "a=%#x d=%#x", a, back[j]);
			KUNIT_EXPECT_FALSE_MSG(test, toy_seq_before(a, a + back[j]),
					       "a=%#x d=%#x", a, back[j]);
		}
		KUNIT_EXPECT_TRUE(test, toy_seq_before_eq(a, a));
		KUNIT_EXPECT_TRUE(test, toy_seq_after_eq(a, a));
	}
}

static struct kunit_case toy_seq_cases[] = {
	KUNIT_CASE_PARAM(toy_seq_test_before_after, seq_cmp_gen_params),
	KUNIT_CASE_PARAM(toy_seq_test_max_min, seq_cmp_gen_params),
	KUNIT_CASE_PARAM(toy_seq_test_between, seq_between_gen_params),
	KUNIT_CASE(toy_seq_test_wrap_every_base),
	{}
};

static struct kunit_suite toy_seq_suite = {
	.name = "toy_seq",
	.test_cases = toy_seq_cases,
};

kunit_test_suite(toy_seq_suite);
