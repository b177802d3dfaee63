// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the AF_TOY segment header (module/wire.c): validation, option
 * encoding and decoding, checksum.
 */
#include <kunit/test.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <uapi/linux/toy.h>

#include "wire.h"
#include "toy_kunit.h"

#define SEG_BUF 256

/*
 * 32-bit value as four big-endian bytes, for option tables. A list for an
 * initializer, so it cannot take the parentheses checkpatch asks for.
 */
#define B32(x) (u8)((u32)(x) >> 24), (u8)((u32)(x) >> 16), \
	       (u8)((u32)(x) >> 8), (u8)(x)

/*
 * Lay out a segment in @buf: fixed header with @flags, @olen bytes of
 * options (a multiple of 4), @payload bytes of a byte pattern. Returns the
 * segment length.
 */
static unsigned int seg_build(u8 *buf, u8 flags, const u8 *opts,
			      unsigned int olen, unsigned int payload)
{
	struct toy_hdr *th = (struct toy_hdr *)buf;
	unsigned int i;

	memset(buf, 0, SEG_BUF);
	th->source = htons(40000);
	th->dest = htons(7000);
	th->seq = htonl(0x01020304);
	th->ack_seq = htonl(0xa0b0c0d0);
	th->doff = (TOY_HDR_LEN + olen) / 4;
	th->flags = flags;
	th->window = htonl(65536);
	memcpy(buf + TOY_HDR_LEN, opts, olen);
	for (i = 0; i < payload; i++)
		buf[TOY_HDR_LEN + olen + i] = (u8)(i * 7 + 3);
	return TOY_HDR_LEN + olen + payload;
}

static void toy_wire_test_hdr_layout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct toy_hdr), (size_t)TOY_HDR_LEN);
	KUNIT_EXPECT_EQ(test, offsetof(struct toy_hdr, seq), (size_t)4);
	KUNIT_EXPECT_EQ(test, offsetof(struct toy_hdr, ack_seq), (size_t)8);
	KUNIT_EXPECT_EQ(test, offsetof(struct toy_hdr, doff), (size_t)12);
	KUNIT_EXPECT_EQ(test, offsetof(struct toy_hdr, flags), (size_t)13);
	KUNIT_EXPECT_EQ(test, offsetof(struct toy_hdr, check), (size_t)14);
	KUNIT_EXPECT_EQ(test, offsetof(struct toy_hdr, window), (size_t)16);
	KUNIT_EXPECT_EQ(test, TOY_OPT_SPACE, 40);
	/* the largest SACK option (4 blocks, 2 NOPs) fits the option space */
	KUNIT_EXPECT_LE(test, 2 + 2 + 8 * TOY_SACK_MAX_BLOCKS, TOY_OPT_SPACE);
}

static void toy_wire_test_opts_len(struct kunit *test)
{
	struct toy_opts o = {};

	KUNIT_EXPECT_EQ(test, toy_opts_len(&o, true), 0U);
	KUNIT_EXPECT_EQ(test, toy_opts_len(&o, false), 0U);
	o.mss = 1460;
	KUNIT_EXPECT_EQ(test, toy_opts_len(&o, true), 4U);
	/* MSS only ever rides on a SYN */
	KUNIT_EXPECT_EQ(test, toy_opts_len(&o, false), 0U);
	o.mss = 0;
	o.nr_sack = 1;
	KUNIT_EXPECT_EQ(test, toy_opts_len(&o, false), 12U);
	/* SACK never rides on a SYN */
	KUNIT_EXPECT_EQ(test, toy_opts_len(&o, true), 0U);
	o.nr_sack = 3;
	KUNIT_EXPECT_EQ(test, toy_opts_len(&o, false), 28U);
	o.nr_sack = 4;
	KUNIT_EXPECT_EQ(test, toy_opts_len(&o, false), 36U);
	/* more blocks than fit are not counted */
	o.nr_sack = 9;
	KUNIT_EXPECT_EQ(test, toy_opts_len(&o, false), 36U);
}

