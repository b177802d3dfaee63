// SPDX-License-Identifier: GPL-2.0
/*
 * sendmsg() and recvmsg(): one call, one message.
 *
 * A message is queued whole or not at all, cut into segments of at most
 * one MSS; the last carries EOM. On the other side the segments are put
 * back together before recv() sees them, so recv() always returns exactly
 * one message (truncated, with MSG_TRUNC, if the buffer is too small).
 */
#include <linux/net.h>
#include <linux/sched/signal.h>
#include <linux/uio.h>
#include <net/checksum.h>
#include <net/sock.h>

#include "netns.h"
#include "output.h"
#include "sock.h"

/* Room in the send buffer for a message of @need bytes of memory? */
static bool toy_sndbuf_fits(const struct sock *sk, u32 need)
{
	u32 queued = READ_ONCE(sk->sk_wmem_queued);

	/* an empty queue takes any message that passed the size check */
	return !queued || queued + need <= READ_ONCE(sk->sk_sndbuf);
}

/* Why sending is impossible now, or 0. */
static int toy_send_error(struct sock *sk)
{
	if (sk->sk_err)
		return sock_error(sk);
	if (sk->sk_shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	if (!toy_state_connected(sk->sk_state))
		return -EPIPE;
	return 0;
}

static int toy_wait_sndbuf(struct sock *sk, u32 need, long *timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while (!toy_sndbuf_fits(sk, need)) {
		if (!*timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(*timeo);
			break;
		}
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		sk_wait_event(sk, timeo, toy_sndbuf_fits(sk, need) ||
			      toy_send_error(sk), &wait);
		err = toy_send_error(sk);
		if (err)
			break;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

/*
 * Copy @len bytes of the message into @skb's page fragments. The bytes go
 * to the socket's page fragment (sk_page_frag(), as tcp_sendmsg_locked()
 * fills it): a transmission then refers to these pages instead of copying
 * them (output.c), and consecutive segments written to one page leave as
 * one fragment of a super-segment. A segment takes at most
 * MAX_SKB_FRAGS fragments: a refill leaves at least 32 bytes of a page,
 * and 16 pages more hold the largest MSS.
 *
 * With @csum, the payload's checksum is summed in the same pass into
 * skb->csum, for a device that cannot checksum (toy_route_csum()): a
 * lone segment's checksum is then finished from it, and its bytes are
 * not read again (__toy_xmit()).
 */
static int toy_copy_to_frags(struct sock *sk, struct sk_buff *skb,
			     struct msghdr *msg, size_t len, bool csum)
{
	struct page_frag *pfrag = sk_page_frag(sk);

	while (len) {
		int i = skb_shinfo(skb)->nr_frags;
		size_t copy;
		void *to;

		if (!sk_page_frag_refill(sk, pfrag))
			return -ENOBUFS;
		copy = min_t(size_t, len, pfrag->size - pfrag->offset);
		if (!skb_can_coalesce(skb, i, pfrag->page, pfrag->offset)) {
			if (i == MAX_SKB_FRAGS)
				return -ENOBUFS;
			skb_fill_page_desc(skb, i, pfrag->page, pfrag->offset,
					   0);
			get_page(pfrag->page);
			i++;
		}
		to = page_address(pfrag->page) + pfrag->offset;
		if (csum) {
			__wsum part = 0;

			if (!csum_and_copy_from_iter_full(to, copy, &part,
							  &msg->msg_iter))
				return -EFAULT;
			skb->csum = csum_block_add(skb->csum, part, skb->len);
		} else if (!copy_from_iter_full(to, copy, &msg->msg_iter)) {
			return -EFAULT;
		}
		skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], copy);
		pfrag->offset += copy;
		skb->len += copy;
		skb->data_len += copy;
		skb->truesize += copy;
		len -= copy;
	}
	return 0;
}

/*
 * A segment's skb: no linear data, only the skb_shared_info that lists its
 * page fragments. That head comes from a page fragment (build_skb(), as a
 * driver builds its receive skbs), not from kmalloc: a 64 KiB message is
 * 46 segments, and their kmalloc-512 heads (zeroed whole where
 * init_on_alloc is on, as in Debian's kernels) were a tenth of a bulk
 * sender's time in make profile. kmalloc is the fallback.
 */
static struct sk_buff *toy_seg_alloc(struct sock *sk)
{
	unsigned int size = SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	struct sk_buff *skb;
	void *head;

	head = netdev_alloc_frag(size);
	if (!head)
		return alloc_skb(0, sk->sk_allocation);
	skb = build_skb(head, size);
	if (!skb)
		skb_free_frag(head);
	return skb;
}

/*
 * Copy the message into MSS-sized segments, all or nothing. A segment on
 * the write queue is an skb with no linear data: its payload is in page
 * fragments (toy_copy_to_frags()).
 */
static int toy_msg_to_segs(struct sock *sk, struct msghdr *msg, size_t len,
			   struct sk_buff_head *segs)
{
	u32 mss = toy_sk(sk)->snd.mss;
	bool csum = !toy_route_csum(sk);
	size_t off, chunk;
	int err;

	for (off = 0; off < len; off += chunk) {
		struct sk_buff *skb;

		chunk = min_t(size_t, len - off, mss);
		skb = toy_seg_alloc(sk);
		if (!skb) {
			err = -ENOBUFS;
			goto err;
		}
		__skb_queue_tail(segs, skb);
		err = toy_copy_to_frags(sk, skb, msg, chunk, csum);
		if (err)
			goto err;
		/* a write-queue skb never goes down the stack: the mark is ours */
		if (csum)
			skb->ip_summed = CHECKSUM_COMPLETE;
		TOY_SKB_CB(skb)->flags = TOY_F_ACK |
					 (off + chunk == len ? TOY_F_EOM : 0);
	}
	return 0;
err:
	__skb_queue_purge(segs);
	return err;
}

int toy_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	struct sock *sk = sock->sk;
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff_head segs;
	struct sk_buff *skb;
	u32 need;
	long timeo;
	int err;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	/* as in SCTP: there is no empty message */
	if (!len)
		return -EINVAL;

	lock_sock(sk);
	timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);
	/*
	 * As TCP: a send during the handshake waits for it to complete (or
	 * fails with EAGAIN); with no connection at all it is EPIPE.
	 */
	if (!toy_state_connected(sk->sk_state)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto out;
	}
	err = toy_send_error(sk);
	if (err)
		goto out;
	/* it must fit our send buffer and the peer's receive buffer whole */
	if (len > READ_ONCE(sk->sk_sndbuf) || len > ts->snd.peer_max_msg) {
		err = -EMSGSIZE;
		goto out;
	}

	need = DIV_ROUND_UP(len, ts->snd.mss) * SKB_TRUESIZE(ts->snd.mss);
	err = toy_wait_sndbuf(sk, need, &timeo);
	if (err)
		goto out;
	/* the protocol's memory (net.toy.mem) or the memory cgroup is full */
	if (!sk_wmem_schedule(sk, need)) {
		err = -ENOBUFS;
		goto out;
	}

	__skb_queue_head_init(&segs);
	err = toy_msg_to_segs(sk, msg, len, &segs);
	if (err)
		goto out;
	while ((skb = __skb_dequeue(&segs)))
		toy_queue_skb(sk, skb);
	ts->stats.msgs_sent++;
	TOY_INC_STATS(sock_net(sk), OUT_MSGS);
	toy_push(sk);
	err = len;
