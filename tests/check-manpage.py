#!/usr/bin/env python3
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks that the man page ovn-controller(8) keeps up with the code.

Usage: check-manpage.py SRCDIR HELP-FILE

SRCDIR is the source tree; HELP-FILE holds the output of
"ovn-controller --help".  The man page is SRCDIR/controller/ovn-controller.8.
It must mention:
  - every unixctl command that the code registers
    (unixctl_command_register("NAME", ...) in controller/ and lib/);
  - every long option: those of the long_options array of
    controller/ovn-controller.c and those that --help prints (the options
    of the OVS libraries);
  - every OpenFlow table that --help lists, with the same description;
  - every configuration key that controller/chassis-config.c reads (as
    "external_ids:KEY"), and the Interface keys the daemon reads.
Prints what it checked ("checked: ...") and every omission, and exits 1 if
there is one.
"""

import glob
import os
import re
import sys


def man_text(path):
    """The page's text with font changes and escapes removed."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"\\f[BIRP]", "", text)
    text = text.replace("\\-", "-").replace("\\(bu", "")
    return text


def sources(srcdir, pattern):
    for path in sorted(glob.glob(os.path.join(srcdir, pattern))):
        yield path, open(path, encoding="utf-8").read()


def commands(srcdir):
    found = set()
    for pattern in ("controller/*.c", "lib/*.c"):
        for _, text in sources(srcdir, pattern):
            found.update(re.findall(
                r'unixctl_command_register\(\s*"([^"]+)"', text))
    return found


def long_options(srcdir, help_text):
    found = set(re.findall(r'^\s*\{"([a-z][a-z0-9-]*)",',
                           open(os.path.join(srcdir, "controller",
                                             "ovn-controller.c"),
                                encoding="utf-8").read(), re.M))
    found.update(re.findall(r"(?<![\w-])--([a-z][a-z0-9-]*[a-z0-9])",
                            help_text))
    return found


def tables(help_text):
    """(number, description) of each table --help lists."""
    out = []
    in_tables = False
    for line in help_text.splitlines():
        if line.startswith("OpenFlow tables"):
            in_tables = True
            continue
        if in_tables:
            m = re.match(r"^\s+(\d+)\s+(.*)$", line)
            if not m:
                break
            out.append((m.group(1), m.group(2).strip()))
    return out


def config_keys(srcdir):
    text = open(os.path.join(srcdir, "controller", "chassis-config.c"),
                encoding="utf-8").read()
    keys = set(re.findall(
        r'config_(?:get_\w+|key_get)\(\s*\w+,\s*\w+,\s*"([a-z0-9_-]+)"',
        text))
    m = re.search(r"chassis_config_lflow_cache_keys\[\] = \{(.*?)\};",
                  text, re.S)
    if m:
        keys.update(re.findall(r'"([a-z0-9_-]+)"', m.group(1)))
    keys.add("system-id")
    return keys


def iface_keys(srcdir):
    keys = set()
    for _, text in sources(srcdir, "controller/*.c"):
        keys.update(re.findall(
            r'smap_get\(&(?:ifr|iface)->external_ids,\s*"([a-z0-9_-]+)"\)',
            text))
    return keys


def main():
    srcdir, help_file = sys.argv[1], sys.argv[2]
    man = man_text(os.path.join(srcdir, "controller", "ovn-controller.8"))
    help_text = open(help_file, encoding="utf-8").read()
    missing = []

    cmds = commands(srcdir)
    for cmd in sorted(cmds):
        if not re.search(r"(?<![\w/-])" + re.escape(cmd) + r"(?![\w/-])",
                         man):
            missing.append("unixctl command %s" % cmd)

    opts = long_options(srcdir, help_text)
    for opt in sorted(opts):
        if not re.search(r"--" + re.escape(opt) + r"(?![\w-])", man):
            missing.append("option --%s" % opt)

    tbls = tables(help_text)
    for num, desc in tbls:
        if not re.search(r"^%s(-\d+)?\t%s$" % (num, re.escape(desc)), man,
                         re.M):
            missing.append("table %s (%s)" % (num, desc))

    keys = config_keys(srcdir)
    for key in sorted(keys):
        if "external_ids:" + key not in man:
            missing.append("key external_ids:%s" % key)
    ikeys = iface_keys(srcdir)
    for key in sorted(ikeys):
        if not re.search(r"external_ids:" + re.escape(key) + r"(?![\w-])",
                         man):
            missing.append("Interface key external_ids:%s" % key)

    print("checked: %d commands, %d options, %d tables, %d keys"
          % (len(cmds), len(opts), len(tbls), len(keys) + len(ikeys)))
    for m in missing:
        print("not in controller/ovn-controller.8: %s" % m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
