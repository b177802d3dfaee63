// SPDX-License-Identifier: GPL-2.0
/*
 * Cutting a super-segment (offload.h) into the segments toy_xmit() would
 * have sent one by one, for a device that cannot take it whole (the
 * gso_segment callback): the same header with each segment's sequence
 * number, EOM only on the last, and each segment's own checksum. A
 * receiver that got it whole takes it whole (toy_gso_rcv()).
 */
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/protocol.h>
#include <linux/toy.h>

#include "compat.h"
#include "input.h"
#include "netns.h"
#include "offload.h"
#include "wire.h"

/*
 * Write @seg's header: sequence number @seq, @flags, and a checksum seeded
 * with the pseudo-header for the device to finish (CHECKSUM_PARTIAL, as
 * toy_xmit() leaves it); or, for a device that cannot (@sw), finished
 * from the payload's sum that skb_segment() took as it cut (and, without
 * NETIF_F_SG, copied) the payload: the header is all that is read again.
 */
static void toy_gso_fix(struct sk_buff *seg, u32 seq, u8 flags,
			unsigned int hlen, bool sw)
{
	struct toy_hdr *th = (struct toy_hdr *)skb_transport_header(seg);
	unsigned int len = seg->len - skb_transport_offset(seg);
	const struct iphdr *iph = ip_hdr(seg);

	th->seq = htonl(seq);
	th->flags = flags;
	if (sw) {
		toy_csum_finish(th, iph->saddr, iph->daddr, hlen, len,
				SKB_GSO_CB(seg)->csum);
		seg->ip_summed = CHECKSUM_NONE;
		return;
	}
	th->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, len,
				       IPPROTO_TOY, 0);
	seg->ip_summed = CHECKSUM_PARTIAL;
	seg->csum_start = skb_transport_header(seg) - seg->head;
	seg->csum_offset = offsetof(struct toy_hdr, check);
}

/*
 * The gso_segment callback. @skb's data starts at our header; the result
 * is a list of segments whose data starts at the MAC header, as
 * skb_segment() leaves them (inet_gso_segment() then fixes the IP headers).
 */
static struct sk_buff *toy_gso_segment(struct sk_buff *skb,
				       netdev_features_t features)
{
	struct sk_buff *segs = ERR_PTR(-EINVAL), *seg;
	const struct toy_hdr *th;
	unsigned int hlen;
	bool sw;
	u32 seq;
	u8 flags;

	if (!(skb_shinfo(skb)->gso_type & TOY_GSO_TYPE) ||
	    !skb_shinfo(skb)->gso_size)
		goto out;
	if (!pskb_may_pull(skb, TOY_HDR_LEN))
		goto out;
	hlen = toy_hdr_len((struct toy_hdr *)skb->data);
	if (hlen < TOY_HDR_LEN || !pskb_may_pull(skb, hlen))
		goto out;
	th = (const struct toy_hdr *)skb->data;
	/* only data of one message is ever aggregated (output.c) */
	if (th->flags & (TOY_F_SYN | TOY_F_FIN | TOY_F_RST))
		goto out;
	seq = ntohl(th->seq);
	flags = th->flags;
	__skb_pull(skb, hlen);

	if (skb_gso_ok(skb, features | NETIF_F_GSO_ROBUST)) {
		/* the device takes it whole: only recount, as SCTP does */
		skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(skb->len,
							 skb_shinfo(skb)->gso_size);
		segs = NULL;
		goto out;
	}

	/*
	 * Checksums are ours to write (toy_gso_fix()). Only NETIF_F_HW_CSUM
	 * checksums protocol 253; without it skb_segment() sums each payload
	 * as it cuts it (in the same pass as the copy, when the device takes
	 * no fragments), where skb_checksum_help() would read it again.
	 */
	sw = !(features & NETIF_F_HW_CSUM);
	segs = skb_segment(skb, sw ? features & ~NETIF_F_CSUM_MASK : features);
	if (IS_ERR(segs))
		goto out;
	for (seg = segs; seg; seg = seg->next) {
		unsigned int plen = seg->len - skb_transport_offset(seg) - hlen;

		toy_gso_fix(seg, seq, toy_gso_seg_flags(flags, !seg->next),
			    hlen, sw);
		seq += plen;
	}
out:
	return segs;
}

/**
 * toy_gso_rcv - take a super-segment that arrived whole
 * @skb: a GSO skb of IP protocol 253 (veth, loopback), data at our header
 *
 * It goes to toy_seg_rcv() whole, as one segment of its whole length (as
 * TCP takes what GRO put together): no cut, no copy, one lookup, one ACK.
 * Its checksums were never written: the sender left them
 * CHECKSUM_PARTIAL, which a device that passes an skb within the host
 * keeps, and which skb_checksum_init() trusts for a lone segment from the
 * same sender just as it does for TCP's. A GSO skb in any other checksum
 * state did not come from a local sender (GRO never builds one for
 * protocol 253: we register no gro_receive), so nothing vouches for its
 * bytes: dropped as CsumErrors.
 *
 * Return: 0, the skb is consumed.
 */
int toy_gso_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int mss = sh->gso_size;

	TOY_INC_STATS(net, GSO_IN);
	TOY_ADD_STATS(net, IN_SEGS, max_t(unsigned int, sh->gso_segs, 1));
	if (skb->ip_summed != CHECKSUM_PARTIAL) {
		toy_drop(net, skb, TOY_MIB_CSUM_ERRORS);
		kfree_skb(skb);
		return 0;
	}
	if (!(sh->gso_type & TOY_GSO_TYPE) || !mss) {
		toy_drop(net, skb, TOY_MIB_BAD_SEGS);
		kfree_skb(skb);
		return 0;
	}
	/* from here on an skb like any other, that carries several segments */
	skb_gso_reset(skb);
	return toy_seg_rcv(skb, mss);
}

static const struct net_offload toy_offload = {
	.callbacks = {
		.gso_segment = toy_gso_segment,
	},
};

int toy_offload_init(void)
{
	return inet_add_offload(&toy_offload, IPPROTO_TOY);
}

/* inet_del_offload() waits for readers itself (synchronize_net()). */
void toy_offload_exit(void)
{
	inet_del_offload(&toy_offload, IPPROTO_TOY);
}