static void toy_wire_test_opts_write_mss_bytes(struct kunit *test)
{
	static const u8 want[] = { TOY_OPT_MSS, 4, 0x05, 0xb4 };
	struct toy_opts o = { .mss = 1460 };
	u8 p[TOY_OPT_SPACE];

	memset(p, 0xee, sizeof(p));
	toy_opts_write(p, &o, true);
	KUNIT_EXPECT_EQ(test, memcmp(p, want, sizeof(want)), 0);
	/* nothing beyond toy_opts_len() is touched */
	KUNIT_EXPECT_EQ(test, p[4], 0xee);
}

static void toy_wire_test_opts_write_sack_bytes(struct kunit *test)
{
	/* two NOPs first so the block words are 32-bit aligned */
	static const u8 want[] = {
		TOY_OPT_NOP, TOY_OPT_NOP, TOY_OPT_SACK, 18,
		B32(0x11223344), B32(0x11223a00),
		B32(0xfffffff0), B32(0x00000010),
	};
	struct toy_opts o = { .nr_sack = 2, .sack = {
		{ 0x11223344, 0x11223a00 }, { 0xfffffff0, 0x10 } } };
	u8 p[TOY_OPT_SPACE];

	memset(p, 0xee, sizeof(p));
	toy_opts_write(p, &o, false);
	KUNIT_EXPECT_EQ(test, memcmp(p, want, sizeof(want)), 0);
	KUNIT_EXPECT_EQ(test, p[sizeof(want)], 0xee);
}

static const u16 mss_values[] = { TOY_MIN_MSS, 536, 1000, 1460, 8960, 65535 };

static void mss_desc(const u16 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "mss_%u", *v);
}

KUNIT_ARRAY_PARAM(mss, mss_values, mss_desc);

static void toy_wire_test_opts_roundtrip_mss(struct kunit *test)
{
	const u16 *mss = test->param_value;
	struct toy_opts o = { .mss = *mss }, got;
	u8 opt[TOY_OPT_SPACE], buf[SEG_BUF] __aligned(8);
	unsigned int olen = toy_opts_len(&o, true), len;

	KUNIT_ASSERT_EQ(test, olen, 4U);
	toy_opts_write(opt, &o, true);
	len = seg_build(buf, TOY_F_SYN, opt, olen, 0);
	KUNIT_ASSERT_EQ(test, toy_hdr_parse((void *)buf, len, &got), TOY_HDR_OK);
	KUNIT_EXPECT_EQ(test, got.mss, *mss);
	KUNIT_EXPECT_EQ(test, got.nr_sack, 0);
	/* and on a SYN-ACK */
	len = seg_build(buf, TOY_F_SYN | TOY_F_ACK, opt, olen, 0);
	KUNIT_ASSERT_EQ(test, toy_hdr_parse((void *)buf, len, &got), TOY_HDR_OK);
	KUNIT_EXPECT_EQ(test, got.mss, *mss);
}

struct sack_rt_case {
	const char *name;
	u8 nr;			/* blocks given to the writer */
	u8 want_nr;		/* blocks the parser must see */
	struct toy_sack_block b[TOY_SACK_MAX_BLOCKS];
	u16 payload;
	u8 flags;
};

static const struct sack_rt_case sack_rt_cases[] = {
	{ "one_block", 1, 1, { { 1000, 2000 } }, 0, TOY_F_ACK },
	{ "two_blocks", 2, 2, { { 1000, 2000 }, { 3000, 4500 } }, 0, TOY_F_ACK },
	{ "three_blocks_wrap", 3, 3,
	  { { 0xfffff000, 0x100 }, { 0x200, 0x300 }, { 0x7fffff00, 0x80000100 } },
	  0, TOY_F_ACK },
	{ "four_blocks_with_data", 4, 4,
	  { { 10, 20 }, { 30, 40 }, { 50, 60 }, { 0xffffffff, 0 } },
	  100, TOY_F_ACK | TOY_F_EOM },
	{ "four_blocks_on_fin", 4, 4,
	  { { 10, 20 }, { 30, 40 }, { 50, 60 }, { 70, 80 } }, 0,
	  TOY_F_ACK | TOY_F_FIN },
	/* the writer clamps to what fits; the struct holds at most 4 */
	{ "nr_above_max_clamped", 200, 4,
	  { { 10, 20 }, { 30, 40 }, { 50, 60 }, { 70, 80 } }, 0, TOY_F_ACK },
};

