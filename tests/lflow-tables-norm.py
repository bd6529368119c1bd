#! /usr/bin/env python3
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
"""Rewrites dumped flows of tables 66 to 79 in a form that our controller's
and Debian's OVN 23.03 controller's flows share (tests/lflow-tables.at).

Usage: lflow-tables-norm.py < FLOWS

FLOWS: one flow per line, "table=T, priority=P,MATCH actions=ACTIONS" (as
lt_flows prints them, without cookies).  By design our lookup tables
differ from 23.03's in where the MAC key is: xreg2[0..47] (reg4's low 16
bits and reg5), where 23.03 matches eth.src (tables 67, 72) or eth.dst
(table 71); and get_fdb's result is in reg1, where 23.03 uses reg15.  A
flow of table 67, 71 or 72 that matches dl_src or dl_dst is rewritten in
our form.  Besides, ct_mark.natted and ct_label.natted are written alike
("ct_natted": ovn-northd picks one from the chassis's features), and the
hop limit 225 of 23.03's port security ND flows as 255 (see
controller/port-sec.h).  Prints the lines in the input's order.
"""

import re
import sys

FLOW = re.compile(r"table=(67|71|72), priority=(\d+),(\S*) actions=(.*)")


def mac_regs(mac):
    """Returns the match on xreg2[0..47] for 'mac' as OVS prints it."""
    v = int(mac.replace(":", ""), 16)
    hi, lo = v >> 32, v & 0xffffffff
    return "reg4=%s/0xffff,reg5=%s" % (hex(hi) if hi else "0",
                                       hex(lo) if lo else "0")


def rewrite_mac(line):
    """Rewrites a 23.03 flow of table 67, 71 or 72 in our form."""
    m = FLOW.match(line)
    if not m or "reg5=" in m.group(3):
        return line
    table, prio, match, actions = m.groups()
    fields = match.split(",")
    macs = [f for f in fields if f.startswith(("dl_src=", "dl_dst="))]
    if len(macs) != 1:
        return line
    fields.remove(macs[0])
    # reg4 and reg5 print after reg0..reg3 and before reg14 and metadata.
    at = next((i for i, f in enumerate(fields)
               if f.startswith(("reg14=", "metadata="))), len(fields))
    fields.insert(at, mac_regs(macs[0].split("=", 1)[1]))
    actions = actions.replace("->reg15", "->reg1")
    return "table=%s, priority=%s,%s actions=%s" % (table, prio,
                                                    ",".join(fields), actions)


def main():
    for line in sys.stdin:
        line = rewrite_mac(line.rstrip("\n"))
        line = line.replace("ct_mark=0x2/0x2", "ct_natted")
        line = line.replace("ct_label=0x2/0x2", "ct_natted")
        line = line.replace("nw_ttl=225", "nw_ttl=255")
        print(line)


if __name__ == "__main__":
    main()
