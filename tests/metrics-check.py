#! /usr/bin/env python3
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks text in the Prometheus text exposition format, version 0.0.4.

Usage: metrics-check.py [--families] [--prefix=PREFIX] [FILE]

Reads FILE (default: standard input) and checks, line by line:
  - "# HELP NAME TEXT" (TEXT escapes only backslash and newline) and
    "# TYPE NAME TYPE" (counter, gauge, histogram, summary, untyped), each
    at most once per family, before the family's samples; other "#" lines
    are comments; empty lines are ignored;
  - samples "NAME[{LABEL="VALUE",...}] VALUE [TIMESTAMP]": metric and label
    names as the format defines them, label values escaping only
    backslash, double quote and newline, no label twice, a float value
    (Go syntax, or NaN, +Inf, -Inf), an integer timestamp;
  - every family's samples together (no family twice), no series twice;
  - counters: values >= 0, names ending in "_total" (our convention);
    histograms: only NAME_bucket{le=...}, NAME_sum, NAME_count, per label
    set the "le" bounds increasing up to "+Inf", cumulative counts not
    decreasing, NAME_count equal to the "+Inf" bucket; summaries: NAME,
    NAME_sum, NAME_count;
  - with --prefix, every family name starting with PREFIX.
Prints "ok: N families, M samples" and exits 0, or prints each problem as
"line N: ..." and exits 1.  With --families, prints instead the sorted
"NAME TYPE" of each family (for comparing two outputs).
"""

import math
import re
import sys

METRIC_NAME = re.compile(r'[a-zA-Z_:][a-zA-Z0-9_:]*')
LABEL_NAME = re.compile(r'[a-zA-Z_][a-zA-Z0-9_]*')
TYPES = ('counter', 'gauge', 'histogram', 'summary', 'untyped')
FLOAT = re.compile(r'[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$')
SUFFIXES = {
    'histogram': ('_bucket', '_sum', '_count'),
    'summary': ('', '_sum', '_count'),
}


class Problem(Exception):
    pass


def parse_value(text):
    if text in ('NaN', '+Inf', 'Inf', '-Inf'):
        return float(text.replace('Inf', 'inf').replace('NaN', 'nan'))
    if not FLOAT.match(text):
        raise Problem('bad value "%s"' % text)
    return float(text)


def parse_labels(text, pos):
    """Parses the labels from text[pos] (just after '{').  Returns the
    labels as a dict and the position after '}'."""
    labels = {}
    while True:
        if text.startswith('}', pos):
            return labels, pos + 1
        m = LABEL_NAME.match(text, pos)
        if not m:
            raise Problem('bad label name at column %d' % (pos + 1))
        name = m.group(0)
        if name.startswith('__'):
            raise Problem('reserved label name "%s"' % name)
        pos = m.end()
        if not text.startswith('="', pos):
            raise Problem('expected =" after label "%s"' % name)
        pos += 2
        value = []
        while True:
            if pos >= len(text):
                raise Problem('unterminated value of label "%s"' % name)
            c = text[pos]
            if c == '"':
                pos += 1
                break
            if c == '\\':
                esc = text[pos + 1:pos + 2]
                if esc not in ('\\', '"', 'n'):
                    raise Problem('bad escape \\%s in label "%s"'
                                  % (esc, name))
                value.append('\n' if esc == 'n' else esc)
                pos += 2
                continue
            value.append(c)
            pos += 1
        if name in labels:
            raise Problem('label "%s" twice' % name)
        labels[name] = ''.join(value)
        if text.startswith(',', pos):
            pos += 1
        elif not text.startswith('}', pos):
            raise Problem('expected , or } after label "%s"' % name)


def parse_sample(line):
    m = METRIC_NAME.match(line)
    if not m:
        raise Problem('bad metric name')
    name, pos = m.group(0), m.end()
    labels = {}
    if line.startswith('{', pos):
        labels, pos = parse_labels(line, pos + 1)
    rest = line[pos:]
    if not rest.startswith(' '):
        raise Problem('expected a space before the value')
    fields = rest.split()
    if len(fields) not in (1, 2):
        raise Problem('expected a value and an optional timestamp')
    value = parse_value(fields[0])
    if len(fields) == 2 and not re.match(r'-?\d+$', fields[1]):
        raise Problem('bad timestamp "%s"' % fields[1])
    return name, labels, value


class Family:
    def __init__(self, name):
        self.name = name
        self.type = None
        self.help = None
        self.samples = []       # (line number, name, labels, value)
        self.closed = False     # Another family's samples came after.


def family_of(name, families, current):
    """The family that sample 'name' belongs to: a histogram's or
    summary's by suffix, else its own."""
    for fam in families.values():
        for suffix in SUFFIXES.get(fam.type, ()):
            if suffix and name == fam.name + suffix:
                return fam
    return families.get(name)


