// SPDX-License-Identifier: GPL-2.0
/*
 * toy-file-server / toy-file-client: file transfer over AF_TOY, each file
 * checked with SHA-256 on arrival.
 *
 *	toy-file-server 0.0.0.0:7300 /srv/files
 *	toy-file-client 10.0.0.2:7300 get report.pdf        (download)
 *	toy-file-client 10.0.0.2:7300 put notes.txt         (upload)
 *
 * The protocol is a sequence of messages, one per thing said:
 *
 *	request     "GET <name>" or "PUT <name>"         client -> server
 *	transfer    "NAME <name>"                         sender -> receiver
 *	            "SIZE <bytes, decimal>"
 *	            content, in messages of up to 64 KiB (raw bytes, no
 *	            header: the receiver counts them against SIZE)
 *	            "SHA256 <64 hex digits>"              of the content
 *	verdict     "OK <hex>" or "MISMATCH <hex>"        receiver -> sender
 *	            (the receiver's own hash of what arrived)
 *	or instead  "ERROR <why>"                         either way
 *
 * Compare a byte stream (TCP): there, "NAME x" and the first bytes of the
 * content can arrive glued together in one recv(), and a recv() can return
 * half a chunk, so each field needs a length prefix (struct.pack("I", n)
 * in the Python tutorials) and a loop that calls recv() until that many
 * bytes are in. With AF_TOY each send() arrives as exactly one recv(): the
 * receiver reads one message and knows it has the whole name, or the whole
 * size, or the whole chunk.
 *
 * A transfer shows a progress bar on a terminal (stderr), and a plain line
 * at every quarter otherwise.
 *
 * This one source file builds both programs (TOY_FILE_SERVER selects).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "toy.h"
#include "sha256.h"

#ifdef TOY_FILE_SERVER
#define PROG "toy-file-server"
#else
#define PROG "toy-file-client"
#endif

#define NAME_MAX_LEN	255
#define HEX_LEN		(2 * SHA256_DIGEST_LEN)

static size_t chunk = 64 * 1024;
static int verbose, progress = 1, timeout_ms = 30000;
static const char *who = "";	/* "10.0.0.1:40000: " on the server */

