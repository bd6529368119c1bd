#! /usr/bin/env python3
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
"""Prints a hypervisor's desired flows of some tables with names for ports.

Usage: pflow-dump.py TABLE...

Run it with the hypervisor's directories in the environment ("as hv1
pflow-dump.py 0 39"): it reads "ovs-appctl -t ovn-controller
ofctrl/dump-desired TABLE" for each TABLE and the ports of the local OVS
database, drops the cookies, and writes every OpenFlow port number in an
in_port match, an output action or a bundle's member list as the port's
name: a VIF by its Interface name, one of our tunnel ports as
"tun(CHASSIS-ID)" where CHASSIS-ID is its external_ids:ovn-chassis-id
("hv2@192.168.0.2%192.168.0.1", or "flow" for a flow-based port).  Lines
keep the daemon's order (table, then priority, then match).
"""

import re
import subprocess
import sys


def vsctl(*args):
    out = subprocess.run(["ovs-vsctl", "--data=bare", "--no-headings",
                          "--format=csv"] + list(args),
                         check=True, capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line]


def port_names():
    """Returns {ofport (str): printable name} for br-int's interfaces."""
    out = subprocess.run(["ovs-vsctl", "list-ifaces", "br-int"],
                         check=True, capture_output=True, text=True)
    on_br_int = set(out.stdout.split())
    chassis_id = {}
    for line in vsctl("--columns=name,external_ids", "list", "port"):
        name, _, ids = line.partition(",")
        m = re.search(r"ovn-chassis-id=([^ ,\"]+)", ids)
        if m:
            chassis_id[name] = m.group(1)
    names = {}
    for line in vsctl("--columns=name,ofport", "list", "interface"):
        name, _, ofport = line.partition(",")
        if name not in on_br_int or not ofport or ofport.startswith("-"):
            continue
        names[ofport] = ("tun(%s)" % chassis_id[name]
                         if name in chassis_id else name)
    return names


def rename(line, names):
    line = re.sub(r"cookie=0x[0-9a-f]+, ", "", line)
    line = re.sub(r"(in_port=|output:)(\d+)",
                  lambda m: m.group(1) + names.get(m.group(2), m.group(2)),
                  line)
    line = re.sub(r"(members:)([\d,]+)",
                  lambda m: m.group(1) + ",".join(
                      names.get(p, p) for p in m.group(2).split(",")),
                  line)
    return line


def main():
    names = port_names()
    for table in sys.argv[1:]:
        out = subprocess.run(["ovs-appctl", "-t", "ovn-controller",
                              "ofctrl/dump-desired", table],
                             check=True, capture_output=True, text=True)
        for line in out.stdout.splitlines():
            if line.startswith("table="):
                print(rename(line, names))


if __name__ == "__main__":
    main()
