/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events of AF_TOY, system "toy": every segment sent and received,
 * drops with their reason, state changes, retransmissions with their
 * cause, timeouts, the sender's state after each ACK, window updates,
 * zero-window probes, SYN cookies and the end of TIME_WAIT. Modelled on
 * tcp:tcp_probe and sock:inet_sock_set_state; enable them with
 * echo 1 > /sys/kernel/tracing/events/toy/enable. Disabled, each call is
 * a static branch (a tracepoint) and costs nothing else.
 *
 * Every event names its connection the same way: netns (the namespace's
 * inode, as /proc/PID/ns/net shows it), netns_cookie, saddr:sport and
 * daddr:dport. A segment event has them as on the wire (source and
 * destination of the segment); a socket event has the local end as s and
 * the peer as d. seq and ack are raw, as on the wire.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM toy

#if !defined(_TOY_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TOY_TRACE_H

#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tracepoint.h>
#include <net/sock.h>

#include "netns.h"
#include "output.h"
#include "sock.h"
#include "wire.h"

/*
 * A segment outside the receive window: answered with an ACK, counted in
 * no counter of its own (a duplicate below it is in DupSegs).
 */
#define TOY_DROP_OUT_OF_WINDOW	__TOY_MIB_MAX

/* enum values, so that parsers of the format files see numbers */
TRACE_DEFINE_ENUM(TOY_ESTABLISHED);
TRACE_DEFINE_ENUM(TOY_SYN_SENT);
TRACE_DEFINE_ENUM(TOY_SYN_RECV);
TRACE_DEFINE_ENUM(TOY_FIN_WAIT1);
TRACE_DEFINE_ENUM(TOY_FIN_WAIT2);
TRACE_DEFINE_ENUM(TOY_TIME_WAIT);
TRACE_DEFINE_ENUM(TOY_CLOSE);
TRACE_DEFINE_ENUM(TOY_CLOSE_WAIT);
TRACE_DEFINE_ENUM(TOY_LAST_ACK);
TRACE_DEFINE_ENUM(TOY_LISTEN);
TRACE_DEFINE_ENUM(TOY_CLOSING);
TRACE_DEFINE_ENUM(TOY_MIB_CSUM_ERRORS);
TRACE_DEFINE_ENUM(TOY_MIB_HDR_SHORT);
TRACE_DEFINE_ENUM(TOY_MIB_HDR_BADLEN);
TRACE_DEFINE_ENUM(TOY_MIB_HDR_BADFLAGS);
TRACE_DEFINE_ENUM(TOY_MIB_HDR_BADOPT);
TRACE_DEFINE_ENUM(TOY_MIB_HDR_UNKNOWNOPT);
TRACE_DEFINE_ENUM(TOY_MIB_NO_PORT);
TRACE_DEFINE_ENUM(TOY_MIB_POLICY_DROPS);
TRACE_DEFINE_ENUM(TOY_MIB_FILTER_DROPS);
TRACE_DEFINE_ENUM(TOY_MIB_WND_DROPS);
TRACE_DEFINE_ENUM(TOY_MIB_BACKLOG_DROPS);
TRACE_DEFINE_ENUM(TOY_MIB_BAD_SEGS);
TRACE_DEFINE_ENUM(TOY_MIB_RCV_MEM_DROPS);
TRACE_DEFINE_ENUM(TOY_MIB_ACK_REFUSED);
TRACE_DEFINE_ENUM(TOY_MIB_LISTEN_DROPS);
TRACE_DEFINE_ENUM(TOY_MIB_SYNCOOKIES_FAILED);
TRACE_DEFINE_ENUM(TOY_MIB_DUP_SEGS);
TRACE_DEFINE_ENUM(__TOY_MIB_MAX);
TRACE_DEFINE_ENUM(TOY_RTX_RTO);
TRACE_DEFINE_ENUM(TOY_RTX_FAST);
TRACE_DEFINE_ENUM(TOY_RTX_RACK);
TRACE_DEFINE_ENUM(TOY_RTX_TLP);
TRACE_DEFINE_ENUM(TOY_RTX_SYN);
TRACE_DEFINE_ENUM(TOY_RTX_PMTU);
TRACE_DEFINE_ENUM(TOY_CA_OPEN);
TRACE_DEFINE_ENUM(TOY_CA_RECOVERY);
TRACE_DEFINE_ENUM(TOY_CA_LOSS);

