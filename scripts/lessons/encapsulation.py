# SPDX-License-Identifier: GPL-2.0
"""The encapsulation lesson's capture: one AF_TOY data segment, layer by layer.

  encapsulation.py DEV PORT READY LANG   capture on DEV (AF_PACKET, in the
      receiver's namespace) until an IPv4 protocol 253 frame to PORT with
      payload arrives (touch READY once listening); print its bytes and
      each layer's fields; last line "RESULT proto=.. dport=.. hlen=..
      flags=.. payload=.."
"""
import socket
import struct
import sys

DEV, PORT, READY, ZH = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].startswith("zh")
FLAGS = ["SYN", "ACK", "FIN", "RST", "EOM"]


def t(en, zh):
    return zh if ZH else en


def hexdump(b, indent="      "):
    for i in range(0, len(b), 16):
        print("%s%04x  %s" % (indent, i, " ".join("%02x" % x for x in b[i:i + 16])))


def mac(b):
    return ":".join("%02x" % x for x in b)


def main():
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind((DEV, 0))
    s.settimeout(20)
    open(READY, "w").close()
    while True:
        f = s.recv(65535)
        if len(f) < 34 or f[12:14] != b"\x08\x00" or f[23] != 253:
            continue
        ihl = (f[14] & 0x0f) * 4
        toy = f[14 + ihl:]
        sport, dport, seq, ack, hwords, fl, csum, win = struct.unpack("!HHIIBBHI", toy[:20])
        hlen = hwords * 4
        if dport != PORT or len(toy) <= hlen:
            continue
        break
    eth, ip, opts, payload = f[:14], f[14:14 + ihl], toy[20:hlen], toy[hlen:]
    print(t("  The whole frame, %d bytes, as the wire carried it:",
            "  整个帧共 %d 字节，就是线路上传输的样子：") % len(f))
    hexdump(f)
    print(t("  1. Ethernet (14 bytes):", "  1. 以太网头（14 字节）："))
    hexdump(eth)
    print("      dst %s  src %s  type 0x%04x (IPv4)" % (mac(eth[0:6]), mac(eth[6:12]),
                                                     struct.unpack("!H", eth[12:14])[0]))
    ver, tos, tot, ident, frag, ttl, proto, ipsum = struct.unpack("!BBHHHBBH", ip[:12])
    print(t("  2. IPv4 (%d bytes):", "  2. IPv4 头（%d 字节）：") % ihl)
    hexdump(ip)
    print("      version %d  header %d bytes  total length %d  TTL %d  protocol %d%s"
          % (ver >> 4, ihl, tot, ttl, proto, t(" (AF_TOY; TCP is 6)", "（AF_TOY；TCP 是 6）")))
    print("      src %s  dst %s" % (socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20])))
    flags = "+".join(n for i, n in enumerate(FLAGS) if fl & (1 << i))
    print(t("  3. AF_TOY header (%d bytes: 20 fixed, %d of options):",
            "  3. AF_TOY 头（%d 字节：固定 20 字节，选项 %d 字节）：") % (hlen, len(opts)))
    hexdump(toy[:hlen])
    print(t("      source port %d  destination port %d", "      源端口 %d  目的端口 %d") % (sport, dport))
    print(t("      sequence number %d  acknowledgment number %d", "      序号 %d  确认号 %d") % (seq, ack))
    print(t("      header length %d words (%d bytes)  flags %s (0x%02x)",
            "      头部长度 %d 个 32 位字（%d 字节）  标志 %s (0x%02x)") % (hwords, hlen, flags, fl))
    print(t("      checksum 0x%04x  window %d bytes", "      校验和 0x%04x  窗口 %d 字节") % (csum, win))
    i = 0
    while i < len(opts):
        kind = opts[i]
        if kind in (0, 1):
            print(t("      option %d (padding)", "      选项 %d（填充）") % kind)
            i += 1
            continue
        ln = opts[i + 1]
        if kind == 8:
            tv, te = struct.unpack("!II", opts[i + 2:i + 10])
            print(t("      option 8, timestamps: TSval %d TSecr %d", "      选项 8，时间戳：TSval %d TSecr %d") % (tv, te))
        else:
            print(t("      option %d, %d bytes", "      选项 %d，%d 字节") % (kind, ln))
        i += max(ln, 2)
    print(t("  4. Payload (%d bytes): %r", "  4. 载荷（%d 字节）：%r") % (len(payload), payload.decode(errors="replace")))
    print("RESULT proto=%d dport=%d hlen=%d flags=%s payload=%s ethertype=%04x"
          % (proto, dport, hlen, flags, payload.decode(errors="replace"),
             struct.unpack("!H", eth[12:14])[0]))


if __name__ == "__main__":
    main()