TOY_PARAM_DESC_FN(sack_rt_desc, struct sack_rt_case)
KUNIT_ARRAY_PARAM(sack_rt, sack_rt_cases, sack_rt_desc);

static void toy_wire_test_opts_roundtrip_sack(struct kunit *test)
{
	const struct sack_rt_case *c = test->param_value;
	struct toy_opts o = { .nr_sack = c->nr }, got;
	u8 opt[TOY_OPT_SPACE], buf[SEG_BUF] __aligned(8);
	unsigned int olen, len, i;

	memcpy(o.sack, c->b, sizeof(o.sack));
	olen = toy_opts_len(&o, false);
	KUNIT_ASSERT_EQ(test, olen, 4U + 8U * c->want_nr);
	toy_opts_write(opt, &o, false);
	len = seg_build(buf, c->flags, opt, olen, c->payload);
	KUNIT_ASSERT_EQ(test, toy_hdr_parse((void *)buf, len, &got), TOY_HDR_OK);
	KUNIT_EXPECT_EQ(test, got.mss, 0);
	KUNIT_ASSERT_EQ(test, got.nr_sack, c->want_nr);
	for (i = 0; i < c->want_nr; i++) {
		KUNIT_EXPECT_EQ_MSG(test, got.sack[i].start, c->b[i].start,
				    "block %u", i);
		KUNIT_EXPECT_EQ_MSG(test, got.sack[i].end, c->b[i].end,
				    "block %u", i);
	}
}

static void toy_wire_test_parse_too_short(struct kunit *test)
{
	u8 buf[SEG_BUF] __aligned(8);
	struct toy_opts got;
	unsigned int len;

	seg_build(buf, TOY_F_ACK, NULL, 0, 0);
	for (len = 0; len < TOY_HDR_LEN; len++)
		KUNIT_EXPECT_EQ_MSG(test, toy_hdr_parse((void *)buf, len, &got),
				    TOY_HDR_SHORT, "len %u", len);
	KUNIT_EXPECT_EQ(test, toy_hdr_parse((void *)buf, TOY_HDR_LEN, &got),
			TOY_HDR_OK);
}

struct doff_case {
	const char *name;
	u8 doff;
	u16 len;		/* whole segment */
	u8 flags;
	enum toy_hdr_verdict v;
};

static const struct doff_case doff_cases[] = {
	{ "doff_0", 0, 20, TOY_F_ACK, TOY_HDR_BADLEN },
	{ "doff_1", 1, 20, TOY_F_ACK, TOY_HDR_BADLEN },
	{ "doff_4", 4, 20, TOY_F_ACK, TOY_HDR_BADLEN },
	{ "doff_4_with_room", 4, 100, TOY_F_ACK | TOY_F_EOM, TOY_HDR_BADLEN },
	{ "doff_5_exact", 5, 20, TOY_F_ACK, TOY_HDR_OK },
	{ "doff_6_one_short", 6, 23, TOY_F_ACK, TOY_HDR_BADLEN },
	{ "doff_6_exact", 6, 24, TOY_F_ACK, TOY_HDR_OK },
	{ "doff_15_exact", 15, 60, TOY_F_ACK, TOY_HDR_OK },
	{ "doff_15_one_short", 15, 59, TOY_F_ACK, TOY_HDR_BADLEN },
	/*
	 * wire.h: the header is at most TOY_HDR_MAX_LEN (60) bytes, "doff is
	 * at most 15 words". A larger doff must be refused even when the
	 * segment is long enough to hold it.
	 */
	{ "doff_16_beyond_max_hdr", 16, 200, TOY_F_ACK | TOY_F_EOM,
	  TOY_HDR_BADLEN },
	{ "doff_255_beyond_max_hdr", 255, 1100, TOY_F_ACK | TOY_F_EOM,
	  TOY_HDR_BADLEN },
	{ "doff_255_beyond_segment", 255, 1000, TOY_F_ACK | TOY_F_EOM,
	  TOY_HDR_BADLEN },
};