#define toy_show_flags(f)						\
	__print_flags(f, "|",						\
		      { TOY_F_SYN, "SYN" }, { TOY_F_ACK, "ACK" },	\
		      { TOY_F_FIN, "FIN" }, { TOY_F_RST, "RST" },	\
		      { TOY_F_EOM, "EOM" })

#define toy_show_state(s)						\
	__print_symbolic(s,						\
		{ TOY_ESTABLISHED, "ESTABLISHED" },			\
		{ TOY_SYN_SENT, "SYN_SENT" },				\
		{ TOY_SYN_RECV, "SYN_RECV" },				\
		{ TOY_FIN_WAIT1, "FIN_WAIT1" },				\
		{ TOY_FIN_WAIT2, "FIN_WAIT2" },				\
		{ TOY_TIME_WAIT, "TIME_WAIT" },				\
		{ TOY_CLOSE, "CLOSE" },					\
		{ TOY_CLOSE_WAIT, "CLOSE_WAIT" },			\
		{ TOY_LAST_ACK, "LAST_ACK" },				\
		{ TOY_LISTEN, "LISTEN" },				\
		{ TOY_CLOSING, "CLOSING" })

/* Drop reasons: the names of the counters in /proc/net/toy_stats. */
#define toy_show_drop(r)						\
	__print_symbolic(r,						\
		{ TOY_MIB_CSUM_ERRORS, "CsumErrors" },		\
		{ TOY_MIB_HDR_SHORT, "InHdrShort" },			\
		{ TOY_MIB_HDR_BADLEN, "InHdrBadLen" },			\
		{ TOY_MIB_HDR_BADFLAGS, "InHdrBadFlags" },		\
		{ TOY_MIB_HDR_BADOPT, "InHdrBadOpt" },			\
		{ TOY_MIB_HDR_UNKNOWNOPT, "InHdrUnknownOpt" },		\
		{ TOY_MIB_NO_PORT, "NoPort" },				\
		{ TOY_MIB_POLICY_DROPS, "PolicyDrops" },		\
		{ TOY_MIB_FILTER_DROPS, "FilterDrops" },		\
		{ TOY_MIB_WND_DROPS, "RcvWndDrops" },			\
		{ TOY_MIB_BACKLOG_DROPS, "BacklogDrops" },		\
		{ TOY_MIB_RCV_MEM_DROPS, "RcvMemDrops" },		\
		{ TOY_MIB_ACK_REFUSED, "AckOutOfWindow" },		\
		{ TOY_MIB_LISTEN_DROPS, "ListenDrops" },		\
		{ TOY_MIB_SYNCOOKIES_FAILED, "SyncookiesFailed" },	\
		{ TOY_MIB_DUP_SEGS, "DupSegs" },			\
		{ TOY_MIB_BAD_SEGS, "BadSegs" },			\
		{ TOY_DROP_OUT_OF_WINDOW, "OutOfWindow" })

#define toy_show_rtx(r)							\
	__print_symbolic(r,						\
		{ TOY_RTX_RTO, "RTO" }, { TOY_RTX_FAST, "FAST" },	\
		{ TOY_RTX_RACK, "RACK" }, { TOY_RTX_TLP, "TLP" },	\
		{ TOY_RTX_SYN, "SYN" }, { TOY_RTX_PMTU, "PMTU" })

#define toy_show_ca(s)							\
	__print_symbolic(s, { TOY_CA_OPEN, "OPEN" },			\
			 { TOY_CA_RECOVERY, "RECOVERY" },		\
			 { TOY_CA_LOSS, "LOSS" })

/*
 * The fields that name a connection come first in every event: netns,
 * netns_cookie, saddr, daddr, sport, dport; these fill them.
 */
#ifndef _TOY_TRACE_HELPERS
#define _TOY_TRACE_HELPERS
static inline void toy_tp_net(const struct net *net, u32 *netns, u64 *cookie)
{
	*netns = net->ns.inum;
	*cookie = net->net_cookie;
}
#endif

#define TOY_TP_NET(net)							\
	toy_tp_net(net, &__entry->netns, &__entry->netns_cookie)

