/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Segmentation offload (GSO) for IP protocol 253: the sender hands IP one
 * super-segment of several MSS-sized segments of a message; the device
 * takes it whole (veth, loopback) or the stack cuts it at the device with
 * toy_gso_segment(), registered with inet_add_offload().
 */
#ifndef _TOY_OFFLOAD_H
#define _TOY_OFFLOAD_H

#include <linux/skbuff.h>

#include "wire.h"

/*
 * The GSO type of a super-segment. It only decides which devices take the
 * skb whole (net_gso_ok()); which callback cuts it is chosen by the IP
 * protocol (inet_offloads[253]). SKB_GSO_SCTP is in NETIF_F_GSO_SOFTWARE:
 * veth, loopback and bridges pass it whole, and no hardware driver
 * advertises NETIF_F_GSO_SCTP (grep -rn NETIF_F_GSO_SCTP drivers/ finds
 * none in Linux 6.1 nor 6.12), so no NIC ever cuts one as if it were SCTP.
 * TCPV4 or UDP_L4 would be cut by NICs that rewrite TCP's or UDP's
 * header: TCP's checksum offset is AF_TOY's window field.
 */
#define TOY_GSO_TYPE		SKB_GSO_SCTP

/*
 * Room kept below 64 KB for the IP header and ours with options: a
 * super-segment's IP total length must fit in 16 bits.
 */
#define TOY_GSO_HDR_ROOM	(60 + 60)

/*
 * The flags of a super-segment's segment: its header's, but EOM only on
 * the last (what the device's cut and the send and receive traces write).
 */
static inline u8 toy_gso_seg_flags(u8 flags, bool last)
{
	return last ? flags : flags & ~TOY_F_EOM;
}

int toy_offload_init(void);
void toy_offload_exit(void);
int toy_gso_rcv(struct sk_buff *skb);

#endif /* _TOY_OFFLOAD_H */
