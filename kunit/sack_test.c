// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the pure SACK helpers of module/sack.h (RFC 2018).
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

static struct kunit_case toy_sack_cases[] = {
	KUNIT_CASE_PARAM(toy_sack_test_block_valid, valid_gen_params),
	KUNIT_CASE_PARAM(toy_sack_test_covers, covers_gen_params),
	{}
};

static struct kunit_suite toy_sack_suite = {
	.name = "toy_sack",
	.test_cases = toy_sack_cases,
};
kunit_test_suite(toy_sack_suite);
