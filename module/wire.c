// SPDX-License-Identifier: GPL-2.0
/*
 * Header validation and option encoding: pure functions of bytes, so that
 * KUnit can feed them every malformed header we can think of.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <net/checksum.h>
#include <linux/toy.h>

#include "compat.h"
#include "wire.h"

static enum toy_hdr_verdict toy_flags_check(u8 flags, unsigned int payload)
{
	if (flags & ~TOY_F_ALL)
		return TOY_HDR_BADFLAGS;
	if (flags & TOY_F_SYN) {
		/* A SYN opens a connection: it cannot also close or reset it,
		 * and it carries no data.
		 */
		if (flags & (TOY_F_FIN | TOY_F_RST | TOY_F_EOM) || payload)
			return TOY_HDR_BADFLAGS;
		return TOY_HDR_OK;
	}
	if (flags & TOY_F_RST)
		return (flags & (TOY_F_FIN | TOY_F_EOM)) || payload ?
			TOY_HDR_BADFLAGS : TOY_HDR_OK;
	/* After the first SYN every segment acknowledges something. */
	if (!(flags & TOY_F_ACK))
		return TOY_HDR_BADFLAGS;
	/* EOM ends a message, so it rides on data */
	if ((flags & TOY_F_EOM) && !payload)
		return TOY_HDR_BADFLAGS;
	return TOY_HDR_OK;
}

static enum toy_hdr_verdict toy_opts_parse(const u8 *p, unsigned int len,
					   bool syn, struct toy_opts *opts)
{
	unsigned int i = 0, n;

	while (i < len) {
		u8 kind = p[i], olen;

		if (kind == TOY_OPT_END)
			break;
		if (kind == TOY_OPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return TOY_HDR_BADOPT;
		olen = p[i + 1];
		if (olen < 2 || olen > len - i)
			return TOY_HDR_BADOPT;

		switch (kind) {
		case TOY_OPT_MSS:
			if (!syn || olen != TOY_OPT_MSS_LEN || opts->mss)
				return TOY_HDR_BADOPT;
			opts->mss = get_unaligned_be16(p + i + 2);
			if (opts->mss < TOY_MIN_MSS)
				return TOY_HDR_BADOPT;
			break;
		case TOY_OPT_SACK:
			if (syn || opts->nr_sack || (olen - 2) % 8)
				return TOY_HDR_BADOPT;
			opts->nr_sack = (olen - 2) / 8;
			if (!opts->nr_sack || opts->nr_sack > TOY_SACK_MAX_BLOCKS)
				return TOY_HDR_BADOPT;
			for (n = 0; n < opts->nr_sack; n++) {
				const u8 *b = p + i + 2 + n * 8;

				opts->sack[n].start = get_unaligned_be32(b);
				opts->sack[n].end = get_unaligned_be32(b + 4);
				/* an empty or inverted block never describes data */
				if ((s32)(opts->sack[n].end - opts->sack[n].start) <= 0)
					return TOY_HDR_BADOPT;
			}
			break;
		case TOY_OPT_TS:
			if (olen != TOY_OPT_TS_LEN || opts->ts)
				return TOY_HDR_BADOPT;
			opts->ts = true;
			opts->tsval = get_unaligned_be32(p + i + 2);
			opts->tsecr = get_unaligned_be32(p + i + 6);
			break;
		default:
			return TOY_HDR_UNKNOWNOPT;
		}
		i += olen;
	}
	return TOY_HDR_OK;
}

/**
 * toy_hdr_parse - validate a received header and decode its options
 * @th: the header, at least @len bytes readable when @len >= TOY_HDR_LEN
 * @len: bytes of the whole segment (header, options and payload)
 * @opts: filled with the options found
 *
 * The checksum is verified separately, over the whole segment.
 */
enum toy_hdr_verdict toy_hdr_parse(const struct toy_hdr *th, unsigned int len,
				   struct toy_opts *opts)
{
	unsigned int hlen;
	enum toy_hdr_verdict v;

	memset(opts, 0, sizeof(*opts));
	if (len < TOY_HDR_LEN)
		return TOY_HDR_SHORT;
	hlen = toy_hdr_len(th);
	if (hlen < TOY_HDR_LEN || hlen > TOY_HDR_MAX_LEN || hlen > len)
		return TOY_HDR_BADLEN;
	v = toy_flags_check(th->flags, len - hlen);
	if (v != TOY_HDR_OK)
		return v;
	return toy_opts_parse((const u8 *)(th + 1), hlen - TOY_HDR_LEN,
			      th->flags & TOY_F_SYN, opts);
}

static unsigned int toy_opts_nr_sack(const struct toy_opts *opts, bool syn)
{
	if (syn)
		return 0;
	return min_t(unsigned int, opts->nr_sack,
		     opts->ts ? TOY_SACK_MAX_WITH_TS : TOY_SACK_MAX_BLOCKS);
}

/*
 * Bytes the options take on the wire: each is 32-bit aligned by NOPs in
 * front, as TCP lays them out. SACK blocks beyond what fits are left out.
 */
unsigned int toy_opts_len(const struct toy_opts *opts, bool syn)
{
	unsigned int len = 0, nr = toy_opts_nr_sack(opts, syn);

	if (syn && opts->mss)
		len += TOY_OPT_MSS_LEN;
	if (opts->ts)
		len += TOY_TS_SPACE;
	if (nr)
		len += 4 + 8 * nr;
	return len;
}

/* Write the options toy_opts_len() counted. */
void toy_opts_write(u8 *p, const struct toy_opts *opts, bool syn)
{
	unsigned int i = 0, n, nr = toy_opts_nr_sack(opts, syn);

	if (syn && opts->mss) {
		p[i++] = TOY_OPT_MSS;
		p[i++] = TOY_OPT_MSS_LEN;
		put_unaligned_be16(opts->mss, p + i);
		i += 2;
	}
	if (opts->ts) {
		p[i++] = TOY_OPT_NOP;
		p[i++] = TOY_OPT_NOP;
		p[i++] = TOY_OPT_TS;
		p[i++] = TOY_OPT_TS_LEN;
		put_unaligned_be32(opts->tsval, p + i);
		put_unaligned_be32(opts->tsecr, p + i + 4);
		i += 8;
	}
	if (nr) {
		p[i++] = TOY_OPT_NOP;
		p[i++] = TOY_OPT_NOP;
		p[i++] = TOY_OPT_SACK;
		p[i++] = 2 + 8 * nr;
		for (n = 0; n < nr; n++) {
			put_unaligned_be32(opts->sack[n].start, p + i);
			put_unaligned_be32(opts->sack[n].end, p + i + 4);
			i += 8;
		}
	}
}

/*
 * Checksum of a linear segment. Filling the header's check field with the
 * result makes the same computation return 0 at the receiver.
 */
__sum16 toy_csum(__be32 saddr, __be32 daddr, const void *seg, unsigned int len)
{
	return csum_tcpudp_magic(saddr, daddr, len, IPPROTO_TOY,
				 csum_partial(seg, len, 0));
}

/*
 * Write the checksum of a segment of @len bytes whose payload, summed
 * already (@payload), follows the @hlen bytes of header at @th: only the
 * header is read. @hlen is even (doff counts 32-bit words).
 */
void toy_csum_finish(struct toy_hdr *th, __be32 saddr, __be32 daddr,
		     unsigned int hlen, unsigned int len, __wsum payload)
{
	th->check = 0;
	th->check = csum_tcpudp_magic(saddr, daddr, len, IPPROTO_TOY,
				      csum_partial(th, hlen, payload));
}
