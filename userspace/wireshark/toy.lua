-- SPDX-License-Identifier: GPL-2.0
--[[
Wireshark/tshark dissector for AF_TOY, the reliable-datagram transport over
IPv4 protocol 253 (module/wire.h is the one definition of the wire format;
this file mirrors it and module/wire.c's toy_hdr_parse()).

  tshark -X lua_script:userspace/wireshark/toy.lua -r capture.pcap
  make install-dissector      (copies it where Wireshark loads Lua plugins)

What it shows, per segment: every header field and option under the names
wire.h gives them (toy.source, toy.dest, toy.seq, toy.ack_seq, toy.doff,
toy.flags, toy.check, toy.window, toy.opt.*), the flags as a bit field,
message boundaries (EOM), the checksum verified as the kernel does, the
header verdict toy_hdr_parse() would return (anything but OK is flagged
malformed: the kernel drops such segments), relative sequence numbers per
connection as Wireshark does for TCP, retransmission / duplicate ACK /
out-of-order analysis, and each message reassembled whole on the segment
that completes it.

Written for Wireshark 4.0's Lua 5.2 (bit32, no integer operators).
Sequence analysis is computed once, on the first pass in frame order, and
kept per frame, so later passes (the GUI, tshark -2) show the same result.
]]

local PROTO_NUM = 253           -- IPPROTO_TOY (uapi/linux/toy.h)
local HDR_LEN, HDR_MAX_LEN = 20, 60
local F_SYN, F_ACK, F_FIN, F_RST, F_EOM, F_ALL = 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f
local OPT_END, OPT_NOP, OPT_MSS, OPT_SACK, OPT_TS = 0, 1, 2, 5, 8
local OPT_MSS_LEN, OPT_TS_LEN, SACK_MAX_BLOCKS, MIN_MSS = 4, 10, 4, 64
local MOD32 = 4294967296

local band = bit32.band

-- enum toy_hdr_verdict, same numbers and names as wire.h (TOY_HDR_*)
local V_OK, V_SHORT, V_BADLEN, V_BADFLAGS, V_BADOPT, V_UNKNOWNOPT = 0, 1, 2, 3, 4, 5
local verdict_names = { [0] = "OK", "SHORT", "BADLEN", "BADFLAGS", "BADOPT", "UNKNOWNOPT" }
local optkind_names = { [0] = "END", [1] = "NOP", [2] = "MSS", [5] = "SACK", [8] = "TS" }
-- like Wireshark's PROTO_CHECKSUM_E_*, plus "partial": see csum_check()
local CS_BAD, CS_GOOD, CS_UNVERIFIED, CS_PARTIAL = 0, 1, 2, 3
local csum_names = { [0] = "Bad", "Good", "Unverified", "Partial (offloaded, not yet filled in)" }

local toy = Proto("toy", "AF_TOY Reliable Datagram Protocol")

local pf = {
	source   = ProtoField.uint16("toy.source", "Source Port"),
	dest     = ProtoField.uint16("toy.dest", "Destination Port"),
	port     = ProtoField.uint16("toy.port", "Source or Destination Port"),
	stream   = ProtoField.uint32("toy.stream", "Stream index"),
	seq      = ProtoField.uint32("toy.seq", "Sequence Number"),
	seq_raw  = ProtoField.uint32("toy.seq_raw", "Sequence Number (raw)"),
	nxtseq   = ProtoField.uint32("toy.nxtseq", "Next Sequence Number"),
	ack_seq  = ProtoField.uint32("toy.ack_seq", "Acknowledgment Number"),
	ack_raw  = ProtoField.uint32("toy.ack_seq_raw", "Acknowledgment Number (raw)"),
	doff     = ProtoField.uint8("toy.doff", "Header Length (32-bit words)"),
	hdr_len  = ProtoField.uint8("toy.hdr_len", "Header Length (bytes)"),
	flags    = ProtoField.uint8("toy.flags", "Flags", base.HEX),
	f_res    = ProtoField.uint8("toy.flags.res", "Reserved", base.HEX, nil, 0xe0),
	f_eom    = ProtoField.bool("toy.flags.eom", "EOM (end of message)", 8, nil, F_EOM),
	f_rst    = ProtoField.bool("toy.flags.rst", "RST", 8, nil, F_RST),
	f_fin    = ProtoField.bool("toy.flags.fin", "FIN", 8, nil, F_FIN),
	f_ack    = ProtoField.bool("toy.flags.ack", "ACK", 8, nil, F_ACK),
	f_syn    = ProtoField.bool("toy.flags.syn", "SYN", 8, nil, F_SYN),
	f_str    = ProtoField.string("toy.flags.str", "Flags"),
	check    = ProtoField.uint16("toy.check", "Checksum", base.HEX),
	check_calc = ProtoField.uint16("toy.check.calculated", "Calculated Checksum", base.HEX),
	check_status = ProtoField.uint8("toy.check.status", "Checksum Status", base.DEC, csum_names),
	window   = ProtoField.uint32("toy.window", "Window (bytes)"),
	len      = ProtoField.uint32("toy.len", "Payload Length"),
	verdict  = ProtoField.uint8("toy.verdict", "Header Verdict (toy_hdr_parse)", base.DEC, verdict_names),
	options  = ProtoField.bytes("toy.options", "Options"),
	opt      = ProtoField.uint8("toy.opt", "Option", base.DEC, optkind_names),
	opt_kind = ProtoField.uint8("toy.opt.kind", "Kind", base.DEC, optkind_names),
	opt_len  = ProtoField.uint8("toy.opt.len", "Length"),
	opt_mss  = ProtoField.uint16("toy.opt.mss", "MSS (largest payload)"),
	opt_nr_sack = ProtoField.uint8("toy.opt.nr_sack", "SACK blocks"),
	opt_sack_start = ProtoField.uint32("toy.opt.sack.start", "SACK block start"),
	opt_sack_end   = ProtoField.uint32("toy.opt.sack.end", "SACK block end"),
	opt_dsack  = ProtoField.bool("toy.opt.sack.dsack", "D-SACK (RFC 2883: a duplicate was received)"),
	opt_tsval  = ProtoField.uint32("toy.opt.tsval", "TSval"),
	opt_tsecr  = ProtoField.uint32("toy.opt.tsecr", "TSecr"),
	opt_value  = ProtoField.bytes("toy.opt.value", "Value"),
	opt_pad    = ProtoField.bytes("toy.opt.pad", "After END"),
	payload  = ProtoField.bytes("toy.payload", "Payload"),
	msg      = ProtoField.string("toy.msg", "Message"),
	msg_start = ProtoField.uint32("toy.msg.start", "Message starts at sequence"),
	msg_len  = ProtoField.uint32("toy.msg.len", "Message length"),
	msg_data = ProtoField.bytes("toy.msg.data", "Message data"),
	msg_count = ProtoField.uint32("toy.msg.segment.count", "Segment count"),
	msg_seg  = ProtoField.framenum("toy.msg.segment", "Segment in frame"),
	msg_in   = ProtoField.framenum("toy.msg.reassembled_in", "Message reassembled in frame"),
	analysis = ProtoField.string("toy.analysis", "SEQ/ACK analysis"),
	acks_frame = ProtoField.framenum("toy.analysis.acks_frame", "This is an ACK to the segment in frame", base.NONE, frametype.ACK),
	dup_num  = ProtoField.uint32("toy.analysis.duplicate_ack_num", "Duplicate ACK #"),
	dup_frame = ProtoField.framenum("toy.analysis.duplicate_ack_frame", "Duplicate of the ACK in frame", base.NONE, frametype.DUP_ACK),
	bif      = ProtoField.uint32("toy.analysis.bytes_in_flight", "Bytes in flight"),
}
local fields = {}
for _, f in pairs(pf) do fields[#fields + 1] = f end
toy.fields = fields

-- Expert infos; the analysis ones are also display filters (like TCP's).
local ei = {
	bad_csum = ProtoExpert.new("toy.check.bad", "Bad checksum", expert.group.CHECKSUM, expert.severity.ERROR),
	partial_csum = ProtoExpert.new("toy.check.partial", "Checksum left to the device (CHECKSUM_PARTIAL): captured before it was filled in, or on veth",
		expert.group.CHECKSUM, expert.severity.NOTE),
	malformed = ProtoExpert.new("toy.malformed", "Malformed AF_TOY header", expert.group.MALFORMED, expert.severity.ERROR),
	truncated = ProtoExpert.new("toy.truncated", "Segment cut short by the capture's snapshot length",
		expert.group.UNDECODED, expert.severity.WARN),
	retrans = ProtoExpert.new("toy.analysis.retransmission", "Retransmission", expert.group.SEQUENCE, expert.severity.NOTE),
	spurious = ProtoExpert.new("toy.analysis.spurious_retransmission", "Spurious retransmission: already acknowledged",
		expert.group.SEQUENCE, expert.severity.NOTE),
	ooo = ProtoExpert.new("toy.analysis.out_of_order", "Out-of-order segment", expert.group.SEQUENCE, expert.severity.WARN),
	lost = ProtoExpert.new("toy.analysis.lost_segment", "Previous segment(s) not captured", expert.group.SEQUENCE, expert.severity.WARN),
	dup_ack = ProtoExpert.new("toy.analysis.duplicate_ack", "Duplicate ACK", expert.group.SEQUENCE, expert.severity.NOTE),
	zero_window = ProtoExpert.new("toy.analysis.zero_window", "Zero window", expert.group.SEQUENCE, expert.severity.WARN),
	msg = ProtoExpert.new("toy.msg.complete", "Message complete", expert.group.REASSEMBLE, expert.severity.CHAT),
}
toy.experts = { ei.bad_csum, ei.partial_csum, ei.malformed, ei.truncated, ei.retrans, ei.spurious,
	ei.ooo, ei.lost, ei.dup_ack, ei.zero_window, ei.msg }

toy.prefs.relative = Pref.bool("Relative sequence numbers", true,
	"Show sequence and acknowledgment numbers relative to the connection's first")
toy.prefs.checksum = Pref.bool("Validate the checksum", true,
	"Verify the Internet checksum over the pseudo-header and segment, as the kernel does")
toy.prefs.analyze = Pref.bool("Analyze sequence numbers", true,
	"Flag retransmissions, duplicate ACKs and out-of-order segments")
toy.prefs.reassemble = Pref.bool("Reassemble messages", true,
	"Show each message whole on the segment that completes it")
toy.prefs.ooo_ms = Pref.uint("Out-of-order threshold (ms)", 3,
	"A segment filling a hole this soon after the highest one is out of order; later, a retransmission")

-- Sub-dissectors for message contents, by port (lower port tried first).
local port_table = DissectorTable.new("toy.port", "AF_TOY port", ftypes.UINT16, base.DEC, toy)
local data_dissector = Dissector.get("data")


------------------------------------------------------------------------------
-- Sequence arithmetic: numbers are doubles, 32-bit values wrap by hand.

local function u32(x) return x % MOD32 end
-- a - b as a signed 32-bit distance (seq.h's toy_seq_before() and friends)
local function sdiff(a, b)
	local d = (a - b) % MOD32
	if d >= 2147483648 then d = d - MOD32 end
	return d
end

------------------------------------------------------------------------------
-- The Internet checksum (RFC 1071) of the IPv4 pseudo-header and segment,
-- as csum_tcpudp_magic(saddr, daddr, len, IPPROTO_TOY, csum_partial(seg)).

local function sum16(s, acc)
	local n = #s
	for i = 1, n - 1, 2 do
		local a, b = s:byte(i, i + 1)
		acc = acc + a * 256 + b
	end
	if n % 2 == 1 then acc = acc + s:byte(n) * 256 end -- odd byte, zero padded
	return acc
end

local function fold(acc)
	while acc > 0xffff do acc = acc % 65536 + math.floor(acc / 65536) end
	return acc
end

-- Returns status, the check value the sender should have written.
local function csum_check(saddr, daddr, seg, check, check_off)
	local pseudo = sum16(saddr .. daddr, 0) + PROTO_NUM + #seg
	local all = fold(sum16(seg, pseudo))
	local without = fold(sum16(seg:sub(1, check_off) .. "\0\0" .. seg:sub(check_off + 3), pseudo))
	local want = 0xffff - without
	if all == 0xffff then return CS_GOOD, want end
	-- CHECKSUM_PARTIAL: the sender's stack left the folded pseudo-header sum
	-- for the NIC to finish (output.c), so tcpdump on that host sees it.
	if check == fold(pseudo) then return CS_PARTIAL, want end
	return CS_BAD, want
end

------------------------------------------------------------------------------
-- Parsing: the checks of wire.c's toy_hdr_parse(), in its order, on the
-- captured bytes. No tree here; the result is a table the renderer reads.

-- Record the first problem only (the kernel stops at the first).
local function bad(h, v, why)
	if h.verdict == V_OK then h.verdict, h.why = v, why end
end

-- toy_flags_check()
local function flags_check(h)
	local fl, pay = h.flags, h.paylen
	if band(fl, 0xff - F_ALL) ~= 0 then return bad(h, V_BADFLAGS, "reserved flag bits set") end
	if band(fl, F_SYN) ~= 0 then
		if band(fl, F_FIN + F_RST + F_EOM) ~= 0 or pay > 0 then
			bad(h, V_BADFLAGS, "SYN with FIN, RST, EOM or data")
		end
		return
	end
	if band(fl, F_RST) ~= 0 then
		if band(fl, F_FIN + F_EOM) ~= 0 or pay > 0 then bad(h, V_BADFLAGS, "RST with FIN, EOM or data") end
		return
	end
	if band(fl, F_ACK) == 0 then return bad(h, V_BADFLAGS, "no ACK on a segment that is not a SYN or RST") end
	if band(fl, F_EOM) ~= 0 and pay == 0 then bad(h, V_BADFLAGS, "EOM without data") end
end

-- toy_opts_parse(): each option becomes { kind, off, len, ... , bad = why }
local function opts_parse(tvb, h)
	local off, len, syn = HDR_LEN, h.hlen - HDR_LEN, h.syn
	local i = 0
	local opts = h.opts
	while i < len do
		local kind = tvb(off + i, 1):uint()
		local o = { kind = kind, off = off + i, len = 1 }
		opts[#opts + 1] = o
		if kind == OPT_END then
			h.after_end = { off + i + 1, len - i - 1 }
			return
		end
		if kind ~= OPT_NOP then
			if len - i < 2 then
				o.bad = "option without a length byte"
				return bad(h, V_BADOPT, o.bad)
			end
			local olen = tvb(off + i + 1, 1):uint()
			o.olen = olen
			if olen < 2 or olen > len - i then
				-- it lies about its length: the rest of the options is its
				o.len = len - i
				o.bad = string.format("option length %d impossible (%d option bytes left)", olen, len - i)
				return bad(h, V_BADOPT, o.bad)
			end
			o.len = olen
			local v = off + i + 2
			if kind == OPT_MSS then
				if not syn then o.bad = "MSS on a segment without SYN"
				elseif olen ~= OPT_MSS_LEN then o.bad = "MSS length is not 4"
				elseif h.mss then o.bad = "second MSS option" end
				if olen == OPT_MSS_LEN then
					o.mss = tvb(v, 2):uint()
					if not o.bad and o.mss < MIN_MSS then o.bad = "MSS below 64" end
					h.mss = h.mss or o.mss
				end
			elseif kind == OPT_SACK then
				local n = (olen - 2) / 8
				if syn then o.bad = "SACK on a SYN"
				elseif h.nr_sack then o.bad = "second SACK option"
				elseif (olen - 2) % 8 ~= 0 then o.bad = "SACK length not 2 + 8 per block"
				elseif n < 1 or n > SACK_MAX_BLOCKS then o.bad = "SACK with 0 or more than 4 blocks" end
				if (olen - 2) % 8 == 0 then
					o.blocks = {}
					for b = 0, n - 1 do
						local s, e = tvb(v + b * 8, 4):uint(), tvb(v + b * 8 + 4, 4):uint()
						o.blocks[#o.blocks + 1] = { s, e, v + b * 8 }
						if not o.bad and sdiff(e, s) <= 0 then o.bad = "empty or inverted SACK block" end
					end
					h.nr_sack = h.nr_sack or n
					h.sack = h.sack or o.blocks
				end
			elseif kind == OPT_TS then
				if olen ~= OPT_TS_LEN then o.bad = "timestamps length is not 10"
				elseif h.tsval then o.bad = "second timestamps option" end
				if olen == OPT_TS_LEN then
					o.tsval, o.tsecr = tvb(v, 4):uint(), tvb(v + 4, 4):uint()
					h.tsval, h.tsecr = h.tsval or o.tsval, h.tsecr or o.tsecr
				end
			else
				o.bad = "unknown option kind " .. kind
				return bad(h, V_UNKNOWNOPT, o.bad)
			end
			if o.bad then return bad(h, V_BADOPT, o.bad) end
		end
		i = i + o.len
	end
end

local function parse(tvb, pinfo)
	local h = { verdict = V_OK, opts = {}, caplen = tvb:len(), seglen = tvb:reported_length_remaining() }
	if h.seglen < HDR_LEN then
		bad(h, V_SHORT, string.format("%d bytes, fewer than the %d of a fixed header", h.seglen, HDR_LEN))
		return h
	end
	if h.caplen < HDR_LEN then h.truncated = true return h end
	h.source, h.dest = tvb(0, 2):uint(), tvb(2, 2):uint()
	h.seq, h.ack = tvb(4, 4):uint(), tvb(8, 4):uint()
	h.doff, h.flags = tvb(12, 1):uint(), tvb(13, 1):uint()
	h.check, h.window = tvb(14, 2):uint(), tvb(16, 4):uint()
	h.syn, h.fin = band(h.flags, F_SYN) ~= 0, band(h.flags, F_FIN) ~= 0
	h.rst, h.ackf = band(h.flags, F_RST) ~= 0, band(h.flags, F_ACK) ~= 0
	h.eom = band(h.flags, F_EOM) ~= 0
	h.hlen = h.doff * 4
	if h.hlen < HDR_LEN or h.hlen > HDR_MAX_LEN or h.hlen > h.seglen then
		bad(h, V_BADLEN, string.format("header length %d bytes (doff %d) for a %d-byte segment",
			h.hlen, h.doff, h.seglen))
		h.hlen = HDR_LEN -- show the fixed header only
		h.paylen = 0
		return h
	end
	h.paylen = h.seglen - h.hlen
	flags_check(h)
	if h.caplen < h.hlen then h.truncated = true return h end
	opts_parse(tvb, h) -- even after a flags verdict: the options are shown
	return h
end

------------------------------------------------------------------------------
-- Per-connection state, built on the first pass in frame order.

local convs, nconvs, frames

local function reset_state()
	convs, nconvs, frames = {}, 0, {}
end
reset_state()
function toy.init() reset_state() end

local function new_flow()
	-- base: the ISN (or first seq seen); maxseq: highest end seen
	-- (relative); seen: merged ranges of sequence space seen; acked: highest
	-- relative ACK the peer sent; ends: frame of the segment ending at a seq
	return { seen = {}, ends = {}, acked = nil, dupacks = 0,
		r = nil } -- r: message reassembly
end

local function overlaps(seen, s, e)
	for _, r in ipairs(seen) do
		if s < r[2] and r[1] < e then return true end
	end
	return false
end

-- add [s, e) to a sorted list of disjoint ranges, merging neighbours
local function add_range(seen, s, e)
	local out, placed = {}, false
	for _, r in ipairs(seen) do
		if r[2] < s then out[#out + 1] = r
		elseif e < r[1] then
			if not placed then out[#out + 1] = { s, e } placed = true end
			out[#out + 1] = r
		else s, e = math.min(s, r[1]), math.max(e, r[2]) end
	end
	if not placed then out[#out + 1] = { s, e } end
	return out
end

-- Message reassembly for one direction. r.next: next in-order byte
-- (relative seq); r.chunks: the current message's bytes so far; r.pending:
-- segments above a hole, by relative start.
local function msg_append(r, info, num, str, frame, eom, whole)
	r.chunks[#r.chunks + 1] = { str = str, frame = frame, whole = whole }
	r.next = r.next + #str
	if not eom then return end
	local m = { start = r.msg_start, frames = {} }
	if #r.chunks == 1 and frame == num and r.chunks[1].whole then
		m.inline = true -- the whole message is this frame's payload
		m.len = #str
	else
		local parts = {}
		for _, c in ipairs(r.chunks) do
			parts[#parts + 1] = c.str
			local fr = m.frames
			if fr[#fr] ~= c.frame then fr[#fr + 1] = c.frame end
			if c.frame ~= num and frames[c.frame] then frames[c.frame].reasm_in = num end
		end
		m.data = table.concat(parts)
		m.len = #m.data
	end
	m.partial = r.partial
	r.partial = nil
	info.msgs = info.msgs or {}
	info.msgs[#info.msgs + 1] = m
	r.chunks, r.msg_start = {}, r.next
end

local function reassemble(r, info, num, ds, str, eom)
	local de = ds + #str
	if de <= r.next then return end -- nothing new: a retransmission
	if ds > r.next then
		if not r.pending[ds] or #r.pending[ds].str < #str then
			r.pending[ds] = { str = str, frame = num, eom = eom }
		end
		return
	end
	msg_append(r, info, num, str:sub(r.next - ds + 1), num, eom, ds == r.next)
	-- segments held above the hole that now join on
	local progress = true
	while progress do
		progress = false
		for ps, p in pairs(r.pending) do
			local pe = ps + #p.str
			if pe <= r.next then
				r.pending[ps] = nil
			elseif ps <= r.next then
				r.pending[ps] = nil
				msg_append(r, info, num, p.str:sub(r.next - ps + 1), p.frame, p.eom, false)
				progress = true
			end
		end
	end
end

-- Relative numbers for a segment the analysis skips (a bad checksum, a
-- malformed header): read its connection's state, change nothing.
local function peek(h, saddr, daddr)
	local a, b = saddr .. ":" .. h.source, daddr .. ":" .. h.dest
	local conv = convs[a < b and (a .. "|" .. b) or (b .. "|" .. a)]
	if not conv or not conv.flows[a].base then return nil end
	local fwd, rev = conv.flows[a], conv.flows[b]
	local info = { stream = conv.stream, seq = sdiff(h.seq, fwd.base), fwd_base = fwd.base, rev_base = rev.base,
		skipped = true }
	info.nxtseq = info.seq + h.paylen + (h.syn and 1 or 0) + (h.fin and 1 or 0)
	if h.ackf and rev.base then info.ack = sdiff(h.ack, rev.base) end
	return info
end

-- Run the analysis of one valid segment (first pass only).
local function analyze(tvb, pinfo, h, saddr, daddr)
	local info = {}
	local a, b = saddr .. ":" .. h.source, daddr .. ":" .. h.dest
	local key = a < b and (a .. "|" .. b) or (b .. "|" .. a)
	local conv = convs[key]
	-- a new SYN on an old connection (after TIME_WAIT) starts a new stream
	if conv and h.syn and not h.ackf and conv.flows[a] and conv.flows[a].isn
	    and conv.flows[a].isn ~= h.seq then
		conv = nil
	end
	if not conv then
		conv = { stream = nconvs, flows = { [a] = new_flow(), [b] = new_flow() } }
		nconvs = nconvs + 1
		convs[key] = conv
	end
	local fwd, rev = conv.flows[a], conv.flows[b]
	info.stream = conv.stream

	if h.syn and not fwd.isn then fwd.isn, fwd.base = h.seq, h.seq end
	fwd.base = fwd.base or h.seq
	if h.ackf and not rev.base then rev.base = h.ack end
	info.seq = sdiff(h.seq, fwd.base)
	info.fwd_base, info.rev_base = fwd.base, rev.base
	local seglen = h.paylen + (h.syn and 1 or 0) + (h.fin and 1 or 0)
	info.nxtseq = info.seq + seglen
	local t = pinfo.abs_ts

	-- sequence: new data, a hole filled, or something seen before
	if seglen > 0 then
		local s, e = info.seq, info.nxtseq
		if not fwd.maxseq or s >= fwd.maxseq then
			if fwd.maxseq and s > fwd.maxseq then info.lost = true end
		elseif overlaps(fwd.seen, s, e) then
			info.retrans = true
			if fwd.acked and e <= fwd.acked then info.spurious = true end
		elseif (t - fwd.maxseq_time) * 1000 < toy.prefs.ooo_ms then
			info.ooo = true
		else
			info.retrans = true -- the original was lost before the capture point
		end
		if not fwd.maxseq or e > fwd.maxseq then fwd.maxseq, fwd.maxseq_time = e, t end
		fwd.seen = add_range(fwd.seen, s, e)
		fwd.ends[e] = pinfo.number
		if fwd.acked then info.bif = fwd.maxseq - fwd.acked end
	end

	-- acknowledgment: new, duplicate (RFC 5681 / 6675 as ack.c counts)
	if h.ackf then
		local ra = sdiff(h.ack, rev.base)
		info.ack = ra
		if not fwd.lastack or ra > fwd.lastack then
			fwd.lastack, fwd.lastack_frame, fwd.dupacks = ra, pinfo.number, 0
			local best
			for e, fr in pairs(rev.ends) do
				if e <= ra then
					if not best or e > best then best = e; info.acks_frame = fr end
					rev.ends[e] = nil
				end
			end
		elseif ra == fwd.lastack and seglen == 0 and not h.rst and rev.maxseq and ra < rev.maxseq
		    and (h.window == fwd.lastwin or h.nr_sack) then
			fwd.dupacks = fwd.dupacks + 1
			info.dup, info.dup_frame = fwd.dupacks, fwd.lastack_frame
		end
		fwd.lastwin = h.window
		if not rev.acked or ra > rev.acked then rev.acked = ra end
	end
	if h.window == 0 and not h.syn and not h.rst then info.zero_window = true end

	-- message reassembly: every byte up to an EOM, in sequence order
	if h.paylen > 0 and toy.prefs.reassemble then
		local r = fwd.r
		if not r then
			-- without the SYN the first message may have begun earlier
			local start = fwd.isn and 1 or info.seq
			r = { next = start, msg_start = start, chunks = {}, pending = {}, partial = not fwd.isn }
			fwd.r = r
		end
		reassemble(r, info, pinfo.number, info.seq, tvb:raw(h.hlen, h.paylen), h.eom)
	end
	return info
end

------------------------------------------------------------------------------
-- Rendering.

local function flag_names(fl)
	local n = {}
	if band(fl, F_SYN) ~= 0 then n[#n + 1] = "SYN" end
	if band(fl, F_ACK) ~= 0 then n[#n + 1] = "ACK" end
	if band(fl, F_FIN) ~= 0 then n[#n + 1] = "FIN" end
	if band(fl, F_RST) ~= 0 then n[#n + 1] = "RST" end
	if band(fl, F_EOM) ~= 0 then n[#n + 1] = "EOM" end
	if band(fl, 0xe0) ~= 0 then n[#n + 1] = string.format("RES=0x%x", band(fl, 0xe0)) end
	return table.concat(n, ", ")
end

local function render_opts(tvb, h, tree, info, notes)
	local olen = h.hlen - HDR_LEN
	local ot = tree:add(pf.options, tvb(HDR_LEN, olen))
	ot:set_text(string.format("Options: (%d bytes)", olen))
	-- SACK blocks describe the peer's data: relative to the other base
	local rbase = toy.prefs.relative and info and info.rev_base
	for _, o in ipairs(h.opts) do
		local t = ot:add(pf.opt, tvb(o.off, o.len), o.kind)
		t:add(pf.opt_kind, tvb(o.off, 1))
		if o.olen then t:add(pf.opt_len, tvb(o.off + 1, 1)) end
		local name = optkind_names[o.kind] or ("kind " .. o.kind)
		local text = name
		if o.mss then
			t:add(pf.opt_mss, tvb(o.off + 2, 2))
			text = text .. ": " .. o.mss
			notes[#notes + 1] = "MSS=" .. o.mss
		elseif o.tsval then
			t:add(pf.opt_tsval, tvb(o.off + 2, 4))
			t:add(pf.opt_tsecr, tvb(o.off + 6, 4))
			text = string.format("%s: TSval %u, TSecr %u", text, o.tsval, o.tsecr)
			notes[#notes + 1] = string.format("TSval=%u TSecr=%u", o.tsval, o.tsecr)
		elseif o.blocks then
			t:add(pf.opt_nr_sack, #o.blocks):set_generated()
			for bi, blk in ipairs(o.blocks) do
				local s, e = blk[1], blk[2]
				if rbase then s, e = u32(s - rbase), u32(e - rbase) end
				t:add(pf.opt_sack_start, tvb(blk[3], 4), s)
				t:add(pf.opt_sack_end, tvb(blk[3] + 4, 4), e)
				-- RFC 2883: a first block below the cumulative ACK, or inside
				-- the second block, reports a duplicate
				local dsack = bi == 1 and ((h.ackf and sdiff(blk[2], h.ack) <= 0) or
					(o.blocks[2] and sdiff(blk[1], o.blocks[2][1]) >= 0 and sdiff(blk[2], o.blocks[2][2]) <= 0))
				if dsack then t:add(pf.opt_dsack, true):set_generated() end
				text = text .. string.format(" %s%u-%u", dsack and "D-" or "", s, e)
				notes[#notes + 1] = string.format("%sSLE=%u SRE=%u", dsack and "D-" or "", s, e)
			end
		elseif o.kind ~= OPT_END and o.kind ~= OPT_NOP and o.len > 2 then
			t:add(pf.opt_value, tvb(o.off + 2, o.len - 2))
		end
		if o.bad then
			-- the expert on the option that broke the header
			text = text .. " [" .. o.bad .. "]"
			t:add_proto_expert_info(ei.malformed,
				(o.kind == OPT_MSS or o.kind == OPT_SACK or o.kind == OPT_TS or
				 o.kind < 2) and "BADOPT: " .. o.bad or "UNKNOWNOPT: " .. o.bad)
		end
		t:set_text(text)
	end
	if h.after_end and h.after_end[2] > 0 then
		ot:add(pf.opt_pad, tvb(h.after_end[1], h.after_end[2]))
	end
end

local function render_msgs(tvb, pinfo, tree, root, h, info)
	local summary = {}
	for _, m in ipairs(info.msgs or {}) do
		local mt, mtvb
		local fl = {}
		for _, f in ipairs(m.frames) do fl[#fl + 1] = "#" .. f end
		if m.inline then
			mtvb = tvb(h.hlen, h.paylen):tvb()
			mt = tree:add(pf.msg, tvb(h.hlen, h.paylen), "complete in this segment")
			mt:set_text(string.format("Message (%d bytes, complete in this segment)", m.len))
		else
			mtvb = ByteArray.new(m.data, true):tvb("Reassembled AF_TOY message")
			mt = tree:add(pf.msg, mtvb(), string.format("%d segments", #m.frames))
			mt:set_text(string.format("Message (%d bytes, reassembled from %d segments: %s)",
				m.len, #m.frames, table.concat(fl, ", ")))
			mt:add(pf.msg_count, #m.frames):set_generated()
			for _, f in ipairs(m.frames) do mt:add(pf.msg_seg, f):set_generated() end
		end
		mt:add(pf.msg_start, u32(m.start + (toy.prefs.relative and 0 or info.fwd_base))):set_generated()
		mt:add(pf.msg_len, m.len):set_generated()
		if m.len > 0 then mt:add(pf.msg_data, mtvb(0, m.len)) end
		if m.partial then mt:append_text(" [start not captured]") end
		mt:add_proto_expert_info(ei.msg, string.format("Message of %d bytes complete", m.len))
		summary[#summary + 1] = m.inline and string.format("msg %dB", m.len)
			or string.format("msg %dB from %s", m.len, table.concat(fl, ","))
		-- the contents: a dissector for the lower port, else raw data
		if m.len > 0 then
			local lo, hi = math.min(h.source, h.dest), math.max(h.source, h.dest)
			local d = port_table:get_dissector(lo) or port_table:get_dissector(hi) or data_dissector
			d:call(mtvb, pinfo, root)
		end
	end
	if h.paylen > 0 and not h.eom and #summary == 0 then
		local t = tree:add(pf.msg, tvb(h.hlen, h.paylen), "continues")
		t:set_text("Message continues in a later segment (no EOM)")
	end
	if info.reasm_in then tree:add(pf.msg_in, info.reasm_in):set_generated() end
	return summary
end

local function render_analysis(tree, info)
	local at = tree:add(pf.analysis, "")
	at:set_generated()
	local parts = {}
	if info.acks_frame then at:add(pf.acks_frame, info.acks_frame):set_generated() end
	if info.bif then at:add(pf.bif, info.bif):set_generated() end
	if info.retrans then
		at:add_proto_expert_info(ei.retrans)
		if info.spurious then at:add_proto_expert_info(ei.spurious) end
		parts[#parts + 1] = info.spurious and "TOY Spurious Retransmission" or "TOY Retransmission"
	end
	if info.ooo then at:add_proto_expert_info(ei.ooo); parts[#parts + 1] = "TOY Out-Of-Order" end
	if info.lost then at:add_proto_expert_info(ei.lost); parts[#parts + 1] = "TOY Previous segment not captured" end
	if info.dup then
		at:add(pf.dup_num, info.dup):set_generated()
		at:add(pf.dup_frame, info.dup_frame):set_generated()
		at:add_proto_expert_info(ei.dup_ack, string.format("Duplicate ACK (#%d)", info.dup))
		parts[#parts + 1] = string.format("TOY Dup ACK %d#%d", info.dup_frame, info.dup)
	end
	if info.zero_window then at:add_proto_expert_info(ei.zero_window); parts[#parts + 1] = "TOY ZeroWindow" end
	at:set_text(#parts > 0 and ("SEQ/ACK analysis: " .. table.concat(parts, ", ")) or "SEQ/ACK analysis")
	return parts
end

-- The IPv4 addresses as 4-byte strings, from pinfo: the IP dissector sets
-- them even when no tree is built (tshark -2's first pass), when field
-- extractors see nothing. Lua 4.0 has no raw accessor, and tostring() gives
-- a host name under name resolution: then binary-search the address by
-- comparing it with constructed ones (Address compares its bytes).
local ip4_cache = {}
local function dotted(n)
	return string.format("%d.%d.%d.%d", math.floor(n / 16777216), math.floor(n / 65536) % 256,
		math.floor(n / 256) % 256, n % 256)
end
local function ip4(a)
	local s = tostring(a)
	local o1, o2, o3, o4 = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
	if o1 then return string.char(tonumber(o1), tonumber(o2), tonumber(o3), tonumber(o4)) end
	local ok, isv4 = pcall(function() return a == Address.ip(dotted(0)) or a <= Address.ip(dotted(MOD32 - 1)) end)
	if not ok or not isv4 then return nil end -- not IPv4
	local n = ip4_cache[s]
	if not n or a ~= Address.ip(dotted(n)) then
		local lo, hi = 0, MOD32 - 1
		while lo < hi do
			local mid = math.floor((lo + hi) / 2)
			if a <= Address.ip(dotted(mid)) then hi = mid else lo = mid + 1 end
		end
		n = lo
		ip4_cache[s] = n
	end
	local d = dotted(n)
	return ip4(d)
end

local function ip_addrs(pinfo)
	local s, d = ip4(pinfo.net_src), ip4(pinfo.net_dst)
	if s and d then return s, d end
end

function toy.dissector(tvb, pinfo, root)
	pinfo.cols.protocol = "TOY"
	local tree = root:add(toy, tvb())
	local h = parse(tvb, pinfo)
	local in_error = pinfo.in_error_pkt -- quoted inside an ICMP error

	if not in_error then tree:add(pf.verdict, h.verdict):set_generated() end
	if h.verdict == V_SHORT then
		if not in_error then
			tree:add_proto_expert_info(ei.malformed, "SHORT: " .. h.why)
			pinfo.cols.info = "[Malformed: SHORT] " .. h.why
		end
		-- an ICMP error quotes the first 8 bytes: ports and sequence
		if tvb:len() >= 4 then
			tree:add(pf.source, tvb(0, 2)); tree:add(pf.dest, tvb(2, 2))
			tree:append_text(string.format(", Src Port: %u, Dst Port: %u", tvb(0, 2):uint(), tvb(2, 2):uint()))
		end
		if tvb:len() >= 8 then tree:add(pf.seq_raw, tvb(4, 4)) end
		return
	end
	if h.truncated and not in_error then
		tree:add_proto_expert_info(ei.truncated)
	end
	if h.caplen < HDR_LEN then
		-- an ICMP error quotes at least ports and sequence number
		if h.caplen >= 4 then tree:add(pf.source, tvb(0, 2)); tree:add(pf.dest, tvb(2, 2)) end
		if h.caplen >= 8 then tree:add(pf.seq_raw, tvb(4, 4)) end
		return
	end

	pinfo.src_port, pinfo.dst_port = h.source, h.dest
	tree:append_text(string.format(", Src Port: %u, Dst Port: %u", h.source, h.dest))

	-- checksum, as the kernel's skb_checksum_complete() in ipv4.c
	local saddr, daddr = ip_addrs(pinfo)
	local cs
	if toy.prefs.checksum and saddr and not in_error and not h.truncated and h.caplen == h.seglen then
		cs = { csum_check(saddr, daddr, tvb:raw(0, h.seglen), h.check, 14) }
	end

	-- analysis: valid, intact segments only (what the kernel would accept);
	-- the others get relative numbers from their connection, if known
	local info = frames[pinfo.number]
	if not pinfo.visited and not info and saddr and not in_error then
		if toy.prefs.analyze and h.verdict == V_OK and not h.truncated and (not cs or cs[1] ~= CS_BAD) then
			info = analyze(tvb, pinfo, h, saddr, daddr)
		else
			info = peek(h, saddr, daddr)
		end
		frames[pinfo.number] = info
	end
	local rel = toy.prefs.relative and info

	local function add_seq(field, raw_field, off, relv, what)
		local t
		if rel and relv then
			t = tree:add(field, tvb(off, 4), u32(relv))
			t:append_text(string.format("    (relative %s)", what))
		else
			t = tree:add(field, tvb(off, 4))
		end
		tree:add(raw_field, tvb(off, 4))
		return t
	end

	tree:add(pf.source, tvb(0, 2))
	tree:add(pf.dest, tvb(2, 2))
	tree:add(pf.port, tvb(0, 2)):set_hidden()
	tree:add(pf.port, tvb(2, 2)):set_hidden()
	if info then tree:add(pf.stream, info.stream):set_generated() end
	tree:add(pf.len, h.paylen):set_generated()
	add_seq(pf.seq, pf.seq_raw, 4, info and info.seq, "sequence number")
	if info and info.nxtseq and h.paylen + (h.syn and 1 or 0) + (h.fin and 1 or 0) > 0 then
		tree:add(pf.nxtseq, rel and u32(info.nxtseq) or u32(h.seq + info.nxtseq - info.seq)):set_generated()
	end
	add_seq(pf.ack_seq, pf.ack_raw, 8, h.ackf and info and info.ack, "ack number")

	local dt = tree:add(pf.doff, tvb(12, 1))
	dt:append_text(string.format(" (%d bytes)", h.doff * 4))
	tree:add(pf.hdr_len, h.doff * 4):set_generated()
	if h.verdict == V_BADLEN then dt:add_proto_expert_info(ei.malformed, "BADLEN: " .. h.why) end

	local ft = tree:add(pf.flags, tvb(13, 1))
	ft:append_text(" (" .. flag_names(h.flags) .. ")")
	ft:add(pf.f_res, tvb(13, 1))
	ft:add(pf.f_eom, tvb(13, 1))
	ft:add(pf.f_rst, tvb(13, 1))
	ft:add(pf.f_fin, tvb(13, 1))
	ft:add(pf.f_ack, tvb(13, 1))
	ft:add(pf.f_syn, tvb(13, 1))
	ft:add(pf.f_str, flag_names(h.flags)):set_generated()
	if h.verdict == V_BADFLAGS then ft:add_proto_expert_info(ei.malformed, "BADFLAGS: " .. h.why) end

	local ct = tree:add(pf.check, tvb(14, 2))
	if cs then
		ct:add(pf.check_calc, cs[2]):set_generated()
		ct:add(pf.check_status, cs[1]):set_generated()
		if cs[1] == CS_BAD then
			ct:append_text(string.format(" [incorrect, should be 0x%04x]", cs[2]))
			ct:add_proto_expert_info(ei.bad_csum, string.format("Bad checksum [should be 0x%04x]", cs[2]))
		elseif cs[1] == CS_PARTIAL then
			ct:append_text(" [partial: offloaded]")
			ct:add_proto_expert_info(ei.partial_csum)
		else
			ct:append_text(" [correct]")
		end
	else
		ct:add(pf.check_status, CS_UNVERIFIED):set_generated()
		ct:append_text(" [unverified]")
	end
	tree:add(pf.window, tvb(16, 4))

	local notes = {}
	if h.verdict ~= V_BADLEN and h.hlen > HDR_LEN and h.caplen >= h.hlen then
		render_opts(tvb, h, tree, info, notes)
	end

	local prefix, summary = {}, {}
	if info and not info.skipped and toy.prefs.analyze then prefix = render_analysis(tree, info) end
	if h.paylen > 0 and h.caplen > h.hlen then
		tree:add(pf.payload, tvb(h.hlen, math.min(h.paylen, h.caplen - h.hlen)))
	end
	if info and not info.skipped then summary = render_msgs(tvb, pinfo, tree, root, h, info) end

	-- Info column, like TCP's but flags first: tshark -z flow,any,network
	-- labels each arrow of its ladder with the first 20 characters
	local seqv = rel and info.seq and u32(info.seq) or h.seq
	local col = string.format("[%s] Seq=%u", flag_names(h.flags), seqv)
	if h.ackf then col = col .. string.format(" Ack=%u", rel and info.ack and u32(info.ack) or h.ack) end
	col = col .. string.format(" Win=%u Len=%u %u → %u", h.window, h.paylen, h.source, h.dest)
	if #notes > 0 then col = col .. " " .. table.concat(notes, " ") end
	if #prefix > 0 then col = "[" .. table.concat(prefix, "] [") .. "] " .. col end
	if #summary > 0 then col = col .. " [" .. table.concat(summary, ", ") .. "]" end
	if cs and cs[1] == CS_BAD then col = col .. " [BAD CHECKSUM]" end
	if h.verdict ~= V_OK then col = "[Malformed: " .. verdict_names[h.verdict] .. "] " .. col end
	if h.truncated and not in_error then col = col .. " [cut short by the snapshot length]" end
	pinfo.cols.info = col
end

DissectorTable.get("ip.proto"):add(PROTO_NUM, toy)
