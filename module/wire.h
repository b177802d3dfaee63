/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AF_TOY segment, as it travels in an IPv4 packet with protocol 253.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Header Length | Rsvd|E|R|F|A|S|           Checksum            |
 * |  (32-bit words)|     |O|S|I|C|Y|                               |
 * |                |     |M|T|N|K|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Window (bytes)                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (0 to 40 bytes)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Payload                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Sequence numbers count payload bytes, as in TCP; SYN and FIN each take
 * one. EOM marks the segment that ends a message: the receiver hands a
 * message to recv() only when every byte up to an EOM has arrived, which is
 * how message boundaries survive splitting, loss and reordering.
 *
 * The window is 32 bits wide and counts bytes, so no window scaling is
 * needed. The checksum is the Internet checksum over a pseudo-header
 * (source and destination address, zero, protocol, segment length), the
 * header with its options, and the payload, as in TCP and UDP.
 *
 * Options are kind/length/value, like TCP's: MSS on SYNs, SACK blocks, and
 * timestamps (RFC 7323) on every segment, so that each ACK of new data is
 * an RTT sample, retransmitted or not. A segment with an option this
 * implementation does not know is dropped rather than half understood.
 */
#ifndef _TOY_WIRE_H
#define _TOY_WIRE_H

#include <linux/types.h>

struct toy_hdr {
	__be16	source;
	__be16	dest;
	__be32	seq;
	__be32	ack_seq;
	__u8	doff;		/* header length in 32-bit words */
	__u8	flags;		/* TOY_F_* */
	__sum16	check;
	__be32	window;
};

#define TOY_HDR_LEN		20
#define TOY_HDR_MAX_LEN		60	/* doff is at most 15 words */
#define TOY_OPT_SPACE		(TOY_HDR_MAX_LEN - TOY_HDR_LEN)

#define TOY_F_SYN		0x01
#define TOY_F_ACK		0x02
#define TOY_F_FIN		0x04
#define TOY_F_RST		0x08
#define TOY_F_EOM		0x10	/* last segment of a message */
#define TOY_F_ALL		0x1f

#define TOY_OPT_END		0	/* end of options */
#define TOY_OPT_NOP		1	/* one byte of padding */
#define TOY_OPT_MSS		2	/* SYN only: __be16 largest payload */
#define TOY_OPT_SACK		5	/* 1 to 4 blocks of __be32 start, end */
#define TOY_OPT_TS		8	/* __be32 TSval, TSecr (RFC 7323) */

#define TOY_OPT_MSS_LEN		4
#define TOY_OPT_TS_LEN		10
#define TOY_TS_SPACE		12	/* NOP, NOP, then the option */
#define TOY_SACK_MAX_BLOCKS	4
#define TOY_SACK_MAX_WITH_TS	3	/* what fits in 40 bytes beside TS */
#define TOY_MIN_MSS		64

/* One received range [start, end) above the cumulative ACK. */
struct toy_sack_block {
	u32 start;
	u32 end;
};

/* Options of one segment, in host order. */
struct toy_opts {
	u16 mss;			/* 0: absent */
	u8 nr_sack;
	bool ts;			/* timestamps present */
	u32 tsval;			/* sender's clock when it sent this */
	u32 tsecr;			/* the peer's TSval being echoed */
	struct toy_sack_block sack[TOY_SACK_MAX_BLOCKS];
};

/* Why a header was refused; each reason has its own counter. */
enum toy_hdr_verdict {
	TOY_HDR_OK = 0,
	TOY_HDR_SHORT,		/* fewer bytes than a fixed header */
	TOY_HDR_BADLEN,		/* header length field impossible */
	TOY_HDR_BADFLAGS,	/* flag combination that never occurs */
	TOY_HDR_BADOPT,		/* option malformed or out of place */
	TOY_HDR_UNKNOWNOPT,	/* option kind not known */
};

static inline unsigned int toy_hdr_len(const struct toy_hdr *th)
{
	return th->doff * 4;
}

enum toy_hdr_verdict toy_hdr_parse(const struct toy_hdr *th, unsigned int len,
				   struct toy_opts *opts);
unsigned int toy_opts_len(const struct toy_opts *opts, bool syn);
void toy_opts_write(u8 *p, const struct toy_opts *opts, bool syn);
__sum16 toy_csum(__be32 saddr, __be32 daddr, const void *seg,
		 unsigned int len);
void toy_csum_finish(struct toy_hdr *th, __be32 saddr, __be32 daddr,
		     unsigned int hlen, unsigned int len, __wsum payload);

#endif /* _TOY_WIRE_H */