out:
	release_sock(sk);
	if (err == -EPIPE && !(msg->msg_flags & MSG_NOSIGNAL))
		send_sig(SIGPIPE, current, 0);
	return err;
}

/* Why there is nothing to read, 0 for end of stream, or 1 to wait. */
static int toy_recv_status(struct sock *sk)
{
	if (sk->sk_err)
		return sock_error(sk);
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		return 0;
	switch (sk->sk_state) {
	case TOY_LISTEN:
		return -ENOTCONN;
	case TOY_CLOSE:
		return sock_flag(sk, SOCK_DONE) ? 0 : -ENOTCONN;
	}
	return 1;
}

static void toy_fill_name(struct sock *sk, struct msghdr *msg)
{
	DECLARE_SOCKADDR(struct sockaddr_toy *, addr, msg->msg_name);

	if (!addr)
		return;
	memset(addr, 0, sizeof(*addr));
	addr->stoy_family = AF_TOY;
	addr->stoy_port = inet_sk(sk)->inet_dport;
	addr->stoy_addr.s_addr = inet_sk(sk)->inet_daddr;
	msg->msg_namelen = sizeof(*addr);
}

int toy_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		int flags)
{
	struct sock *sk = sock->sk;
	struct toy_sock *ts = toy_sk(sk);
	struct sk_buff *skb;
	size_t copied, msg_len;
	long timeo;
	int err;

	if (flags & (MSG_OOB | MSG_ERRQUEUE))
		return -EOPNOTSUPP;

	lock_sock(sk);
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	while (!(skb = skb_peek(&sk->sk_receive_queue))) {
		DEFINE_WAIT_FUNC(wait, woken_wake_function);

		err = toy_recv_status(sk);
		if (err <= 0)
			goto out;
		if (!timeo) {
			err = -EAGAIN;
			goto out;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(timeo);
			goto out;
		}
		add_wait_queue(sk_sleep(sk), &wait);
		sk_wait_event(sk, &timeo,
			      !skb_queue_empty(&sk->sk_receive_queue) ||
			      toy_recv_status(sk) <= 0, &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
	}

	msg_len = skb->len;
	copied = min(len, msg_len);
	if (copied < msg_len)
		msg->msg_flags |= MSG_TRUNC;
	else
		msg->msg_flags |= MSG_EOR;
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (err)
		goto out;
	toy_fill_name(sk, msg);

	if (!(flags & MSG_PEEK)) {
		skb_unlink(skb, &sk->sk_receive_queue);
		ts->rcv.queued -= msg_len;
		consume_skb(skb);
		toy_rcv_space_adjust(sk, msg_len);
		toy_window_update(sk);
	}
	/* like UDP and AF_UNIX: MSG_TRUNC asks for the real length */
	err = flags & MSG_TRUNC ? msg_len : copied;
out:
	release_sock(sk);
	return err;
}
