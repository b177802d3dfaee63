// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/toy lists every bound socket of the namespace, one per line,
 * like /proc/net/tcp but with dotted addresses and state names, so it can
 * be read without a decoder; sequence numbers only for CAP_NET_ADMIN.
 * /proc/net/toy_stats has one counter a line.
 */
#include <linux/capability.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/sock.h>

#include "netns.h"
#include "proc.h"
#include "sock.h"
#include "timewait.h"

/*
 * Where a read of /proc/net/toy stands, so that the next chunk of it
 * resumes there instead of walking the table from the start again (as
 * tcp_seq_start() resumes with st->last_pos).
 */
struct toy_iter {
	struct seq_net_private p;	/* must be first: seq_file_net() */
	unsigned int bucket;
	unsigned int offset;		/* sockets of @bucket already shown */
	loff_t last_pos;		/* the position that stands there */
};

/* The socket @offset places into @bucket or the next non-empty one. */
static struct sock *toy_iter_find(struct seq_file *seq)
{
	struct toy_net *tn = toy_pernet(seq_file_net(seq));
	struct toy_iter *it = seq->private;
	struct sock *sk;

	for (; it->bucket < TOY_HASH_SIZE; it->bucket++, it->offset = 0) {
		unsigned int n = 0;

		sk_for_each_bound(sk, &tn->bind_hash[it->bucket])
			if (n++ == it->offset)
				return sk;
	}
	return NULL;
}

/* The @n-th bound socket, from the start: a read that jumped (lseek). */
static struct sock *toy_iter_idx(struct seq_file *seq, loff_t n)
{
	struct toy_iter *it = seq->private;
	struct sock *sk;

	it->bucket = 0;
	it->offset = 0;
	while ((sk = toy_iter_find(seq)) && n--)
		it->offset++;
	return sk;
}

/*
 * The table lock is held from start to stop: for one chunk of the read
 * (a page of lines), never for a whole read that a reader may stretch out.
 */
static void *toy_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(&tn->table_lock)
{
	struct toy_iter *it = seq->private;

	spin_lock_bh(&toy_pernet(seq_file_net(seq))->table_lock);
	if (!*pos)
		return SEQ_START_TOKEN;
	/* the table may have changed meanwhile: as TCP, resume at the spot */
	if (*pos == it->last_pos)
		return toy_iter_find(seq);
	it->last_pos = *pos;
	return toy_iter_idx(seq, *pos - 1);
}

static void *toy_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct toy_iter *it = seq->private;

	if (v == SEQ_START_TOKEN) {
		it->bucket = 0;
		it->offset = 0;
	} else {
		it->offset++;
	}
	it->last_pos = ++*pos;
	return toy_iter_find(seq);
}

static void toy_seq_stop(struct seq_file *seq, void *v)
	__releases(&tn->table_lock)
{
	spin_unlock_bh(&toy_pernet(seq_file_net(seq))->table_lock);
}

/* A timewait socket: its addresses and last numbers, nothing queued. */
static int toy_seq_show_tw(struct seq_file *seq, const struct sock *sk)
{
	const struct toy_tw_sock *tw = toy_tw_sk(sk);
	u32 nxt = 0, rcv_nxt = 0;

	if (file_ns_capable(seq->file, seq_file_net(seq)->user_ns,
			    CAP_NET_ADMIN)) {
		nxt = tw->snd_nxt;
		rcv_nxt = tw->rcv_nxt;
	}
	seq_printf(seq, "%u %pI4:%u %pI4:%u %s 0 0 %u %u %u 0 %u 0 0 0 0 0 0 0\n",
		   (unsigned int)(seq->index - 1),
		   &sk->sk_rcv_saddr, sk->sk_num,
		   &sk->sk_daddr, ntohs(sk->sk_dport),
		   toy_state_name(TOY_TIME_WAIT), nxt, nxt, rcv_nxt,
		   tw->rcv_wnd);
	return 0;
}