TOY_PARAM_DESC_FN(doff_desc, struct doff_case)
KUNIT_ARRAY_PARAM(doff, doff_cases, doff_desc);

static void toy_wire_test_parse_doff(struct kunit *test)
{
	const struct doff_case *c = test->param_value;
	u8 *buf = kunit_kmalloc(test, c->len, GFP_KERNEL);
	struct toy_hdr *th = (struct toy_hdr *)buf;
	struct toy_opts got;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* options and payload all NOPs: only the length can be wrong */
	memset(buf, TOY_OPT_NOP, c->len);
	th->doff = c->doff;
	th->flags = c->flags;
	KUNIT_EXPECT_EQ(test, toy_hdr_parse(th, c->len, &got), c->v);
}

struct flags_case {
	const char *name;
	u8 flags;
	u16 payload;
	enum toy_hdr_verdict v;
};

static const struct flags_case flags_cases[] = {
	{ "syn", TOY_F_SYN, 0, TOY_HDR_OK },
	{ "syn_ack", TOY_F_SYN | TOY_F_ACK, 0, TOY_HDR_OK },
	{ "syn_fin", TOY_F_SYN | TOY_F_FIN, 0, TOY_HDR_BADFLAGS },
	{ "syn_ack_fin", TOY_F_SYN | TOY_F_ACK | TOY_F_FIN, 0, TOY_HDR_BADFLAGS },
	{ "syn_rst", TOY_F_SYN | TOY_F_RST, 0, TOY_HDR_BADFLAGS },
	{ "syn_eom", TOY_F_SYN | TOY_F_EOM, 0, TOY_HDR_BADFLAGS },
	{ "syn_with_payload", TOY_F_SYN, 1, TOY_HDR_BADFLAGS },
	{ "syn_ack_with_payload", TOY_F_SYN | TOY_F_ACK, 100, TOY_HDR_BADFLAGS },
	{ "syn_eom_with_payload", TOY_F_SYN | TOY_F_EOM, 100, TOY_HDR_BADFLAGS },
	{ "pure_ack", TOY_F_ACK, 0, TOY_HDR_OK },
	{ "ack_fin", TOY_F_ACK | TOY_F_FIN, 0, TOY_HDR_OK },
	{ "ack_eom_data", TOY_F_ACK | TOY_F_EOM, 10, TOY_HDR_OK },
	{ "ack_eom_one_byte", TOY_F_ACK | TOY_F_EOM, 1, TOY_HDR_OK },
	{ "ack_fin_eom_data", TOY_F_ACK | TOY_F_FIN | TOY_F_EOM, 10, TOY_HDR_OK },
	/*
	 * wire.h: a message may be split over several segments; only the
	 * last carries EOM. So data without EOM is valid.
	 */
	{ "ack_data_mid_message", TOY_F_ACK, 100, TOY_HDR_OK },
	{ "ack_eom_without_data", TOY_F_ACK | TOY_F_EOM, 0, TOY_HDR_BADFLAGS },
	{ "no_flags", 0, 0, TOY_HDR_BADFLAGS },
	{ "fin_without_ack", TOY_F_FIN, 0, TOY_HDR_BADFLAGS },
	{ "data_without_ack", TOY_F_EOM, 10, TOY_HDR_BADFLAGS },
	{ "data_without_any_flag", 0, 10, TOY_HDR_BADFLAGS },
	{ "rst", TOY_F_RST, 0, TOY_HDR_OK },
	{ "rst_ack", TOY_F_RST | TOY_F_ACK, 0, TOY_HDR_OK },
	{ "rst_fin", TOY_F_RST | TOY_F_ACK | TOY_F_FIN, 0, TOY_HDR_BADFLAGS },
	{ "rst_eom", TOY_F_RST | TOY_F_ACK | TOY_F_EOM, 0, TOY_HDR_BADFLAGS },
	{ "rst_with_payload", TOY_F_RST | TOY_F_ACK, 4, TOY_HDR_BADFLAGS },
	{ "reserved_0x20", TOY_F_ACK | 0x20, 0, TOY_HDR_BADFLAGS },
	{ "reserved_0x40", TOY_F_ACK | 0x40, 0, TOY_HDR_BADFLAGS },
	{ "reserved_0x80", TOY_F_ACK | 0x80, 0, TOY_HDR_BADFLAGS },
	{ "reserved_on_syn", TOY_F_SYN | 0x80, 0, TOY_HDR_BADFLAGS },
	{ "all_bits", 0xff, 0, TOY_HDR_BADFLAGS },
};