#define TOY_TP_ADDRS(s, d, sp, dp)					\
	do {								\
		*(__be32 *)__entry->saddr = (s);			\
		*(__be32 *)__entry->daddr = (d);			\
		__entry->sport = ntohs(sp);				\
		__entry->dport = ntohs(dp);				\
	} while (0)

/* a full or a timewait socket: the fields of struct sock_common */
#define TOY_TP_SK(sk)							\
	do {								\
		const struct sock *__sk = (sk);				\
									\
		TOY_TP_NET(sock_net(__sk));				\
		TOY_TP_ADDRS(__sk->sk_rcv_saddr, __sk->sk_daddr,	\
			     htons(__sk->sk_num), __sk->sk_dport);	\
	} while (0)

#define TOY_TP_TUPLE_FMT "netns=%u netns_cookie=%llu src=%pI4:%u dst=%pI4:%u"

DECLARE_EVENT_CLASS(toy_segment,

	TP_PROTO(const struct net *net, __be32 saddr, __be32 daddr,
		 const struct toy_hdr *th, const struct toy_opts *opts,
		 unsigned int len),

	TP_ARGS(net, saddr, daddr, th, opts, len),

	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u64, netns_cookie)
		__array(u8, saddr, 4)
		__array(u8, daddr, 4)
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, seq)
		__field(u32, ack)
		__field(u32, len)
		__field(u32, win)
		__field(u32, tsval)
		__field(u32, tsecr)
		__array(u32, sack, 2 * TOY_SACK_MAX_BLOCKS)
		__field(u16, mss)
		__field(u8, flags)
		__field(u8, doff)
		__field(u8, ts)
		__field(u8, nsack)
	),

	TP_fast_assign(
		unsigned int i;

		TOY_TP_NET(net);
		TOY_TP_ADDRS(saddr, daddr, th->source, th->dest);
		__entry->seq = ntohl(th->seq);
		__entry->ack = ntohl(th->ack_seq);
		__entry->len = len;
		__entry->win = ntohl(th->window);
		__entry->flags = th->flags;
		__entry->doff = th->doff;
		__entry->mss = opts->mss;
		__entry->ts = opts->ts;
		__entry->tsval = opts->ts ? opts->tsval : 0;
		__entry->tsecr = opts->ts ? opts->tsecr : 0;
		__entry->nsack = min_t(u8, opts->nr_sack, TOY_SACK_MAX_BLOCKS);
		for (i = 0; i < TOY_SACK_MAX_BLOCKS; i++) {
			bool b = i < __entry->nsack;

			__entry->sack[2 * i] = b ? opts->sack[i].start : 0;
			__entry->sack[2 * i + 1] = b ? opts->sack[i].end : 0;
		}
	),

	TP_printk(TOY_TP_TUPLE_FMT
		  " flags=%s seq=%u ack=%u len=%u win=%u mss=%u ts=%u tsval=%u tsecr=%u nsack=%u sack=%u:%u,%u:%u,%u:%u,%u:%u",
		  __entry->netns, __entry->netns_cookie, __entry->saddr,
		  __entry->sport, __entry->daddr, __entry->dport, toy_show_flags(__entry->flags),
		  __entry->seq, __entry->ack, __entry->len, __entry->win,
		  __entry->mss, __entry->ts, __entry->tsval, __entry->tsecr,
		  __entry->nsack, __entry->sack[0], __entry->sack[1],
		  __entry->sack[2], __entry->sack[3], __entry->sack[4],
		  __entry->sack[5], __entry->sack[6], __entry->sack[7])
);

/* A segment leaves, from a socket or from none (reset, cookie SYN-ACK). */
DEFINE_EVENT(toy_segment, toy_segment_send,
	TP_PROTO(const struct net *net, __be32 saddr, __be32 daddr,
		 const struct toy_hdr *th, const struct toy_opts *opts,
		 unsigned int len),
	TP_ARGS(net, saddr, daddr, th, opts, len)
);

/* A segment arrived whose checksum and header are valid. */
DEFINE_EVENT(toy_segment, toy_segment_recv,
	TP_PROTO(const struct net *net, __be32 saddr, __be32 daddr,
		 const struct toy_hdr *th, const struct toy_opts *opts,
		 unsigned int len),
	TP_ARGS(net, saddr, daddr, th, opts, len)
);

