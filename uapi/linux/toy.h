/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) */
/*
 * AF_TOY: a reliable, message-oriented transport over IPv4, built to be read.
 *
 * This header is everything a program needs besides the plain socket API:
 *
 *	int fd = socket(AF_TOY, SOCK_SEQPACKET, 0);
 *	struct sockaddr_toy a = { .stoy_family = AF_TOY,
 *				  .stoy_port = htons(7000) };
 *	inet_pton(AF_INET, "10.0.0.2", &a.stoy_addr);
 *	connect(fd, (struct sockaddr *)&a, sizeof(a));
 */
#ifndef _UAPI_LINUX_TOY_H
#define _UAPI_LINUX_TOY_H

#include <linux/types.h>
#include <linux/socket.h>
#ifdef __KERNEL__
#include <linux/in.h>
#else
#include <netinet/in.h>
#endif

/*
 * Address family 19 was Acorn Econet's. Econet was removed from Linux in
 * 3.5, so no 6.1 code registers the number, yet it stays below AF_MAX (46),
 * which sock_register() requires. Numbers that were never assigned (13,
 * "reserved for 802.2LLC") are left for the projects they were kept for.
 */
#define AF_TOY		19
#define PF_TOY		AF_TOY

/* RFC 3692 sets IP protocols 253 and 254 aside for experiments. */
#define IPPROTO_TOY	253

/* getsockopt()/setsockopt() level; far from the in-tree SOL_* range. */
#define SOL_TOY		300

/* Same layout as struct sockaddr_in, so IPv4 habits carry over. */
struct sockaddr_toy {
	__kernel_sa_family_t	stoy_family;	/* AF_TOY */
	__be16			stoy_port;	/* network byte order */
	struct in_addr		stoy_addr;	/* IPv4 address */
	unsigned char		stoy_zero[8];	/* pad to sizeof(sockaddr) */
};

/* Connection states, numbered like the kernel's TCP_* states. */
enum {
	TOY_ESTABLISHED = 1,
	TOY_SYN_SENT,
	TOY_SYN_RECV,
	TOY_FIN_WAIT1,
	TOY_FIN_WAIT2,
	TOY_TIME_WAIT,
	TOY_CLOSE,
	TOY_CLOSE_WAIT,
	TOY_LAST_ACK,
	TOY_LISTEN,
	TOY_CLOSING,
	TOY_MAX_STATES
};

/* SOL_TOY socket options. */
#define TOY_INFO	1	/* get: struct toy_info */
#define TOY_MAXSEG	2	/* get: payload bytes per segment (MSS) */
#define TOY_NODELAY	3	/* get/set: int, 1 = ACK every segment at once */

/* A snapshot of one connection, for getsockopt(SOL_TOY, TOY_INFO). */
struct toy_info {
	__u8	toyi_state;		/* TOY_ESTABLISHED, ... */
	__u8	toyi_ca_state;		/* 0 open, 1 recovery, 2 loss */
	__u8	toyi_backoff;		/* RTO doublings in force */
	__u8	toyi_pad;
	__u32	toyi_mss;		/* payload bytes per segment */
	__u32	toyi_rtt_us;		/* smoothed RTT (SRTT) */
	__u32	toyi_rttvar_us;		/* RTT variation (RTTVAR) */
	__u32	toyi_rto_us;		/* retransmission timeout */
	__u32	toyi_snd_cwnd;		/* congestion window, bytes */
	__u32	toyi_snd_ssthresh;	/* slow-start threshold, bytes */
	__u32	toyi_snd_wnd;		/* window the peer advertised, bytes */
	__u32	toyi_rcv_wnd;		/* window we advertise, bytes */
	__u32	toyi_snd_una;		/* oldest unacknowledged sequence */
	__u32	toyi_snd_nxt;		/* next sequence to send */
	__u32	toyi_rcv_nxt;		/* next sequence expected */
	__u32	toyi_unacked;		/* bytes sent, not yet acknowledged */
	__u32	toyi_retrans;		/* segments retransmitted, total */
	__u32	toyi_lost;		/* retransmission timeouts, total */
	__u32	toyi_pad2;		/* 0; the __u64s are 8-aligned on i386 too */
	__u64	toyi_bytes_sent;	/* payload bytes sent, first copies */
	__u64	toyi_bytes_received;	/* payload bytes delivered in order */
	__u64	toyi_msgs_sent;		/* messages accepted by send() */
	__u64	toyi_msgs_received;	/* messages handed to recv() */
};

#endif /* _UAPI_LINUX_TOY_H */
