// SPDX-License-Identifier: GPL-2.0
/*
 * Host-run unit test of sha256.c: the FIPS 180-2 appendix B vectors (one
 * block, two blocks, one million 'a'), the empty message, every length
 * around the padding boundaries hashed whole and fed in pieces of every
 * size (the incremental path must agree with the one-shot path).
 * Prints "PASS: ..."/"FAIL: ..." lines; exits 1 on any failure.
 */
#include <stdio.h>
#include <string.h>

#include "sha256.h"

static int failed;

static void hex(const uint8_t *d, char *out)
{
	for (int i = 0; i < SHA256_DIGEST_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void expect(const char *name, const uint8_t *d, const char *want)
{
	char got[2 * SHA256_DIGEST_LEN + 1];

	hex(d, got);
	if (strcmp(got, want)) {
		printf("# %s:\n#   got  %s\n#   want %s\n", name, got, want);
		printf("FAIL: sha256: %s\n", name);
		failed = 1;
	} else {
		printf("PASS: sha256: %s\n", name);
	}
}

int main(void)
{
	static const char *abc = "abc";
	static const char *two =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static uint8_t buf[1000000];
	uint8_t d[SHA256_DIGEST_LEN], d2[SHA256_DIGEST_LEN];
	struct sha256 c;
	int bad = 0;

	sha256(abc, 3, d);
	expect("FIPS 180-2 B.1 \"abc\"", d,
	       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256(two, strlen(two), d);
	expect("FIPS 180-2 B.2 448-bit message", d,
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(buf, 'a', sizeof(buf));
	sha256(buf, sizeof(buf), d);
	expect("FIPS 180-2 B.3 one million 'a'", d,
	       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* the same million fed in 997-byte pieces */
	sha256_init(&c);
	for (size_t off = 0; off < sizeof(buf); off += 997)
		sha256_update(&c, buf + off,
			      sizeof(buf) - off < 997 ? sizeof(buf) - off : 997);
	sha256_final(&c, d);
	expect("one million 'a' in 997-byte updates", d,
	       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	sha256("", 0, d);
	expect("empty message", d,
	       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	/* lengths 0..200 (every padding case), split at every point */
	for (size_t i = 0; i < 200; i++)
		buf[i] = (uint8_t)(i * 37 + 11);
	for (size_t len = 0; len <= 200 && !bad; len++) {
		sha256(buf, len, d);
		for (size_t cut = 0; cut <= len; cut++) {
			sha256_init(&c);
			sha256_update(&c, buf, cut);
			sha256_update(&c, buf + cut, len - cut);
			sha256_final(&c, d2);
			if (memcmp(d, d2, sizeof(d))) {
				printf("# length %zu split at %zu differs\n", len, cut);
				bad = 1;
				break;
			}
		}
	}
	printf("%s: sha256: split updates agree with one-shot for lengths 0..200\n",
	       bad ? "FAIL" : "PASS");
	failed |= bad;
	return failed;
}