/*
 * A received segment is dropped; @reason is the counter it is counted in
 * (enum toy_mib_field). The header fields are 0 when the segment is too
 * short to have one.
 */
TRACE_EVENT(toy_segment_drop,

	TP_PROTO(const struct net *net, const struct sk_buff *skb, int reason),

	TP_ARGS(net, skb, reason),

	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u64, netns_cookie)
		__array(u8, saddr, 4)
		__array(u8, daddr, 4)
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, seq)
		__field(u32, ack)
		__field(u32, len)
		__field(u8, flags)
		__field(u8, reason)
	),

	TP_fast_assign(
		const struct iphdr *iph = ip_hdr(skb);
		const struct toy_hdr *th = (void *)skb_transport_header(skb);
		unsigned int ip_len = ntohs(iph->tot_len) - iph->ihl * 4;
		bool hdr = skb_tail_pointer(skb) - (u8 *)th >= TOY_HDR_LEN;

		TOY_TP_NET(net);
		TOY_TP_ADDRS(iph->saddr, iph->daddr, hdr ? th->source : 0,
			     hdr ? th->dest : 0);
		__entry->seq = hdr ? ntohl(th->seq) : 0;
		__entry->ack = hdr ? ntohl(th->ack_seq) : 0;
		__entry->flags = hdr ? th->flags : 0;
		__entry->len = hdr && ip_len >= th->doff * 4 ?
			       ip_len - th->doff * 4 : 0;
		__entry->reason = reason;
	),

	TP_printk(TOY_TP_TUPLE_FMT " flags=%s seq=%u ack=%u len=%u reason=%s",
		  __entry->netns, __entry->netns_cookie, __entry->saddr,
		  __entry->sport, __entry->daddr, __entry->dport, toy_show_flags(__entry->flags),
		  __entry->seq, __entry->ack, __entry->len,
		  toy_show_drop(__entry->reason))
);

/* A socket moves from one state to another (a timewait socket too). */
TRACE_EVENT(toy_state_change,

	TP_PROTO(const struct sock *sk, int oldstate, int newstate),

	TP_ARGS(sk, oldstate, newstate),

	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u64, netns_cookie)
		__array(u8, saddr, 4)
		__array(u8, daddr, 4)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, oldstate)
		__field(u8, newstate)
	),

	TP_fast_assign(
		TOY_TP_SK(sk);
		__entry->oldstate = oldstate;
		__entry->newstate = newstate;
	),

	TP_printk(TOY_TP_TUPLE_FMT " oldstate=%s newstate=%s",
		  __entry->netns, __entry->netns_cookie, __entry->saddr,
		  __entry->sport, __entry->daddr, __entry->dport, toy_show_state(__entry->oldstate),
		  toy_show_state(__entry->newstate))
);

/* A segment sent before goes again; @reason is enum toy_rtx_reason. */
TRACE_EVENT(toy_retransmit,

	TP_PROTO(const struct sock *sk, const struct sk_buff *skb, int reason),

	TP_ARGS(sk, skb, reason),

	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u64, netns_cookie)
		__array(u8, saddr, 4)
		__array(u8, daddr, 4)
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, seq)
		__field(u32, end_seq)
		__field(u8, flags)
		__field(u8, retrans)
		__field(u8, reason)
	),

	TP_fast_assign(
		const struct toy_skb_cb *cb = TOY_SKB_CB(skb);

		TOY_TP_SK(sk);
		__entry->seq = cb->seq;
		__entry->end_seq = cb->end_seq;
		__entry->flags = cb->flags;
		__entry->retrans = cb->retrans;
		__entry->reason = reason;
	),

	TP_printk(TOY_TP_TUPLE_FMT " flags=%s seq=%u end_seq=%u retrans=%u reason=%s",
		  __entry->netns, __entry->netns_cookie, __entry->saddr,
		  __entry->sport, __entry->daddr, __entry->dport, toy_show_flags(__entry->flags),
		  __entry->seq, __entry->end_seq, __entry->retrans,
		  toy_show_rtx(__entry->reason))
);

/*
 * The retransmission timer fired: after backing off, @backoff doublings
 * and the next timeout rto_us; retries are the timeouts in a row.
 */
