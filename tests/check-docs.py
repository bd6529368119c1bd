#! /usr/bin/env python3
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks that the tree's pointers into its documentation hold.

Usage: check-docs.py SRCDIR

Checks, over the files of the source tree SRCDIR (those git tracks or
would track, when SRCDIR is the top of a git work tree; otherwise every
file, minus build directories):

  - no file outside Documentation/ names the design notes that live
    outside the repository (the file name is built below, so that this
    script does not name it itself);
  - every citation "architecture.rst, section N" (or "section N.M"), also
    wrapped over comment lines, names a section heading of
    Documentation/architecture.rst;
  - the numbered headings of that page are numbered in order (1, 2, ...
    and N.1, N.2, ... under N), and its lines fit in 79 columns.

Prints one line per problem, "FILE:LINE: PROBLEM", and exits 1 if there
is any; otherwise prints "checked: S sections, C citations, F files" and
exits 0.  Exits 2 on a usage error or a missing page.
"""

import os
import re
import subprocess
import sys

DOC = "Documentation/architecture.rst"
FORBIDDEN = "DESIGN" + ".md"
MAX_COLUMNS = 79

# Whitespace and comment leaders that may separate the words of a citation
# wrapped over several lines of a C, shell, m4 or reST comment.
_SEP = r"(?:\s|\*|#|//|\.\.|\bdnl\b)+"
CITATION = re.compile(r"architecture\.rst,?" + _SEP + r"sections?" + _SEP
                      + r"(\d+(?:\.\d+)*)")
HEADING = re.compile(r"(\d+(?:\.\d+)*)\.?\s+\S")
UNDERLINE = re.compile(r"([=\-~^\"'`#*+])\1*\s*$")

# Directories never searched when walking a tree without git.
SKIP_DIRS = {".git", "autom4te.cache", "testsuite.dir", ".libs", ".deps"}


def is_git_top(srcdir):
    """True if 'srcdir' is the top directory of a git work tree."""
    try:
        top = subprocess.run(["git", "-C", srcdir, "rev-parse",
                              "--show-toplevel"], capture_output=True,
                             text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return False
    return os.path.realpath(top) == os.path.realpath(srcdir)


def list_files(srcdir):
    """Returns the relative paths of the files to check, sorted."""
    if is_git_top(srcdir):
        out = subprocess.run(["git", "-C", srcdir, "ls-files", "-z",
                              "--cached", "--others", "--exclude-standard"],
                             capture_output=True, check=True).stdout
        names = [n.decode() for n in out.split(b"\0") if n]
        return sorted(n for n in set(names)
                      if os.path.isfile(os.path.join(srcdir, n)))
    names = []
    for dirpath, dirnames, filenames in os.walk(srcdir):
        dirnames[:] = [d for d in dirnames
                       if d not in SKIP_DIRS and not d.startswith("_build")
                       and not os.path.exists(os.path.join(
                           dirpath, d, "config.status"))]
        for f in filenames:
            names.append(os.path.relpath(os.path.join(dirpath, f), srcdir))
    return sorted(names)


def read_text(path):
    """Returns the text of 'path', or None for a binary file."""
    with open(path, "rb") as f:
        data = f.read()
    if b"\0" in data:
        return None
    return data.decode("utf-8", errors="replace")


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def doc_sections(lines, problems):
    """Returns the set of section numbers of the page's headings, and
    appends numbering and width problems to 'problems'."""
    sections = set()
    last = {}                   # Parent number -> last child index seen.
    for i, line in enumerate(lines):
        if len(line) > MAX_COLUMNS:
            problems.append("%s:%d: line longer than %d columns"
                            % (DOC, i + 1, MAX_COLUMNS))
        title = line.rstrip()
        under = lines[i + 1].rstrip() if i + 1 < len(lines) else ""
        m = HEADING.match(title)
        if (not m or not UNDERLINE.match(under)
                or len(under) < len(title)):
            continue
        number = m.group(1)
        parts = number.split(".")
        parent = ".".join(parts[:-1])
        index = int(parts[-1])
        if parent and parent not in sections:
            problems.append("%s:%d: section %s has no parent section %s"
                            % (DOC, i + 1, number, parent))
        if index != last.get(parent, 0) + 1:
            problems.append("%s:%d: section %s out of order (expected %s)"
                            % (DOC, i + 1, number,
                               ".".join(parts[:-1]
                                        + [str(last.get(parent, 0) + 1)])))
        last[parent] = index
        sections.add(number)
    return sections


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: check-docs.py SRCDIR\n")
        return 2
    srcdir = argv[1]
    doc_path = os.path.join(srcdir, DOC)
    if not os.path.isfile(doc_path):
        sys.stderr.write("check-docs: %s: no such file\n" % doc_path)
        return 2

    problems = []
    with open(doc_path, encoding="utf-8") as f:
        sections = doc_sections(f.read().split("\n"), problems)

    files = list_files(srcdir)
    n_citations = 0
    for name in files:
        text = read_text(os.path.join(srcdir, name))
        if text is None:
            continue
        if not name.startswith("Documentation/"):
            pos = text.find(FORBIDDEN)
            while pos >= 0:
                problems.append("%s:%d: names %s, which is not part of the "
                                "tree; cite %s instead"
                                % (name, line_of(text, pos), FORBIDDEN,
                                   DOC))
                pos = text.find(FORBIDDEN, pos + 1)
        for m in CITATION.finditer(text):
            n_citations += 1
            if m.group(1) not in sections:
                problems.append("%s:%d: cites section %s of %s, which has "
                                "no such section"
                                % (name, line_of(text, m.start()),
                                   m.group(1), DOC))

    for p in problems:
        print(p)
    if problems:
        return 1
    print("checked: %d sections, %d citations, %d files"
          % (len(sections), n_citations, len(files)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
