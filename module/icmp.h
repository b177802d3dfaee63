/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ICMP errors about our segments (icmp.c): the rules, kept free of
 * sockets for KUnit, and the handlers.
 */
#ifndef _TOY_ICMP_H
#define _TOY_ICMP_H

#include <linux/icmp.h>
#include <linux/ip.h>
#include <net/icmp.h>
#include <net/sock.h>

#include "wire.h"

/* What an ICMP error about one of our segments means for its connection. */
enum toy_icmp_action {
	TOY_ICMP_IGNORE,	/* nothing (source quench, redirects, ...) */
	TOY_ICMP_PMTU,		/* fragmentation needed: the path MTU shrank */
	TOY_ICMP_ERROR,		/* an error, with an errno */
};

/*
 * As tcp_v4_err(): destination unreachable takes TCP's errno for its code
 * (icmp_err_convert[]: ENETUNREACH, EHOSTUNREACH, ENOPROTOOPT,
 * ECONNREFUSED...), a parameter problem is EPROTO, and a time exceeded
 * EHOSTUNREACH. Sets *@err for TOY_ICMP_ERROR.
 */
static inline enum toy_icmp_action toy_icmp_classify(int type, int code,
						     int *err)
{
	switch (type) {
	case ICMP_DEST_UNREACH:
		if (code < 0 || code > NR_ICMP_UNREACH)
			return TOY_ICMP_IGNORE;
		if (code == ICMP_FRAG_NEEDED)
			return TOY_ICMP_PMTU;
		*err = icmp_err_convert[code].errno;
		return TOY_ICMP_ERROR;
	case ICMP_PARAMETERPROB:
		*err = EPROTO;
		return TOY_ICMP_ERROR;
	case ICMP_TIME_EXCEEDED:
		*err = EHOSTUNREACH;
		return TOY_ICMP_ERROR;
	}
	return TOY_ICMP_IGNORE;
}

/*
 * An error about a SYN-ACK that a child sent ends the child, as
 * tcp_req_err() drops a request: the ones that say the peer is gone.
 */
static inline bool toy_icmp_ends_child(int type, int code)
{
	return type == ICMP_PARAMETERPROB || type == ICMP_TIME_EXCEEDED ||
	       (type == ICMP_DEST_UNREACH &&
		(code == ICMP_NET_UNREACH || code == ICMP_HOST_UNREACH));
}

/*
 * Payload per segment for a path MTU: less the IPv4 header, the AF_TOY
 * header and the timestamps every segment carries; never below
 * TOY_MIN_MSS (an MTU that small is a lie: 68 is IPv4's minimum).
 */
static inline u16 toy_mtu_to_mss(u32 mtu)
{
	return clamp_t(s64, (s64)mtu - (s64)sizeof(struct iphdr) -
		       TOY_HDR_LEN - TOY_TS_SPACE, TOY_MIN_MSS, U16_MAX);
}

int toy_v4_err(struct sk_buff *skb, u32 info);
void toy_mtu_reduced(struct sock *sk);

#endif /* _TOY_ICMP_H */