TRACE_EVENT(toy_rto,

	TP_PROTO(const struct sock *sk),

	TP_ARGS(sk),

	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u64, netns_cookie)
		__array(u8, saddr, 4)
		__array(u8, daddr, 4)
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, snd_una)
		__field(u32, snd_max)
		__field(u32, rto_us)
		__field(u32, cwnd)
		__field(u32, ssthresh)
		__field(u8, backoff)
		__field(u8, retries)
	),

	TP_fast_assign(
		const struct toy_sock *ts = toy_sk(sk);

		TOY_TP_SK(sk);
		__entry->snd_una = ts->snd.una;
		__entry->snd_max = ts->snd.max;
		__entry->rto_us = toy_rtt_timeout_us(&ts->rtt, U32_MAX);
		__entry->cwnd = ts->cc.cwnd;
		__entry->ssthresh = ts->cc.ssthresh;
		__entry->backoff = ts->rtt.backoff;
		__entry->retries = ts->timers.retries;
	),

	TP_printk(TOY_TP_TUPLE_FMT
		  " snd_una=%u snd_max=%u backoff=%u retries=%u rto_us=%u cwnd=%u ssthresh=%u",
		  __entry->netns, __entry->netns_cookie, __entry->saddr,
		  __entry->sport, __entry->daddr, __entry->dport,
		  __entry->snd_una, __entry->snd_max,
		  __entry->backoff, __entry->retries, __entry->rto_us,
		  __entry->cwnd, __entry->ssthresh)
);

/*
 * The sender after an acceptable ACK: the numbers /proc/net/toy shows
 * (srtt_us, rttvar_us, rto_us, cwnd) and the rest of the picture.
 */
TRACE_EVENT(toy_ack,

	TP_PROTO(const struct sock *sk, u32 ack),

	TP_ARGS(sk, ack),

	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u64, netns_cookie)
		__array(u8, saddr, 4)
		__array(u8, daddr, 4)
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, ack)
		__field(u32, snd_una)
		__field(u32, snd_nxt)
		__field(u32, snd_wnd)
		__field(u32, cwnd)
		__field(u32, ssthresh)
		__field(u32, srtt_us)
		__field(u32, rttvar_us)
		__field(u32, rto_us)
		__field(u32, sacked_out)
		__field(u8, dupacks)
		__field(u8, ca_state)
	),

	TP_fast_assign(
		const struct toy_sock *ts = toy_sk(sk);

		TOY_TP_SK(sk);
		__entry->ack = ack;
		__entry->snd_una = ts->snd.una;
		__entry->snd_nxt = ts->snd.nxt;
		__entry->snd_wnd = ts->snd.wnd;
		__entry->cwnd = ts->cc.cwnd;
		__entry->ssthresh = ts->cc.ssthresh;
		__entry->srtt_us = ts->rtt.srtt_us;
		__entry->rttvar_us = ts->rtt.rttvar_us;
		__entry->rto_us = toy_rtt_timeout_us(&ts->rtt, U32_MAX);
		__entry->sacked_out = ts->rec.sacked_out;
		__entry->dupacks = ts->rec.dupacks;
		__entry->ca_state = ts->cc.state;
	),

	TP_printk(TOY_TP_TUPLE_FMT
		  " ack=%u snd_una=%u snd_nxt=%u snd_wnd=%u cwnd=%u ssthresh=%u srtt_us=%u rttvar_us=%u rto_us=%u sacked_out=%u dupacks=%u ca_state=%s",
		  __entry->netns, __entry->netns_cookie, __entry->saddr,
		  __entry->sport, __entry->daddr, __entry->dport, __entry->ack, __entry->snd_una,
		  __entry->snd_nxt, __entry->snd_wnd, __entry->cwnd,
		  __entry->ssthresh, __entry->srtt_us, __entry->rttvar_us,
		  __entry->rto_us, __entry->sacked_out, __entry->dupacks,
		  toy_show_ca(__entry->ca_state))
);

/*
 * A window changed: dir=sent, we advertised more room (the reader took
 * data); dir=recv, the peer's window changed.
 */