TOY_PARAM_DESC_FN(flags_desc, struct flags_case)
KUNIT_ARRAY_PARAM(flags, flags_cases, flags_desc);

static void toy_wire_test_parse_flags(struct kunit *test)
{
	const struct flags_case *c = test->param_value;
	u8 buf[SEG_BUF] __aligned(8);
	struct toy_opts got;
	unsigned int len = seg_build(buf, c->flags, NULL, 0, c->payload);

	KUNIT_EXPECT_EQ_MSG(test, toy_hdr_parse((void *)buf, len, &got), c->v,
			    "flags %#x payload %u", c->flags, c->payload);
}

struct opt_case {
	const char *name;
	u8 flags;
	u8 olen;		/* multiple of 4 */
	u8 opt[TOY_OPT_SPACE];
	enum toy_hdr_verdict v;
	u16 want_mss;		/* when v == TOY_HDR_OK */
	u8 want_nr_sack;
};

#define SYN TOY_F_SYN
#define ACK TOY_F_ACK
#define NOP TOY_OPT_NOP

static const struct opt_case opt_cases[] = {
	{ "nops_only", ACK, 8, { NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP },
	  TOY_HDR_OK },
	{ "end_stops_parsing", ACK, 4, { TOY_OPT_END, 99, 0, 7 }, TOY_HDR_OK },
	{ "mss_then_end_then_junk", SYN, 8, { 2, 4, 0x05, 0xb4, 0, 99, 1, 1 },
	  TOY_HDR_OK, 1460 },
	{ "unknown_kind", ACK, 4, { 9, 2, NOP, NOP }, TOY_HDR_UNKNOWNOPT },
	{ "unknown_kind_on_syn", SYN, 4, { 254, 4, 0xde, 0xad },
	  TOY_HDR_UNKNOWNOPT },
	{ "unknown_after_valid_mss", SYN, 8, { 2, 4, 0x05, 0xb4, 3, 3, 0, NOP },
	  TOY_HDR_UNKNOWNOPT },
	{ "truncated_kind_at_end", SYN, 4, { NOP, NOP, NOP, 2 }, TOY_HDR_BADOPT },
	{ "length_beyond_options", ACK, 12, { 5, 18, B32(1), B32(2), NOP, NOP },
	  TOY_HDR_BADOPT },
	{ "length_zero", ACK, 4, { 5, 0, NOP, NOP }, TOY_HDR_BADOPT },
	{ "length_one", SYN, 4, { 2, 1, NOP, NOP }, TOY_HDR_BADOPT },
	{ "unknown_kind_length_zero", ACK, 4, { 9, 0, NOP, NOP }, TOY_HDR_BADOPT },
	{ "mss_min", SYN, 4, { 2, 4, 0, TOY_MIN_MSS }, TOY_HDR_OK, TOY_MIN_MSS },
	{ "mss_below_min", SYN, 4, { 2, 4, 0, TOY_MIN_MSS - 1 }, TOY_HDR_BADOPT },
	{ "mss_zero", SYN, 4, { 2, 4, 0, 0 }, TOY_HDR_BADOPT },
	{ "mss_on_non_syn", ACK, 4, { 2, 4, 0x05, 0xb4 }, TOY_HDR_BADOPT },
	{ "mss_len_3", SYN, 4, { 2, 3, 0x05, NOP }, TOY_HDR_BADOPT },
	{ "mss_len_6", SYN, 8, { 2, 6, 0x05, 0xb4, 0, 0, NOP, NOP },
	  TOY_HDR_BADOPT },
	{ "mss_twice", SYN, 8, { 2, 4, 0x05, 0xb4, 2, 4, 0x02, 0x00 },
	  TOY_HDR_BADOPT },
	{ "sack_on_syn", SYN, 12, { NOP, NOP, 5, 10, B32(1), B32(2) },
	  TOY_HDR_BADOPT },
	{ "sack_on_syn_ack", SYN | ACK, 12, { NOP, NOP, 5, 10, B32(1), B32(2) },
	  TOY_HDR_BADOPT },
	{ "sack_no_blocks", ACK, 4, { NOP, NOP, 5, 2 }, TOY_HDR_BADOPT },
	{ "sack_len_9", ACK, 12, { NOP, NOP, 5, 9, B32(1), B32(2) },
	  TOY_HDR_BADOPT },
	{ "sack_len_11", ACK, 12, { 5, 11, B32(1), B32(2), NOP, NOP },
	  TOY_HDR_BADOPT },
	{ "sack_len_17", ACK, 20, { NOP, NOP, 5, 17, B32(1), B32(2), B32(3),
				     B32(4) }, TOY_HDR_BADOPT },
	{ "sack_one_block", ACK, 12, { NOP, NOP, 5, 10, B32(100), B32(200) },
	  TOY_HDR_OK, 0, 1 },
	{ "sack_unaligned_ok", ACK, 12, { 5, 10, B32(100), B32(200), NOP, NOP },
	  TOY_HDR_OK, 0, 1 },
	/* 5 blocks = 42 bytes: more than the option space can ever hold */
	{ "sack_five_blocks", ACK, 40, { 5, 42, B32(1), B32(2), B32(3), B32(4),
				       B32(5), B32(6), B32(7), B32(8), B32(9) },
	  TOY_HDR_BADOPT },
	{ "sack_inverted_block", ACK, 12, { NOP, NOP, 5, 10, B32(200), B32(100) },
	  TOY_HDR_BADOPT },
	{ "sack_empty_block", ACK, 12, { NOP, NOP, 5, 10, B32(200), B32(200) },
	  TOY_HDR_BADOPT },
	{ "sack_second_block_inverted", ACK, 20,
	  { NOP, NOP, 5, 18, B32(100), B32(200), B32(400), B32(300) },
	  TOY_HDR_BADOPT },
	{ "sack_block_across_wrap", ACK, 12,
	  { NOP, NOP, 5, 10, B32(0xfffffff0), B32(0x10) }, TOY_HDR_OK, 0, 1 },
	/* more than 2^31 long is "inverted" in sequence space */
	{ "sack_block_too_long", ACK, 12,
	  { NOP, NOP, 5, 10, B32(0), B32(0x80000001) }, TOY_HDR_BADOPT },
	{ "sack_twice", ACK, 24, { NOP, NOP, 5, 10, B32(1), B32(2),
				   NOP, NOP, 5, 10, B32(3), B32(4) },
	  TOY_HDR_BADOPT },
};

