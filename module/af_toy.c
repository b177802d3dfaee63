// SPDX-License-Identifier: GPL-2.0
/*
 * The socket API of AF_TOY: socket(), bind(), connect(), listen(),
 * accept(), shutdown(), close(), poll() and the options. Errors follow
 * TCP where TCP has an answer, and AF_UNIX SEQPACKET or SCTP where the
 * question is about messages.
 */
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>

#include "compat.h"
#include "mem.h"
#include "netns.h"
#include "offload.h"
#include "output.h"
#include "sock.h"
#include "table.h"
#include "timer.h"

static int toy_check_addr(const struct sockaddr *uaddr, int addr_len)
{
	if (addr_len < (int)sizeof(struct sockaddr_toy))
		return -EINVAL;
	if (uaddr->sa_family != AF_TOY)
		return -EAFNOSUPPORT;
	return 0;
}

static int toy_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	const struct sockaddr_toy *addr = (struct sockaddr_toy *)uaddr;
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);
	__be32 saddr;
	int err, type;
	u16 port;

	if (addr_len < (int)sizeof(struct sockaddr_toy))
		return -EINVAL;
	/* as inet_bind(): AF_UNSPEC is taken for the wildcard address only */
	if (uaddr->sa_family != AF_TOY &&
	    (uaddr->sa_family != AF_UNSPEC ||
	     addr->stoy_addr.s_addr != htonl(INADDR_ANY)))
		return -EAFNOSUPPORT;
	/* as inet_bind(): a low port is a capability of the namespace's owner */
	port = ntohs(addr->stoy_port);
	if (port && inet_port_requires_bind_service(sock_net(sk), port) &&
	    !ns_capable(sock_net(sk)->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;
	saddr = addr->stoy_addr.s_addr;
	type = inet_addr_type_table(sock_net(sk), saddr, RT_TABLE_LOCAL);
	if (saddr != htonl(INADDR_ANY) && type != RTN_LOCAL &&
	    !inet_can_nonlocal_bind(sock_net(sk), inet))
		return -EADDRNOTAVAIL;

	lock_sock(sk);
	if (sk->sk_state != TOY_CLOSE || inet->inet_num) {
		err = -EINVAL;
		goto out;
	}
	inet->inet_rcv_saddr = saddr;
	inet->inet_saddr = saddr;
	err = toy_bind_port(sk, port);
	if (err) {
		inet->inet_rcv_saddr = 0;
		inet->inet_saddr = 0;
		goto out;
	}
	if (port)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	if (saddr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
out:
	release_sock(sk);
	return err;
}

static int toy_wait_connect(struct sock *sk, long *timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while ((1 << sk->sk_state) & ((1 << TOY_SYN_SENT) | (1 << TOY_SYN_RECV))) {
		/* SO_SNDTIMEO ran out: the handshake goes on without us */
		if (!*timeo) {
			err = -EINPROGRESS;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(*timeo);
			break;
		}
		sk_wait_event(sk, timeo, !((1 << sk->sk_state) &
					   ((1 << TOY_SYN_SENT) |
					    (1 << TOY_SYN_RECV))), &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

/* Route, pick the source, hash the 4-tuple and send the SYN. */
static int toy_start_connect(struct sock *sk, const struct sockaddr_toy *addr)
{
	struct toy_sock *ts = toy_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct flowi4 *fl4 = &inet->cork.fl.u.ip4;
	bool autobind = false;
	struct rtable *rt;
	u32 tw_isn;
	int err;

	toy_conn_reset(sk);
	rt = ip_route_connect(fl4, addr->stoy_addr.s_addr, inet->inet_saddr,
			      sk->sk_bound_dev_if, IPPROTO_TOY,
			      inet->inet_sport, addr->stoy_port, sk);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4->saddr;
	inet->inet_rcv_saddr = inet->inet_saddr;
	inet->inet_daddr = addr->stoy_addr.s_addr;
	inet->inet_dport = addr->stoy_port;

	if (!inet->inet_num) {
		err = toy_bind_port(sk, 0);
		if (err)
			goto err_put;
		autobind = true;
	}
	err = toy_hash_conn(sk, &tw_isn);
	if (err)
		goto err_unbind;
	sk->sk_gso_type = TOY_GSO_TYPE;	/* for sk_can_gso() */
	sk_setup_caps(sk, &rt->dst);

	ts->rcv.adv_mss = toy_route_mss(&rt->dst);
	ts->snd.mss = ts->rcv.adv_mss;
	toy_cc_init(&ts->cc, ts->snd.mss);
	toy_conn_start_seq(sk);
	if (tw_isn)		/* the 4-tuple's TIME_WAIT gave way to us */
		toy_conn_set_snd(ts, tw_isn, tw_isn);
	ts->snd.wnd = 1;		/* enough for the SYN */
	sk->sk_err = 0;
	sock_reset_flag(sk, SOCK_DONE);
	sk->sk_shutdown = 0;

	err = toy_queue_ctl(sk, TOY_F_SYN, sk->sk_allocation);
	if (err) {
		toy_unhash_conn(sk);
		if (autobind)
			toy_unbind(sk);
		goto err_addr;
	}
	toy_state_event(sk, TOY_EV_CONNECT);
	TOY_INC_STATS(sock_net(sk), ACTIVE_OPENS);
	toy_push(sk);
	return 0;

err_unbind:
	/* a port connect() chose goes with the attempt, as in TCP */
	if (autobind)
		toy_unbind(sk);
err_put:
	ip_rt_put(rt);
err_addr:
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	return err;
}

/*
 * connect(AF_UNSPEC), as tcp_disconnect(): whatever the socket was doing,
 * it ends (a connection with a reset) and the socket may connect again.
 */
static void toy_disconnect(struct sock *sk)
{
	switch (sk->sk_state) {
	case TOY_CLOSE:
		break;
	case TOY_LISTEN:
	case TOY_SYN_SENT:
		toy_state_event(sk, TOY_EV_CLOSE);
		break;
	default:
		toy_send_reset(sk);
		toy_abort(sk, 0);
		break;
	}
	__skb_queue_purge(&sk->sk_receive_queue);
	inet_sk(sk)->inet_daddr = 0;
	inet_sk(sk)->inet_dport = 0;
	sk->sk_shutdown = 0;
	sock_reset_flag(sk, SOCK_DONE);
	sk->sk_err = 0;
	sk->sk_err_soft = 0;
}

/*
 * As __inet_stream_connect(), with sock->state telling an attempt under way
 * (SS_CONNECTING) from a connection a connect() already reported
 * (SS_CONNECTED): the first connect() after a non-blocking one completed
 * returns 0, or the error that ended it.
 */
static int toy_connect(struct socket *sock, struct sockaddr *uaddr,
		       int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	long timeo;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	lock_sock(sk);
	if (uaddr->sa_family == AF_UNSPEC) {
		toy_disconnect(sk);
		sock->state = SS_UNCONNECTED;
		err = 0;
		goto out;
	}
	err = toy_check_addr(uaddr, addr_len);
	if (err)
		goto out;

	switch (sock->state) {
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		err = -EALREADY;
		break;
	default:
		/* a listener too: EISCONN */
		err = -EISCONN;
		if (sk->sk_state != TOY_CLOSE)
			goto out;
		err = toy_start_connect(sk, (struct sockaddr_toy *)uaddr);
		if (err)
			goto out;
		sock->state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	}

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if ((1 << sk->sk_state) & ((1 << TOY_SYN_SENT) | (1 << TOY_SYN_RECV))) {
		int werr;

		if (!timeo)
			goto out;	/* EINPROGRESS, or EALREADY */
		werr = toy_wait_connect(sk, &timeo);
		if (werr) {
			/* SO_SNDTIMEO ran out: err as set above */
			if (werr != -EINPROGRESS)
				err = werr;
			goto out;
		}
	}
	/* a reset, a timeout, an ICMP error, or a disconnect ended it */
	if (sk->sk_state == TOY_CLOSE) {
		err = sock_error(sk) ?: -ECONNABORTED;
		sock->state = SS_UNCONNECTED;
		goto out;
	}
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;
}

static int toy_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = 0;

	lock_sock(sk);
	if (sk->sk_state == TOY_LISTEN) {
		/* as in TCP: listen() again only changes the backlog */
		WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
		goto out;
	}
	if (sk->sk_state != TOY_CLOSE || inet_sk(sk)->inet_daddr) {
		err = -EINVAL;
		goto out;
	}
	/* as in TCP: an unbound socket gets an ephemeral port */
	if (!inet_sk(sk)->inet_num) {
		err = toy_bind_port(sk, 0);
		if (err)
			goto out;
	}
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	err = toy_listen_start(sk);
out:
	release_sock(sk);
	return err;
}

static int toy_wait_accept(struct sock *sk, long *timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct toy_sock *ts = toy_sk(sk);
	int err = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while (!READ_ONCE(ts->lsn.nr_ready)) {
		if (!*timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(*timeo);
			break;
		}
		sk_wait_event(sk, timeo, READ_ONCE(ts->lsn.nr_ready) ||
			      sk->sk_state != TOY_LISTEN, &wait);
		if (sk->sk_state != TOY_LISTEN) {
			err = -EINVAL;
			break;
		}
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

int toy_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct sock *sk = sock->sk, *child = NULL;
	long timeo;
	int err;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TOY_LISTEN)
		goto out;
	timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
	while (!child) {
		err = toy_wait_accept(sk, &timeo);
		if (err)
			goto out;
		child = toy_child_dequeue(sk);
	}
	lock_sock_nested(child, SINGLE_DEPTH_NESTING);
	sock_graft(child, newsock);
	newsock->state = SS_CONNECTED;
	release_sock(child);
	err = 0;
out:
	release_sock(sk);
	return err;
}

static int toy_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct sockaddr_toy *addr = (struct sockaddr_toy *)uaddr;
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);

	memset(addr, 0, sizeof(*addr));
	addr->stoy_family = AF_TOY;
	if (peer) {
		/*
		 * As inet_getname(): getpeername() (@peer 1) needs a
		 * connection; accept() (@peer 2) names the peer of a child
		 * even if a reset closed it in the accept queue, so that the
		 * reset reaches the application as ECONNRESET, not as
		 * accept()'s ECONNABORTED.
		 */
		if (!inet->inet_dport ||
		    (((1 << sk->sk_state) & ((1 << TOY_CLOSE) |
					     (1 << TOY_SYN_SENT) |
					     (1 << TOY_LISTEN))) && peer == 1))
			return -ENOTCONN;
		addr->stoy_port = inet->inet_dport;
		addr->stoy_addr.s_addr = inet->inet_daddr;
	} else {
		addr->stoy_port = inet->inet_sport;
		addr->stoy_addr.s_addr = inet->inet_rcv_saddr ?:
					 inet->inet_saddr;
	}
	return sizeof(*addr);
}

static __poll_t toy_poll(struct file *file, struct socket *sock,
			 poll_table *wait)
{
	struct sock *sk = sock->sk;
	__poll_t mask = 0;
	int state;

	/*
	 * On the wait queue first, then read the state, as tcp_poll(): a
	 * state change between the two would otherwise wake nobody and be
	 * missed by this poll too (a non-blocking connect() added to epoll
	 * just as its SYN-ACK arrives would never report EPOLLOUT).
	 */
	sock_poll_wait(file, sock, wait);
	state = inet_sk_state_load(sk);

	if (state == TOY_LISTEN)
		return READ_ONCE(toy_sk(sk)->lsn.nr_ready) ? EPOLLIN | EPOLLRDNORM : 0;

	if (READ_ONCE(sk->sk_err))
		mask |= EPOLLERR;
	if (sk->sk_shutdown == SHUTDOWN_MASK || state == TOY_CLOSE)
		mask |= EPOLLHUP;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
		mask |= EPOLLIN | EPOLLRDNORM;

	if (toy_state_connected(state) && !(sk->sk_shutdown & SEND_SHUTDOWN)) {
		if (toy_writable(sk)) {
			mask |= EPOLLOUT | EPOLLWRNORM;
		} else {
			sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			/* an ACK may have freed space meanwhile */
			smp_mb__after_atomic();
			if (toy_writable(sk))
				mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	return mask;
}

static int toy_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	/* SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2 become RCV and SEND bits */
	how++;
	if (how < RCV_SHUTDOWN || how > SHUTDOWN_MASK)
		return -EINVAL;

	lock_sock(sk);
	switch (sk->sk_state) {
	case TOY_CLOSE:
	case TOY_SYN_RECV:
		err = -ENOTCONN;
		break;
	case TOY_LISTEN:
		/* as inet_shutdown(): reading shut down stops the listening */
		if (how & RCV_SHUTDOWN)
			toy_state_event(sk, TOY_EV_CLOSE);
		break;
	case TOY_SYN_SENT:
		/* ... and ends a connection attempt */
		toy_state_event(sk, TOY_EV_CLOSE);
		sock->state = SS_UNCONNECTED;
		break;
	default:
		/* as TCP: a send() after SHUT_WR fails at once, not after the FIN */
		sk->sk_shutdown |= how;
		if (how & SEND_SHUTDOWN)
			toy_state_event(sk, TOY_EV_CLOSE);
		break;
	}
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

static int toy_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct toy_sock *ts;
	bool crowded, lingers;

	if (!sk)
		return 0;
	ts = toy_sk(sk);

	lock_sock(sk);
	crowded = toy_orphans_full();
	switch (sk->sk_state) {
	case TOY_LISTEN:
	case TOY_SYN_SENT:
		toy_state_event(sk, TOY_EV_CLOSE);
		break;
	case TOY_SYN_RECV:
		/* a simultaneous open half done: the peer must not wait */
		toy_send_reset(sk);
		toy_abort(sk, 0);
		break;
	case TOY_ESTABLISHED:
	case TOY_CLOSE_WAIT:
		/*
		 * RFC 2525 2.17: unread data means the peer must know. And an
		 * orphan lingers to finish the connection: as TCP's, only
		 * net.toy.max_orphans may (mem.c); beyond, the close resets.
		 */
		if (crowded)
			TOY_INC_STATS(sock_net(sk), ORPHAN_RESETS);
		/* ... and SO_LINGER with a zero time asks for a reset */
		if (!skb_queue_empty(&sk->sk_receive_queue) ||
		    ts->rcv.reasm.head || crowded ||
		    (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime)) {
			toy_send_reset(sk);
			toy_abort(sk, 0);
		} else {
			toy_state_event(sk, TOY_EV_CLOSE);
		}
		break;
	case TOY_FIN_WAIT2:
		toy_timewait_arm(sk, 2 * toy_pernet(sock_net(sk))->msl_ms);
		break;
	}
	skb_queue_purge(&sk->sk_receive_queue);
	ts->rcv.queued = 0;
	sock_orphan(sk);
	/* TIME_WAIT and CLOSE have nothing left to finish: no orphans */
	lingers = !((1 << sk->sk_state) & ((1 << TOY_CLOSE) |
					   (1 << TOY_TIME_WAIT)));
	if (lingers && crowded) {
		/* already closing (FIN_WAIT*, CLOSING, LAST_ACK) */
		TOY_INC_STATS(sock_net(sk), ORPHAN_RESETS);
		toy_send_reset(sk);
		toy_abort(sk, 0);
	} else if (lingers) {
		ts->timers.orphan = true;
		percpu_counter_inc(&toy_orphan_count);
	}
	if (sk->sk_state == TOY_CLOSE)
		toy_unbind(sk);
	release_sock(sk);
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

static int toy_setsockopt(struct socket *sock, int level, int optname,
			  sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	int val;

	/* as tcp_setsockopt(): IP's options (IP_TOS, IP_MTU_DISCOVER...) */
	if (level != SOL_TOY)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	if (optname != TOY_NODELAY)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	lock_sock(sk);
	toy_sk(sk)->snd.nodelay = !!val;
	release_sock(sk);
	return 0;
}

static int toy_getsockopt(struct socket *sock, int level, int optname,
			  char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct toy_info info;
	int len, val;
	void *src = &val;

	/* as tcp_getsockopt(): IP's options (IP_MTU...), else EOPNOTSUPP */
	if (level != SOL_TOY)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	lock_sock(sk);
	switch (optname) {
	case TOY_INFO:
		toy_fill_info(sk, &info);
		src = &info;
		len = min_t(int, len, sizeof(info));
		break;
	case TOY_MAXSEG:
		val = toy_sk(sk)->snd.mss;
		break;
	case TOY_NODELAY:
		val = toy_sk(sk)->snd.nodelay;
		break;
	default:
		release_sock(sk);
		return -ENOPROTOOPT;
	}
	release_sock(sk);

	if (src == &val) {
		if (len < (int)sizeof(int))
			return -EINVAL;
		len = sizeof(int);
	}
	if (put_user(len, optlen) || copy_to_user(optval, src, len))
		return -EFAULT;
	return 0;
}

const struct proto_ops toy_seqpacket_ops = {
	.family		= PF_TOY,
	.owner		= THIS_MODULE,
	.release	= toy_release,
	.bind		= toy_bind,
	.connect	= toy_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= toy_accept_op,
	.getname	= toy_getname,
	.poll		= toy_poll,
	.ioctl		= sock_no_ioctl,
	.listen		= toy_listen,
	.shutdown	= toy_shutdown,
	.setsockopt	= toy_setsockopt,
	.getsockopt	= toy_getsockopt,
	.sendmsg	= toy_sendmsg,
	.recvmsg	= toy_recvmsg,
	.mmap		= sock_no_mmap,
};

struct proto toy_prot = {
	.name		= "TOY",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct toy_sock),
	/* memory as TCP counts it (mem.c) */
	.enter_memory_pressure	= toy_enter_memory_pressure,
	.leave_memory_pressure	= toy_leave_memory_pressure,
	.memory_allocated	= &toy_memory_allocated,
	.per_cpu_fw_alloc	= &toy_memory_per_cpu_fw_alloc,
	.memory_pressure	= &toy_memory_pressure,
	.sockets_allocated	= &toy_sockets_allocated,
	.sysctl_mem		= sysctl_toy_mem,
	.sysctl_rmem		= sysctl_toy_rmem,
	.sysctl_wmem		= sysctl_toy_wmem,
	.backlog_rcv	= toy_do_rcv,
	.release_cb	= toy_release_cb,
};

static int toy_create(struct net *net, struct socket *sock, int protocol,
		      int kern)
{
	struct sock *sk;

	if (protocol && protocol != IPPROTO_TOY)
		return -EPROTONOSUPPORT;
	if (sock->type != SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;

	sk = sk_alloc(net, PF_TOY, GFP_KERNEL, &toy_prot, kern);
	if (!sk)
		return -ENOBUFS;
	sock->ops = &toy_seqpacket_ops;
	sock->state = SS_UNCONNECTED;
	sock_init_data(sock, sk);
	toy_sock_init(sk);
	return 0;
}

const struct net_proto_family toy_family_ops = {
	.family	= PF_TOY,
	.create	= toy_create,
	.owner	= THIS_MODULE,
};