static void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void msg(const char *fmt, ...)
{
	va_list ap;

	printf("%s", who);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, PROG ": %s", who);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void hex(const uint8_t d[SHA256_DIGEST_LEN], char out[HEX_LEN + 1])
{
	for (int i = 0; i < SHA256_DIGEST_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* A name we accept: one path component, printable, not "." or "..". */
static int name_ok(const char *n)
{
	size_t len = strlen(n);

	if (!len || len > NAME_MAX_LEN || !strcmp(n, ".") || !strcmp(n, ".."))
		return 0;
	for (const char *p = n; *p; p++)
		if (*p == '/' || (unsigned char)*p < 0x20)
			return 0;
	return 1;
}

/* ---- messages ---------------------------------------------------------- */

static int send_text(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int send_text(int fd, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (verbose)
		msg("  sent message: \"%s\"", buf);
	if (toy_send_msg(fd, buf, n) < 0) {
		err("%s", toy_last_error());
		return -1;
	}
	return 0;
}

/*
 * Receive one message into buf (capacity cap, NUL-terminated for text).
 * Returns its length, or -1 (reported) on an error, end of stream, a time
 * out, or a message longer than cap.
 */
static ssize_t recv_one(int fd, char *buf, size_t cap, const char *what)
{
	int trunc;
	ssize_t n = toy_recv_msg_timeout(fd, buf, cap - 1, &trunc, timeout_ms);

	if (n < 0) {
		err("waiting for %s: %s", what, toy_last_error());
		return -1;
	}
	if (n == 0) {
		err("waiting for %s: the other side closed the connection",
		    what);
		return -1;
	}
	if (trunc) {
		err("waiting for %s: got a message longer than %zu bytes", what,
		    cap - 1);
		return -1;
	}
	buf[n] = '\0';
	return n;
}

/* A text message that must start with "WORD "; returns the rest or NULL. */
static char *expect_word(int fd, char *buf, size_t cap, const char *word,
			 const char *what)
{
	size_t wl = strlen(word);

	if (recv_one(fd, buf, cap, what) < 0)
		return NULL;
	if (verbose)
		msg("  got message: \"%s\"", buf);
	if (!strncmp(buf, "ERROR ", 6)) {
		err("the other side says: %s", buf + 6);
		return NULL;
	}
	if (strncmp(buf, word, wl) || buf[wl] != ' ') {
		err("waiting for %s: expected \"%s ...\", got \"%.60s\"", what,
		    word, buf);
		return NULL;
	}
	return buf + wl + 1;
}

/* ---- progress ---------------------------------------------------------- */

struct progress {
	const char *verb, *name;
	uint64_t total, done;
	double t0, last;
	int tty, quarter;
};

static void human(char *b, size_t n, double v)
{
	static const char *u[] = { "B", "KiB", "MiB", "GiB" };
	int i = 0;

	while (v >= 1024 && i < 3) {
		v /= 1024;
		i++;
	}
	snprintf(b, n, i ? "%.1f %s" : "%.0f %s", v, u[i]);
}

static void progress_start(struct progress *p, const char *verb,
			   const char *name, uint64_t total)
{
	memset(p, 0, sizeof(*p));
	p->verb = verb;
	p->name = name;
	p->total = total;
	p->t0 = p->last = now_s();
	p->tty = isatty(2);
}

static void progress_update(struct progress *p, uint64_t done, int final)
{
	double t = now_s(), rate;
	char a[32], b[32], r[32];
	int pct, q;

	p->done = done;
	if (!progress)
		return;
	pct = p->total ? (int)(done * 100 / p->total) : 100;
	rate = t > p->t0 ? done / (t - p->t0) : 0;
	human(a, sizeof(a), done);
	human(b, sizeof(b), p->total);
	human(r, sizeof(r), rate);
	if (p->tty) {
		char bar[31];
		int fill = pct * 30 / 100;

		if (!final && t - p->last < 0.1)
			return;
		p->last = t;
		memset(bar, '#', fill);
		memset(bar + fill, '.', 30 - fill);
		bar[30] = '\0';
		fprintf(stderr, "\r%s%s [%s] %3d%% %s of %s, %s/s ", who,
			p->verb, bar, pct, a, b, r);
		if (final)
			fprintf(stderr, "\n");
		return;
	}
	/* not a terminal: a plain line at 25, 50, 75 and 100% */
	q = pct / 25;
	if (q > p->quarter || (final && p->quarter < 4)) {
		p->quarter = final ? 4 : q;
		fprintf(stderr, "%s%s %s: %3d%% (%" PRIu64 " of %" PRIu64
			" bytes)\n", who, p->verb, p->name, final ? 100 : q * 25,
			done, p->total);
	}
}

/* ---- sending a file ---------------------------------------------------- */

/*
 * Send the file at path under the name name: NAME, SIZE, content, SHA256,
 * then wait for the verdict. Returns 0 when the receiver's hash matched,
 * -1 on a failure after which the connection can carry on (an ERROR or a
 * MISMATCH was exchanged), -2 when it cannot (stopped mid-transfer).
 */
static int send_file(int fd, const char *path, const char *name)
{
	struct sha256 h;
	struct progress pr;
	uint8_t d[SHA256_DIGEST_LEN];
	char hx[HEX_LEN + 1], reply[256], *rest;
	uint64_t size, sent = 0;
	unsigned long nmsg = 0;
	struct stat st;
	char *buf;
	int in;

	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		int e = in < 0 ? errno : S_ISREG(st.st_mode) ? errno : EISDIR;

		err("%s: %s", path, strerror(e));
		send_text(fd, "ERROR cannot read %s: %s", name, strerror(e));
		if (in >= 0)
			close(in);
		return -1;
	}
	size = st.st_size;
	buf = malloc(chunk);
	if (!buf) {
		err("out of memory");
		close(in);
		return -1;
	}
	if (send_text(fd, "NAME %s", name) < 0 ||
	    send_text(fd, "SIZE %" PRIu64, size) < 0)
		goto fail;
	nmsg = 2;

	sha256_init(&h);
	progress_start(&pr, "sending", name, size);
	while (sent < size) {
		size_t want = size - sent < chunk ? size - sent : chunk;
		ssize_t n = read(in, buf, want);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err("%s: %s", path, n ? strerror(errno) :
			    "file got shorter while being sent");
			goto fail;
		}
		sha256_update(&h, buf, n);
		if (toy_send_msg(fd, buf, n) < 0) {
			err("%s", toy_last_error());
			goto fail;
		}
		if (verbose)
			msg("  sent message: %zd bytes of content", n);
		sent += n;
		nmsg++;
		progress_update(&pr, sent, 0);
	}
	progress_update(&pr, sent, 1);
	sha256_final(&h, d);
	hex(d, hx);
	if (send_text(fd, "SHA256 %s", hx) < 0)
		goto fail;
	nmsg++;
	free(buf);
	close(in);

	/* the verdict: the receiver's own hash of what arrived */
	if (recv_one(fd, reply, sizeof(reply), "the receiver's verdict") < 0)
		return -2;
	if (verbose)
		msg("  got message: \"%s\"", reply);
	if (!strncmp(reply, "OK ", 3) && !strcmp(reply + 3, hx)) {
		msg("sent %s: %" PRIu64 " bytes in %lu messages (name, size, "
		    "%lu content, SHA-256) in %.2f s; receiver's SHA-256 "
		    "matches: %s", name, size, nmsg, nmsg - 3,
		    now_s() - pr.t0, hx);
		return 0;
	}
	rest = strchr(reply, ' ');
	err("sent %s, but the receiver says %s (its SHA-256 %s, ours %s)",
	    name, reply, rest ? rest + 1 : "?", hx);
	return -1;
fail:
	free(buf);
	close(in);
	return -2;
}

/* ---- receiving a file -------------------------------------------------- */

/*
 * Receive one transfer into directory dir (NULL: as out_path). The file
 * is written to a temporary name and renamed into place only once its
 * SHA-256 matches. Returns 0 on success, -1 or -2 as send_file() does.
 */
static int recv_file(int fd, const char *dir, const char *out_path,
		     const char *want_name)
{
	char text[512], name[NAME_MAX_LEN + 1], path[PATH_MAX], tmp[PATH_MAX];
	char hx[HEX_LEN + 1], *v, *end;
	uint8_t d[SHA256_DIGEST_LEN];
	uint64_t size, got = 0;
	unsigned long nmsg = 2;
	struct progress pr;
	struct sha256 h;
	char *buf = NULL;
	int out = -1;
	double t0 = now_s();

	v = expect_word(fd, text, sizeof(text), "NAME", "the file's name");
	if (!v)
		return -1;
	if (!name_ok(v)) {
		err("refusing the file name \"%s\" (one path component, "
		    "please)", v);
		send_text(fd, "ERROR bad file name");
		return -2;	/* the rest of the transfer is still coming */
	}
	snprintf(name, sizeof(name), "%s", v);
	if (want_name && strcmp(name, want_name))
		msg("note: asked for %s, the server sends %s", want_name,
		    name);
	v = expect_word(fd, text, sizeof(text), "SIZE", "the file's size");
	if (!v)
		return -2;
	errno = 0;
	size = strtoull(v, &end, 10);
	if (!*v || *end || errno) {
		err("bad size \"%s\"", v);
		send_text(fd, "ERROR bad size");
		return -2;
	}

	if ((out_path ? snprintf(path, sizeof(path), "%s", out_path) :
	     snprintf(path, sizeof(path), "%s/%s", dir, name)) >=
	    (int)sizeof(path) - 5) {
		err("%s: path too long", name);
		send_text(fd, "ERROR path too long on the receiving side");
		return -2;
	}
	memcpy(tmp, path, strlen(path));
	strcpy(tmp + strlen(path), ".part");
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		err("%s: %s", tmp, strerror(errno));
		send_text(fd, "ERROR cannot write %s on the receiving side",
			  name);
		goto fail;
	}
	msg("receiving %s: %" PRIu64 " bytes", name, size);

	sha256_init(&h);
	progress_start(&pr, "receiving", name, size);
	while (got < size) {
		ssize_t n;

		free(buf);
		buf = NULL;
		if (toy_wait_readable(fd, timeout_ms) < 0) {
			err("%s after %" PRIu64 " of %" PRIu64 " bytes: %s",
			    name, got, size, toy_last_error());
			goto fail;
		}
		/* any size the sender chose, one whole message */
		n = toy_recv_msg_alloc(fd, (void **)&buf);
		if (n <= 0) {
			err("%s after %" PRIu64 " of %" PRIu64 " bytes: %s",
			    name, got, size, n ? toy_last_error() :
			    "the sender closed the connection");
			goto fail;
		}
		if ((uint64_t)n > size - got) {
			err("%s: a content message of %zd bytes overruns the "
			    "size (%" PRIu64 " of %" PRIu64 " bytes in)", name,
			    n, got, size);
			send_text(fd, "ERROR content longer than SIZE");
			goto fail;
		}
		if (verbose)
			msg("  got message: %zd bytes of content", n);
		sha256_update(&h, buf, n);
		if (write(out, buf, n) != n) {
			err("%s: %s", tmp, strerror(errno));
			send_text(fd, "ERROR cannot write %s on the receiving "
				  "side", name);
			goto fail;
		}
		got += n;
		nmsg++;
		progress_update(&pr, got, 0);
	}
	progress_update(&pr, got, 1);
	sha256_final(&h, d);
	hex(d, hx);

	v = expect_word(fd, text, sizeof(text), "SHA256", "the SHA-256");
	if (!v)
		goto fail;
	nmsg++;
	if (close(out) < 0) {
		out = -1;
		err("%s: %s", tmp, strerror(errno));
		goto fail;
	}
	out = -1;
	if (strcmp(v, hx)) {
		err("%s: SHA-256 MISMATCH: the sender's is %s, what arrived "
		    "hashes to %s; file discarded", name, v, hx);
		send_text(fd, "MISMATCH %s", hx);
		unlink(tmp);
		free(buf);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		err("rename %s to %s: %s", tmp, path, strerror(errno));
		send_text(fd, "ERROR cannot write %s on the receiving side",
			  name);
		goto fail;
	}
	if (send_text(fd, "OK %s", hx) < 0)
		goto fail;
	msg("received %s: %" PRIu64 " bytes in %lu messages (name, size, %lu "
	    "content, SHA-256) in %.2f s, saved as %s", name, size, nmsg,
	    nmsg - 3, now_s() - t0, path);
	msg("SHA-256 %s OK (matches the sender's)", hx);
	free(buf);
	return 0;
fail:
	if (out >= 0) {
		close(out);
		unlink(tmp);
	}
	free(buf);
	return -2;
}