#undef SYN
#undef ACK
#undef NOP

TOY_PARAM_DESC_FN(opt_desc, struct opt_case)
KUNIT_ARRAY_PARAM(opt, opt_cases, opt_desc);

static void toy_wire_test_parse_options(struct kunit *test)
{
	const struct opt_case *c = test->param_value;
	u8 buf[SEG_BUF] __aligned(8);
	struct toy_opts got;
	unsigned int len;

	KUNIT_ASSERT_EQ(test, c->olen % 4, 0);
	len = seg_build(buf, c->flags, c->opt, c->olen, 0);
	KUNIT_ASSERT_EQ(test, toy_hdr_parse((void *)buf, len, &got), c->v);
	if (c->v != TOY_HDR_OK)
		return;
	KUNIT_EXPECT_EQ(test, got.mss, c->want_mss);
	KUNIT_EXPECT_EQ(test, got.nr_sack, c->want_nr_sack);
}

/* Options absent from the segment read back as absent, whatever was there. */
static void toy_wire_test_parse_resets_opts(struct kunit *test)
{
	u8 buf[SEG_BUF] __aligned(8);
	struct toy_opts got;
	unsigned int len = seg_build(buf, TOY_F_ACK, NULL, 0, 0);

	memset(&got, 0xa5, sizeof(got));
	KUNIT_ASSERT_EQ(test, toy_hdr_parse((void *)buf, len, &got), TOY_HDR_OK);
	KUNIT_EXPECT_EQ(test, got.mss, 0);
	KUNIT_EXPECT_EQ(test, got.nr_sack, 0);

	len = seg_build(buf, TOY_F_SYN, NULL, 0, 0);
	memset(&got, 0xa5, sizeof(got));
	KUNIT_ASSERT_EQ(test, toy_hdr_parse((void *)buf, len, &got), TOY_HDR_OK);
	KUNIT_EXPECT_EQ(test, got.mss, 0);
}