static int toy_seq_show(struct seq_file *seq, void *v)
{
	const struct toy_sock *ts = v;
	const struct sock *sk = v;
	const struct inet_sock *inet = v;
	u32 una = 0, nxt = 0, rcv_nxt = 0;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "sl local remote state tx_queue rx_queue snd_una snd_nxt rcv_nxt snd_wnd rcv_wnd uid inode srtt_us rttvar_us rto_us cwnd retrans\n");
		return 0;
	}
	if (sk->sk_state == TOY_TIME_WAIT)
		return toy_seq_show_tw(seq, v);
	/*
	 * Exact in-window numbers are what a blind injection lacks: only
	 * whoever opened this file with CAP_NET_ADMIN over the namespace sees
	 * them; others read 0, as /proc/net/tcp shows them none.
	 */
	if (file_ns_capable(seq->file, seq_file_net(seq)->user_ns,
			    CAP_NET_ADMIN)) {
		una = ts->snd.una;
		nxt = ts->snd.nxt;
		rcv_nxt = ts->rcv.nxt;
	}
	seq_printf(seq, "%u %pI4:%u %pI4:%u %s %u %u %u %u %u %u %u %u %lu %u %u %u %u %u\n",
		   (unsigned int)(seq->index - 1),
		   &inet->inet_rcv_saddr, inet->inet_num,
		   &inet->inet_daddr, ntohs(inet->inet_dport),
		   toy_state_name(sk->sk_state),
		   ts->snd.write_seq - ts->snd.una, ts->rcv.queued,
		   una, nxt, rcv_nxt,
		   ts->snd.wnd, ts->rcv.wnd,
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid((struct sock *)sk)),
		   sock_i_ino((struct sock *)sk),
		   ts->rtt.srtt_us, ts->rtt.rttvar_us,
		   toy_rtt_timeout_us(&ts->rtt, U32_MAX), ts->cc.cwnd,
		   ts->stats.retrans);
	return 0;
}

static const struct seq_operations toy_seq_ops = {
	.start	= toy_seq_start,
	.next	= toy_seq_next,
	.stop	= toy_seq_stop,
	.show	= toy_seq_show,
};

