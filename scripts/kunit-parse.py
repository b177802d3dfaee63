#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Strict parser for the KTAP a KUnit test module prints when it loads.

Usage: scripts/kunit-parse.py [--src KUNIT_DIR] [--suite NAME]...
                              [--begin MARK] [--end MARK] [--prefix P] [LOG...]

Reads kernel log text (dmesg, a serial console log; with or without
"[   12.345678] " timestamps; several files are tried in order and the first
one that contains KTAP after the begin marker is used) and prints one line
per test case:

    PASS: <prefix>/<suite>/<case>
    FAIL: <prefix>/<suite>/<case>
    SKIP: <prefix>/<suite>/<case>

preceded, for a failure, by the case's diagnostics as "# " lines. Anything
that is not a well-formed, complete run is a failure of its own, e.g.
"FAIL: <prefix>/<suite>: ..." for a suite with no plan, fewer results than
its plan, results out of order or no final ok/not ok line, and
"FAIL: <prefix>/kernel: ..." for an oops, KASAN report, lockdep splat or
panic in the captured log. Exit status 0 only if every expected suite ran
to completion and every case passed (or was skipped).

The expected suites are the --suite names plus, with --src, every suite
registered with kunit_test_suite(s)() in KUNIT_DIR/*.c. Without any, at
least one suite must be present.

This is the 6.1 format for a module: per suite
    KTAP version 1            (indent 4)
    # Subtest: <suite>        (indent 4)
    1..N                      (indent 4)
    ok|not ok I <case>        (indent 4; a parameterised case first has its
                               own "KTAP version 1"/"# Subtest:" and one
                               "ok|not ok J <param>" per parameter, indent 8)
ok|not ok S <suite>           (indent 0)
"""

import argparse
import glob
import os
import re
import sys

TS_RE = re.compile(r'^\[\s*\d+\.\d+\]\s?')
RESULT_RE = re.compile(r'^(ok|not ok) (\d+) (.*?)(?: # (SKIP)(?: (.*))?)?$')
PLAN_RE = re.compile(r'^1\.\.(\d+)$')
SUBTEST_RE = re.compile(r'^# Subtest: (\S+)$')
# Kernel reports that mean the run cannot be trusted even if KTAP looks fine.
CRASH_RE = re.compile(
    r'(Oops|BUG: |WARNING: |KASAN|Kernel panic|general protection|'
    r'possible circular locking|possible recursive locking|'
    r'inconsistent lock state|UBSAN|Call Trace:|RIP: )')


def suites_from_src(src):
    """Suite names registered by the .c files of a KUnit module."""
    names = []
    for path in sorted(glob.glob(os.path.join(src, '*.c'))):
        text = open(path, encoding='utf-8', errors='replace').read()
        decl = dict(re.findall(
            r'struct\s+kunit_suite\s+(\w+)\s*=\s*\{[^}]*?\.name\s*=\s*"([^"]+)"',
            text, re.S))
        for args in re.findall(r'^\s*kunit_test_suites?\(([^)]*)\)', text, re.M):
            for var in re.split(r'[\s,&]+', args):
                if not var:
                    continue
                if var not in decl:
                    sys.exit(f'kunit-parse: {path}: cannot find the name of suite {var}')
                names.append(decl[var])
    return names


def clean_lines(text, begin, end):
    lines = []
    for raw in text.splitlines():
        line = TS_RE.sub('', raw.replace('\r', '')).rstrip()
        lines.append(line)
    if begin:
        idx = [i for i, l in enumerate(lines) if begin in l]
        if not idx:
            return None
        lines = lines[idx[-1] + 1:]
    if end:
        for i, l in enumerate(lines):
            if end in l:
                lines = lines[:i]
                break
    return lines


def indent_of(line):
    return len(line) - len(line.lstrip(' '))


class Out:
    def __init__(self, prefix):
        self.prefix = prefix
        self.npass = self.nfail = self.nskip = 0

    def comment(self, text):
        for l in text.splitlines() or ['']:
            print('# ' + l)

    def result(self, status, name, why=''):
        if status == 'PASS':
            self.npass += 1
        elif status == 'SKIP':
            self.nskip += 1
        else:
            self.nfail += 1
        print(f'{status}: {self.prefix}/{name}' + (f': {why}' if why else ''))


def parse(lines, expected, out):
    """Walk the lines; print results; return the suites seen."""
    seen = []
    i = 0
    n = len(lines)
    crash = [l for l in lines if CRASH_RE.search(l)]

    def diag(start, stop):
        return [l.strip() for l in lines[start:stop]
                if l.strip() and not l.strip().startswith('KTAP version')
                and not re.match(r'ok \d+ ', l.strip())]

    while i < n:
        m = SUBTEST_RE.match(lines[i].strip())
        if not (m and indent_of(lines[i]) == 4):
            i += 1
            continue
        suite = m.group(1)
        seen.append(suite)
        i += 1
        # the plan must follow at once
        pm = PLAN_RE.match(lines[i].strip()) if i < n else None
        if not pm or indent_of(lines[i]) != 4:
            out.result('FAIL', suite, 'no test plan (1..N) after "# Subtest:"')
            continue
        planned = int(pm.group(1))
        i += 1
        case_no = 0
        case_start = i
        suite_done = None
        broken = None
        while i < n:
            line = lines[i]
            s = line.strip()
            ind = indent_of(line)
            rm = RESULT_RE.match(s)
            if ind == 4 and SUBTEST_RE.match(s):
                broken = f'new suite {s[11:]} began before this one ended'
                break
            if rm and ind == 4:
                case_no += 1
                num, name = int(rm.group(2)), rm.group(3)
                status = 'SKIP' if rm.group(4) else (
                    'PASS' if rm.group(1) == 'ok' else 'FAIL')
                body = lines[case_start:i]
                # parameters (indent 8) must agree with the case's result
                pfail = [l.strip() for l in body if indent_of(l) == 8 and
                         l.strip().startswith('not ok ')]
                if num != case_no:
                    out.result('FAIL', f'{suite}/{name}',
                               f'result numbered {num}, expected {case_no}')
                elif status == 'FAIL' or (pfail and status == 'PASS'):
                    for d in diag(case_start, i):
                        out.comment('  ' + d)
                    out.result('FAIL', f'{suite}/{name}',
                               'parameter failed under an ok case'
                               if status == 'PASS' else '')
                else:
                    out.result(status, f'{suite}/{name}')
                i += 1
                case_start = i
                continue
            if rm and ind == 0:
                suite_done = (rm.group(1), rm.group(3))
                i += 1
                break
            i += 1
        if broken:
            out.result('FAIL', suite, broken)
        if case_no != planned:
            out.result('FAIL', suite,
                       f'plan 1..{planned} but {case_no} result(s): '
                       'the run stopped (crash?) or printed garbage')
        if suite_done is None:
            if not broken:
                out.result('FAIL', suite, 'no final "ok/not ok <n> <suite>" line')
        elif suite_done[1] != suite:
            out.result('FAIL', suite,
                       f'suite result line names {suite_done[1]!r}')
    for s in expected:
        if s not in seen:
            out.result('FAIL', s, 'suite did not run (no "# Subtest:" line)')
    if not expected and not seen:
        out.result('FAIL', 'ktap', 'no KUnit suite in the log')
    dups = {s for s in seen if seen.count(s) > 1}
    for s in sorted(dups):
        out.result('FAIL', s, 'suite ran more than once')
    if crash:
        out.comment('kernel reports in the KUnit log:')
        for l in crash[:20]:
            out.comment('  ' + l)
        out.result('FAIL', 'kernel', crash[0].strip())
    return seen


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--src', help='KUnit source dir: expect its suites')
    ap.add_argument('--suite', action='append', default=[],
                    help='expect this suite (repeatable)')
    ap.add_argument('--begin', help='only parse after the last line with this')
    ap.add_argument('--end', help='stop at the first line with this')
    ap.add_argument('--prefix', default='kunit')
    ap.add_argument('logs', nargs='*', help='log files (default: stdin)')
    a = ap.parse_args()

    expected = list(a.suite)
    if a.src:
        expected += [s for s in suites_from_src(a.src) if s not in expected]

    texts = []
    if a.logs:
        for p in a.logs:
            try:
                texts.append((p, open(p, encoding='utf-8',
                                      errors='replace').read()))
            except OSError as e:
                print(f'# kunit-parse: {e}')
    else:
        texts.append(('<stdin>', sys.stdin.read()))

    out = Out(a.prefix)
    lines = None
    for name, text in texts:
        cand = clean_lines(text, a.begin, a.end)
        if cand and any(SUBTEST_RE.match(l.strip()) for l in cand):
            lines = cand
            out.comment(f'KTAP from {name}')
            break
    if lines is None:
        # no KTAP anywhere: show why, from the last file that has anything
        out.result('FAIL', 'ktap', 'no KTAP output found'
                   + (f' after "{a.begin}"' if a.begin else ''))
        for name, text in reversed(texts):
            cand = clean_lines(text, None, None)
            if any(l.strip() for l in cand):
                crash = [l for l in cand if CRASH_RE.search(l)]
                if crash:
                    out.result('FAIL', 'kernel', crash[0].strip())
                out.comment(f'last lines of {name}:')
                for l in [l for l in cand if l.strip()][-25:]:
                    out.comment('  ' + l)
                break
        for s in expected:
            out.result('FAIL', s, 'suite did not run')
        return 1
    parse(lines, expected, out)
    out.comment(f'kunit: {out.npass} passed, {out.nfail} failed, '
                f'{out.nskip} skipped')
    return 1 if out.nfail else 0


if __name__ == '__main__':
    sys.exit(main())