/* RFC 1071 one's-complement sum, written independently of the kernel's. */
static u16 ref_csum(u32 saddr, u32 daddr, const u8 *p, unsigned int len)
{
	u64 sum = 0;
	unsigned int i;

	sum += (saddr >> 16) + (saddr & 0xffff);
	sum += (daddr >> 16) + (daddr & 0xffff);
	sum += IPPROTO_TOY;
	sum += len;
	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static const u16 csum_payloads[] = { 0, 1, 2, 3, 15, 100, 1001, 1400 };

static void csum_payload_desc(const u16 *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "payload_%u", *v);
}

KUNIT_ARRAY_PARAM(csum_payload, csum_payloads, csum_payload_desc);

#define SADDR 0x0a000001	/* 10.0.0.1 */
#define DADDR 0xc0a80102	/* 192.168.1.2 */

static u8 *csum_seg(struct kunit *test, unsigned int payload,
		    unsigned int *lenp)
{
	static const u8 opt[12] = { 1, 1, 5, 10, B32(0x100), B32(0x200) };
	unsigned int len = TOY_HDR_LEN + sizeof(opt) + payload, i;
	u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	struct toy_hdr *th = (struct toy_hdr *)buf;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	th->source = htons(0xbeef);
	th->dest = htons(7000);
	th->seq = htonl(0xfedcba98);
	th->ack_seq = htonl(0x13579bdf);
	th->doff = (TOY_HDR_LEN + sizeof(opt)) / 4;
	th->flags = TOY_F_ACK | (payload ? TOY_F_EOM : 0);
	th->window = htonl(0x00123456);
	memcpy(buf + TOY_HDR_LEN, opt, sizeof(opt));
	for (i = 0; i < payload; i++)
		buf[TOY_HDR_LEN + sizeof(opt) + i] = (u8)(i * 131 + 17);
	*lenp = len;
	return buf;
}

static void toy_wire_test_csum_matches_reference(struct kunit *test)
{
	const u16 *payload = test->param_value;
	unsigned int len;
	u8 *buf = csum_seg(test, *payload, &len);
	struct toy_hdr *th = (struct toy_hdr *)buf;
	u16 want = ref_csum(SADDR, DADDR, buf, len);

	th->check = toy_csum(htonl(SADDR), htonl(DADDR), buf, len);
	/* the field holds the checksum in network byte order */
	KUNIT_EXPECT_EQ(test, buf[14], want >> 8);
	KUNIT_EXPECT_EQ(test, buf[15], want & 0xff);
}

/* toy_csum() of host-order addresses, as a plain number to compare */
static u16 csum16(u32 saddr, u32 daddr, const u8 *seg, unsigned int len)
{
	return (__force u16)toy_csum(htonl(saddr), htonl(daddr), seg, len);
}