#ifdef TOY_FILE_SERVER

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-file-server ADDR:PORT DIR [options]\n"
"\n"
"Serve the files in DIR: a client may download them (get) and upload new\n"
"ones into DIR (put); every transfer is checked with SHA-256. Each\n"
"connection is served by its own process and may carry many requests.\n"
"  --once, -1      serve one connection, then exit (status 0 if every\n"
"                  request on it succeeded)\n"
"  --read-only     refuse uploads\n"
"  --verbose, -v   print every protocol message\n"
"  --chunk BYTES   content message size (default 65536)\n"
"  --timeout MS    give up on a silent client (default 30000)\n");
}

static int read_only;

static int serve(int fd, const char *dir)
{
	char req[512];
	int rc = 0;

	for (;;) {
		int trunc, r = 0;
		ssize_t n = toy_recv_msg(fd, req, sizeof(req) - 1, &trunc);

		if (n == 0)
			break;
		if (n < 0) {
			err("%s", toy_last_error());
			return 1;
		}
		req[n] = '\0';
		if (verbose)
			msg("  got message: \"%s\"", req);
		if (trunc) {
			send_text(fd, "ERROR request too long");
			rc = 1;
		} else if (!strncmp(req, "GET ", 4)) {
			char path[PATH_MAX];

			if (!name_ok(req + 4)) {
				send_text(fd, "ERROR bad file name \"%s\"",
					  req + 4);
				rc = 1;
				continue;
			}
			msg("get %s", req + 4);
			snprintf(path, sizeof(path), "%s/%s", dir, req + 4);
			r = send_file(fd, path, req + 4);
		} else if (!strncmp(req, "PUT ", 4)) {
			msg("put %s", req + 4);
			if (read_only) {
				send_text(fd, "ERROR this server is read-only");
				rc = 1;
				continue;
			}
			r = recv_file(fd, dir, NULL, NULL);
		} else {
			send_text(fd, "ERROR unknown request \"%.40s\" (GET "
				  "name or PUT name)", req);
			rc = 1;
		}
		if (r < 0)
			rc = 1;
		if (r == -2) {
			msg("transfer broken off: closing the connection");
			return 1;
		}
	}
	msg("done");
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "once", no_argument, 0, '1' },
		{ "read-only", no_argument, 0, 'r' },
		{ "verbose", no_argument, 0, 'v' },
		{ "chunk", required_argument, 0, 'c' },
		{ "timeout", required_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	struct sockaddr_toy la;
	char ls[TOY_ADDRSTRLEN];
	const char *dir;
	struct stat st;
	int opt, once = 0, lfd;

	while ((opt = getopt_long(argc, argv, "1rvc:t:h", lo, NULL)) != -1) {
		switch (opt) {
		case '1': once = 1; break;
		case 'r': read_only = 1; break;
		case 'v': verbose = 1; break;
		case 'c': chunk = strtoul(optarg, NULL, 0); break;
		case 't': timeout_ms = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 2 || !chunk || chunk > TOY_MSG_MAX) {
		usage(stderr);
		return 2;
	}
	dir = argv[optind + 1];
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		err("%s is not a directory", dir);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGCHLD, SIG_IGN);
	progress = 0;		/* nobody watches a server's terminal */

	lfd = toy_listen(argv[optind], 16);
	if (lfd < 0 || toy_local_addr(lfd, &la) < 0) {
		err("%s", toy_last_error());
		return 1;
	}
	printf("serving %s on %s\n", dir, toy_addr_format(&la, ls, sizeof(ls)));
	for (;;) {
		static char whobuf[TOY_ADDRSTRLEN + 4];
		struct sockaddr_toy pa;
		char ps[TOY_ADDRSTRLEN];
		int fd = toy_accept(lfd, &pa);
		pid_t pid;

		if (fd < 0) {
			err("%s", toy_last_error());
			if (errno == ECONNABORTED)
				continue;
			return 1;
		}
		toy_addr_format(&pa, ps, sizeof(ps));
		printf("%s: connected\n", ps);
		snprintf(whobuf, sizeof(whobuf), "%s: ", ps);
		if (once) {
			close(lfd);
			who = whobuf;
			return serve(fd, dir);
		}
		pid = fork();
		if (pid == 0) {
			close(lfd);
			who = whobuf;
			_exit(serve(fd, dir));
		}
		if (pid < 0)
			perror(PROG ": fork");
		close(fd);
	}
}