TRACE_EVENT(toy_window_update,

	TP_PROTO(const struct sock *sk, bool sent, u32 old_wnd, u32 new_wnd),

	TP_ARGS(sk, sent, old_wnd, new_wnd),

	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u64, netns_cookie)
		__array(u8, saddr, 4)
		__array(u8, daddr, 4)
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, old_wnd)
		__field(u32, new_wnd)
		__field(u8, sent)
	),

	TP_fast_assign(
		TOY_TP_SK(sk);
		__entry->old_wnd = old_wnd;
		__entry->new_wnd = new_wnd;
		__entry->sent = sent;
	),

	TP_printk(TOY_TP_TUPLE_FMT " dir=%s old_wnd=%u new_wnd=%u",
		  __entry->netns, __entry->netns_cookie, __entry->saddr,
		  __entry->sport, __entry->daddr, __entry->dport, __entry->sent ? "sent" : "recv",
		  __entry->old_wnd, __entry->new_wnd)
);

/* A zero-window probe goes out; probes is the persist timer's backoff. */
TRACE_EVENT(toy_zero_window_probe,

	TP_PROTO(const struct sock *sk),

	TP_ARGS(sk),

	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u64, netns_cookie)
		__array(u8, saddr, 4)
		__array(u8, daddr, 4)
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, seq)
		__field(u32, snd_wnd)
		__field(u8, probes)
	),

	TP_fast_assign(
		const struct toy_sock *ts = toy_sk(sk);

		TOY_TP_SK(sk);
		__entry->seq = ts->snd.una - 1;
		__entry->snd_wnd = ts->snd.wnd;
		__entry->probes = ts->timers.probes;
	),

	TP_printk(TOY_TP_TUPLE_FMT " seq=%u snd_wnd=%u probes=%u",
		  __entry->netns, __entry->netns_cookie, __entry->saddr,
		  __entry->sport, __entry->daddr, __entry->dport, __entry->seq, __entry->snd_wnd,
		  __entry->probes)
);

/*
 * A listener answers a SYN with a cookie (send), or takes an ACK that
 * returns a valid one (recv). s is the listener's end, d the peer's.
 */
DECLARE_EVENT_CLASS(toy_syncookie,

	TP_PROTO(const struct net *net, const struct sk_buff *skb, u32 cookie,
		 u16 mss),

	TP_ARGS(net, skb, cookie, mss),

	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u64, netns_cookie)
		__array(u8, saddr, 4)
		__array(u8, daddr, 4)
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, cookie)
		__field(u16, mss)
	),

	TP_fast_assign(
		const struct toy_hdr *th = (void *)skb_transport_header(skb);

		TOY_TP_NET(net);
		TOY_TP_ADDRS(ip_hdr(skb)->daddr, ip_hdr(skb)->saddr,
			     th->dest, th->source);
		__entry->cookie = cookie;
		__entry->mss = mss;
	),

	TP_printk(TOY_TP_TUPLE_FMT " cookie=%u mss=%u",
		  __entry->netns, __entry->netns_cookie, __entry->saddr,
		  __entry->sport, __entry->daddr, __entry->dport, __entry->cookie, __entry->mss)
);

DEFINE_EVENT(toy_syncookie, toy_syncookie_send,
	TP_PROTO(const struct net *net, const struct sk_buff *skb, u32 cookie,
		 u16 mss),
	TP_ARGS(net, skb, cookie, mss)
);

DEFINE_EVENT(toy_syncookie, toy_syncookie_recv,
	TP_PROTO(const struct net *net, const struct sk_buff *skb, u32 cookie,
		 u16 mss),
	TP_ARGS(net, skb, cookie, mss)
);

/* 2 x MSL ran out: the timewait socket leaves the tables. */
TRACE_EVENT(toy_timewait_expire,

	TP_PROTO(const struct sock *sk),

	TP_ARGS(sk),

	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u64, netns_cookie)
		__array(u8, saddr, 4)
		__array(u8, daddr, 4)
		__field(u16, sport)
		__field(u16, dport)
	),

	TP_fast_assign(
		TOY_TP_SK(sk);
	),

	TP_printk(TOY_TP_TUPLE_FMT, __entry->netns, __entry->netns_cookie,
		  __entry->saddr, __entry->sport, __entry->daddr,
		  __entry->dport)
);

#endif /* _TOY_TRACE_H */

/* the part of this header that define_trace.h reads again */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