def check_histogram(fam, problems):
    series = {}
    for n, name, labels, value in fam.samples:
        rest = {k: v for k, v in labels.items() if k != 'le'}
        key = tuple(sorted(rest.items()))
        s = series.setdefault(key, {'buckets': [], 'count': None})
        if name == fam.name + '_bucket':
            if 'le' not in labels:
                problems.append('line %d: bucket without "le"' % n)
                continue
            try:
                le = parse_value(labels['le'])
            except Problem as e:
                problems.append('line %d: le: %s' % (n, e))
                continue
            s['buckets'].append((n, le, value))
        elif name == fam.name + '_count':
            s['count'] = value
        elif name != fam.name + '_sum':
            problems.append('line %d: %s in histogram %s'
                            % (n, name, fam.name))
    for key, s in series.items():
        b = s['buckets']
        if not b or not math.isinf(b[-1][1]):
            problems.append('histogram %s%s: no +Inf bucket last'
                            % (fam.name, dict(key)))
            continue
        for (n1, le1, v1), (n2, le2, v2) in zip(b, b[1:]):
            if le2 <= le1:
                problems.append('line %d: le not increasing' % n2)
            if v2 < v1:
                problems.append('line %d: bucket counts decrease' % n2)
        if s['count'] is not None and s['count'] != b[-1][2]:
            problems.append('histogram %s: _count %s != +Inf bucket %s'
                            % (fam.name, s['count'], b[-1][2]))


def check(lines, prefix):
    families = {}
    order = []
    current = None
    problems = []
    series = set()
    for n, line in enumerate(lines, 1):
        try:
            if not line.strip():
                continue
            if line.startswith('#'):
                parts = line.split(None, 3)
                if len(parts) >= 3 and parts[1] in ('HELP', 'TYPE'):
                    name = parts[2]
                    if not METRIC_NAME.fullmatch(name):
                        raise Problem('bad metric name "%s"' % name)
                    fam = families.get(name)
                    if fam is None:
                        fam = families[name] = Family(name)
                        order.append(fam)
                    elif fam.samples:
                        raise Problem('%s of %s after its samples'
                                      % (parts[1], name))
                    text = parts[3] if len(parts) > 3 else ''
                    if parts[1] == 'HELP':
                        if fam.help is not None:
                            raise Problem('second HELP of %s' % name)
                        bare = text.replace('\\\\', '')
                        if (re.search(r'\\[^\\n]', bare)
                                or bare.endswith('\\')):
                            raise Problem('bad escape in HELP of %s' % name)
                        fam.help = text
                    else:
                        if fam.type is not None:
                            raise Problem('second TYPE of %s' % name)
                        if text not in TYPES:
                            raise Problem('bad type "%s"' % text)
                        fam.type = text
                    if current is not None and current is not fam:
                        current.closed = current.closed or bool(
                            current.samples)
                    current = fam
                continue
            name, labels, value = parse_sample(line)
            fam = family_of(name, families, current)
            if fam is None:
                fam = families[name] = Family(name)
                order.append(fam)
            if fam.closed:
                raise Problem('sample of %s apart from the others'
                              % fam.name)
            if current is not None and current is not fam:
                current.closed = current.closed or bool(current.samples)
            current = fam
            key = (name, tuple(sorted(labels.items())))
            if key in series:
                raise Problem('series %s%s twice' % (name, labels))
            series.add(key)
            fam.samples.append((n, name, labels, value))
        except Problem as e:
            problems.append('line %d: %s' % (n, e))

    for fam in order:
        if prefix and not fam.name.startswith(prefix):
            problems.append('%s: does not start with %s' % (fam.name, prefix))
        if fam.type == 'counter':
            if not fam.name.endswith('_total'):
                problems.append('counter %s: no _total suffix' % fam.name)
            for n, name, labels, value in fam.samples:
                if name != fam.name:
                    problems.append('line %d: %s in counter %s'
                                    % (n, name, fam.name))
                if value < 0 or math.isnan(value):
                    problems.append('line %d: counter below 0' % n)
        elif fam.type == 'histogram':
            check_histogram(fam, problems)
        elif fam.type == 'summary':
            for n, name, labels, value in fam.samples:
                if name not in (fam.name, fam.name + '_sum',
                                fam.name + '_count'):
                    problems.append('line %d: %s in summary %s'
                                    % (n, name, fam.name))
        elif fam.type in ('gauge', 'untyped'):
            for n, name, labels, value in fam.samples:
                if name != fam.name:
                    problems.append('line %d: %s in %s %s'
                                    % (n, name, fam.type, fam.name))
    return order, problems


def main(argv):
    families_mode = False
    prefix = None
    files = []
    for arg in argv[1:]:
        if arg == '--families':
            families_mode = True
        elif arg.startswith('--prefix='):
            prefix = arg[len('--prefix='):]
        else:
            files.append(arg)
    text = open(files[0]).read() if files else sys.stdin.read()
    if text and not text.endswith('\n'):
        print('the text does not end in a newline')
        return 1
    order, problems = check(text.split('\n')[:-1], prefix)
    if problems:
        for p in problems:
            print(p)
        return 1
    if families_mode:
        for fam in sorted(order, key=lambda f: f.name):
            print(fam.name, fam.type or 'untyped')
    else:
        print('ok: %d families, %d samples'
              % (len(order), sum(len(f.samples) for f in order)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