#else /* the client */

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-file-client ADDR:PORT get NAME... [-o DIR | -O FILE]\n"
"       toy-file-client ADDR:PORT put FILE...\n"
"\n"
"get: download NAME from a toy-file-server into DIR (default: the current\n"
"     directory) or, for one NAME, into FILE.\n"
"put: upload each FILE (under its base name) into the server's directory.\n"
"Every file is checked with SHA-256 on arrival; exit status 0 only if\n"
"all of them matched.\n"
"  --verbose, -v     print every protocol message\n"
"  --no-progress     no progress bar / progress lines\n"
"  --chunk BYTES     content message size for put (default 65536)\n"
"  --timeout MS      connect time limit, and how long to wait for each\n"
"                    message (default 30000)\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "output-dir", required_argument, 0, 'o' },
		{ "output", required_argument, 0, 'O' },
		{ "verbose", no_argument, 0, 'v' },
		{ "no-progress", no_argument, 0, 'P' },
		{ "chunk", required_argument, 0, 'c' },
		{ "timeout", required_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *outdir = ".", *outfile = NULL, *cmd;
	struct sockaddr_toy pa;
	char ps[TOY_ADDRSTRLEN];
	int opt, fd, rc = 0, put;

	while ((opt = getopt_long(argc, argv, "o:O:vPc:t:h", lo, NULL)) != -1) {
		switch (opt) {
		case 'o': outdir = optarg; break;
		case 'O': outfile = optarg; break;
		case 'v': verbose = 1; break;
		case 'P': progress = 0; break;
		case 'c': chunk = strtoul(optarg, NULL, 0); break;
		case 't': timeout_ms = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind < 3 || !chunk || chunk > TOY_MSG_MAX) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind + 1];
	put = !strcmp(cmd, "put");
	if (!put && strcmp(cmd, "get")) {
		err("unknown command \"%s\": get or put", cmd);
		return 2;
	}
	if (outfile && (put || argc - optind != 3)) {
		err("-O FILE is for downloading one file");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	fd = toy_connect(argv[optind], timeout_ms);
	if (fd < 0 || toy_peer_addr(fd, &pa) < 0) {
		err("%s", toy_last_error());
		return 1;
	}
	msg("connected to %s", toy_addr_format(&pa, ps, sizeof(ps)));

	for (int i = optind + 2; i < argc; i++) {
		int r = 0;

		if (put) {
			const char *base = strrchr(argv[i], '/');

			base = base ? base + 1 : argv[i];
			if (!name_ok(base)) {
				err("%s: not a file name to upload", argv[i]);
				rc = 1;
				continue;
			}
			if (send_text(fd, "PUT %s", base) < 0)
				return 1;
			r = send_file(fd, argv[i], base);
		} else {
			if (!name_ok(argv[i])) {
				err("%s: give a file name, not a path",
				    argv[i]);
				rc = 1;
				continue;
			}
			if (send_text(fd, "GET %s", argv[i]) < 0)
				return 1;
			r = recv_file(fd, outdir, outfile, argv[i]);
		}
		if (r < 0)
			rc = 1;
		if (r == -2)
			break;	/* the connection is out of step */
	}
	if (close(fd) < 0) {
		err("close: %s", strerror(errno));
		rc = 1;
	}
	return rc;
}

#endif