static void toy_wire_test_csum_verifies_to_zero(struct kunit *test)
{
	const u16 *payload = test->param_value;
	unsigned int len;
	u8 *buf = csum_seg(test, *payload, &len);
	struct toy_hdr *th = (struct toy_hdr *)buf;

	th->check = toy_csum(htonl(SADDR), htonl(DADDR), buf, len);
	KUNIT_EXPECT_EQ(test, csum16(SADDR, DADDR, buf, len), 0);
}

/* Every single-bit error in the segment or the addresses is caught. */
static void toy_wire_test_csum_detects_any_bit_flip(struct kunit *test)
{
	unsigned int len, bit, fails = 0;
	u8 *buf = csum_seg(test, 41, &len);
	struct toy_hdr *th = (struct toy_hdr *)buf;
	u32 s = SADDR, d = DADDR;

	th->check = toy_csum(htonl(s), htonl(d), buf, len);
	for (bit = 0; bit < len * 8; bit++) {
		buf[bit / 8] ^= 1 << (bit % 8);
		if (!toy_csum(htonl(s), htonl(d), buf, len)) {
			if (!fails++)
				KUNIT_FAIL(test, "flip of bit %u undetected", bit);
		}
		buf[bit / 8] ^= 1 << (bit % 8);
	}
	for (bit = 0; bit < 32; bit++) {
		KUNIT_EXPECT_NE_MSG(test, csum16(s ^ BIT(bit), d, buf, len), 0,
				    "saddr bit %u", bit);
		KUNIT_EXPECT_NE_MSG(test, csum16(s, d ^ BIT(bit), buf, len), 0,
				    "daddr bit %u", bit);
	}
	KUNIT_EXPECT_EQ(test, fails, 0U);
	/* and the untouched segment still verifies */
	KUNIT_EXPECT_EQ(test, csum16(s, d, buf, len), 0);
}

/* The length in the pseudo-header counts: a truncated segment fails. */
static void toy_wire_test_csum_covers_length(struct kunit *test)
{
	unsigned int len;
	u8 *buf = csum_seg(test, 64, &len);
	struct toy_hdr *th = (struct toy_hdr *)buf;

	/* dropping two trailing zero bytes leaves the byte sum unchanged */
	buf[len - 1] = 0;
	buf[len - 2] = 0;
	th->check = 0;
	th->check = toy_csum(htonl(SADDR), htonl(DADDR), buf, len);
	KUNIT_EXPECT_NE(test, csum16(SADDR, DADDR, buf, len - 2), 0);
}

static struct kunit_case toy_wire_cases[] = {
	KUNIT_CASE(toy_wire_test_hdr_layout),
	KUNIT_CASE(toy_wire_test_opts_len),
	KUNIT_CASE(toy_wire_test_opts_write_mss_bytes),
	KUNIT_CASE(toy_wire_test_opts_write_sack_bytes),
	KUNIT_CASE_PARAM(toy_wire_test_opts_roundtrip_mss, mss_gen_params),
	KUNIT_CASE_PARAM(toy_wire_test_opts_roundtrip_sack, sack_rt_gen_params),
	KUNIT_CASE(toy_wire_test_parse_too_short),
	KUNIT_CASE_PARAM(toy_wire_test_parse_doff, doff_gen_params),
	KUNIT_CASE_PARAM(toy_wire_test_parse_flags, flags_gen_params),
	KUNIT_CASE_PARAM(toy_wire_test_parse_options, opt_gen_params),
	KUNIT_CASE(toy_wire_test_parse_resets_opts),
	KUNIT_CASE_PARAM(toy_wire_test_csum_matches_reference,
			 csum_payload_gen_params),
	KUNIT_CASE_PARAM(toy_wire_test_csum_verifies_to_zero,
			 csum_payload_gen_params),
	KUNIT_CASE(toy_wire_test_csum_detects_any_bit_flip),
	KUNIT_CASE(toy_wire_test_csum_covers_length),
	{}
};

static struct kunit_suite toy_wire_suite = {
	.name = "toy_wire",
	.test_cases = toy_wire_cases,
};

kunit_test_suite(toy_wire_suite);