/* As in /proc/net/snmp: the names of RFC 4022 where TCP has one. */
static const char * const toy_mib_names[__TOY_MIB_MAX] = {
	[TOY_MIB_IN_SEGS]	= "InSegs",
	[TOY_MIB_OUT_SEGS]	= "OutSegs",
	[TOY_MIB_RETRANS_SEGS]	= "RetransSegs",
	[TOY_MIB_FAST_RETRANS]	= "FastRetrans",
	[TOY_MIB_TIMEOUTS]	= "Timeouts",
	[TOY_MIB_DUP_SEGS]	= "DupSegs",
	[TOY_MIB_OUT_OF_ORDER]	= "OutOfOrder",
	[TOY_MIB_CSUM_ERRORS]	= "CsumErrors",
	[TOY_MIB_HDR_SHORT]	= "InHdrShort",
	[TOY_MIB_HDR_BADLEN]	= "InHdrBadLen",
	[TOY_MIB_HDR_BADFLAGS]	= "InHdrBadFlags",
	[TOY_MIB_HDR_BADOPT]	= "InHdrBadOpt",
	[TOY_MIB_HDR_UNKNOWNOPT]	= "InHdrUnknownOpt",
	[TOY_MIB_NO_PORT]	= "NoPort",
	[TOY_MIB_OUT_RSTS]	= "OutRsts",
	[TOY_MIB_IN_RSTS]	= "InRsts",
	[TOY_MIB_ACTIVE_OPENS]	= "ActiveOpens",
	[TOY_MIB_PASSIVE_OPENS]	= "PassiveOpens",
	[TOY_MIB_ATTEMPT_FAILS]	= "AttemptFails",
	[TOY_MIB_ESTAB_RESETS]	= "EstabResets",
	[TOY_MIB_LISTEN_DROPS]	= "ListenDrops",
	[TOY_MIB_WND_DROPS]	= "RcvWndDrops",
	[TOY_MIB_BAD_SEGS]	= "BadSegs",
	[TOY_MIB_DELAYED_ACKS]	= "DelayedAcks",
	[TOY_MIB_WND_PROBES]	= "WindowProbes",
	[TOY_MIB_SACK_BLOCKS]	= "SackBlocksRecv",
	[TOY_MIB_IN_MSGS]	= "InMsgs",
	[TOY_MIB_OUT_MSGS]	= "OutMsgs",
	[TOY_MIB_RETRANS_FAILS]	= "ConnTimeouts",
	[TOY_MIB_DSACK_SENT]	= "DSackSent",
	[TOY_MIB_DSACK_RECV]	= "DSackRecv",
	[TOY_MIB_REORDER_SEEN]	= "ReorderSeen",
	[TOY_MIB_UNDO]		= "SpuriousUndo",
	[TOY_MIB_TLP_PROBES]	= "TailLossProbes",
	[TOY_MIB_REO_TIMEOUTS]	= "RackTimeouts",
	[TOY_MIB_SYNCOOKIES_SENT]	= "SyncookiesSent",
	[TOY_MIB_SYNCOOKIES_RECV]	= "SyncookiesRecv",
	[TOY_MIB_SYNCOOKIES_FAILED]	= "SyncookiesFailed",
	[TOY_MIB_CHALLENGE_ACKS]	= "ChallengeAcks",
	[TOY_MIB_CHALLENGE_LIMITED]	= "ChallengeAcksLimited",
	[TOY_MIB_ACK_REFUSED]	= "AckOutOfWindow",
	[TOY_MIB_TSECR_REFUSED]	= "TsecrRefused",
	[TOY_MIB_DSACK_IGNORED]	= "DSackIgnored",
	[TOY_MIB_RCV_MEM_DROPS]	= "RcvMemDrops",
	[TOY_MIB_OFO_PRUNED]	= "OfoPruned",
	[TOY_MIB_RCV_COLLAPSED]	= "RcvCollapsed",
	[TOY_MIB_SACK_RENEGED]	= "SackForgotten",
	[TOY_MIB_POLICY_DROPS]	= "PolicyDrops",
	[TOY_MIB_FILTER_DROPS]	= "FilterDrops",
	[TOY_MIB_ORPHAN_RESETS]	= "OrphanResets",
	[TOY_MIB_OOW_LIMITED]	= "OowAcksLimited",
	[TOY_MIB_ICMP_ERRORS]	= "IcmpErrors",
	[TOY_MIB_ICMP_OOW]	= "OutOfWindowIcmps",
	[TOY_MIB_PMTU_UPDATES]	= "PmtuUpdates",
	[TOY_MIB_TW_REUSED]	= "TimeWaitReused",
	[TOY_MIB_RCVBUF_GROWN]	= "RcvBufGrown",
	[TOY_MIB_TW_OVERFLOW]	= "TimeWaitOverflow",
	[TOY_MIB_GSO_PACKETS]	= "GsoPackets",
	[TOY_MIB_GSO_SEGS]	= "GsoSegs",
	[TOY_MIB_GSO_IN]	= "InGsoPackets",
	[TOY_MIB_CSUM_COPIED]	= "CsumFromCopy",
	[TOY_MIB_BACKLOG_DROPS]	= "BacklogDrops",
};

static int toy_stats_show(struct seq_file *seq, void *v)
{
	struct toy_net *tn = toy_pernet(seq_file_single_net(seq));
	unsigned int i;
	int cpu;

	for (i = 0; i < __TOY_MIB_MAX; i++) {
		unsigned long sum = 0;

		for_each_possible_cpu(cpu)
			sum += per_cpu_ptr(tn->mib, cpu)->mibs[i];
		seq_printf(seq, "%s %lu\n", toy_mib_names[i], sum);
	}
	return 0;
}

int toy_proc_init_net(struct net *net)
{
	if (!proc_create_net("toy", 0444, net->proc_net, &toy_seq_ops,
			     sizeof(struct toy_iter)))
		return -ENOMEM;
	if (!proc_create_net_single("toy_stats", 0444, net->proc_net,
				    toy_stats_show, NULL)) {
		remove_proc_entry("toy", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

void toy_proc_exit_net(struct net *net)
{
	remove_proc_entry("toy_stats", net->proc_net);
	remove_proc_entry("toy", net->proc_net);
}
