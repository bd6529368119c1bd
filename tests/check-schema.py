#! /usr/bin/env python3
# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks that an OVSDB schema is a superset of a reference schema.

Usage: check-schema.py REFERENCE CANDIDATE

Every table of REFERENCE must exist in CANDIDATE with the same "isRoot" and
at least the same indexes, and every column of such a table must exist with
the same type (compared after normalizing the short forms that RFC 7047
allows, so "string" equals {"key": {"type": "string"}}) and the same
"ephemeral" and "mutable" flags.  CANDIDATE may have more tables and more
columns.  The database names must match and CANDIDATE's version must not be
older.

Prints one line per difference, naming the table and column, and exits 1
if there is any; otherwise prints a summary and exits 0.  Exits 2 on a
file that cannot be read or is not a schema.
"""

import json
import sys


def normalize_base(base):
    """Returns the long form of a base type: a dict with at least "type"."""
    if isinstance(base, str):
        return {"type": base}
    return dict(base)


def normalize_type(col_type):
    """Returns the long form of a column type, with explicit min and max."""
    if isinstance(col_type, str):
        col_type = {"key": col_type}
    result = {
        "key": normalize_base(col_type["key"]),
        "min": col_type.get("min", 1),
        "max": col_type.get("max", 1),
    }
    if "value" in col_type:
        result["value"] = normalize_base(col_type["value"])
    return result


def show(value):
    """Formats a JSON value compactly and deterministically."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def version_tuple(version):
    return tuple(int(part) for part in version.split("."))


def compare_column(table, name, ref, cand):
    """Yields the differences between two definitions of one column."""
    ref_type = normalize_type(ref["type"])
    cand_type = normalize_type(cand["type"])
    if ref_type != cand_type:
        yield ("table %s column %s: type differs: reference %s, candidate %s"
               % (table, name, show(ref_type), show(cand_type)))
    for flag, default in (("ephemeral", False), ("mutable", True)):
        if ref.get(flag, default) != cand.get(flag, default):
            yield ("table %s column %s: %s differs: reference %s, "
                   "candidate %s" % (table, name, flag,
                                     show(ref.get(flag, default)),
                                     show(cand.get(flag, default))))


def compare_table(name, ref, cand):
    """Yields the differences between two definitions of one table."""
    if ref.get("isRoot", False) != cand.get("isRoot", False):
        yield ("table %s: isRoot differs: reference %s, candidate %s"
               % (name, show(ref.get("isRoot", False)),
                  show(cand.get("isRoot", False))))
    cand_indexes = [sorted(index) for index in cand.get("indexes", [])]
    for index in ref.get("indexes", []):
        if sorted(index) not in cand_indexes:
            yield ("table %s: index %s missing from candidate"
                   % (name, show(index)))
    for column in sorted(ref["columns"]):
        if column not in cand["columns"]:
            yield "table %s column %s: missing from candidate" % (name,
                                                                  column)
        else:
            yield from compare_column(name, column, ref["columns"][column],
                                      cand["columns"][column])


def compare(ref, cand):
    """Yields every difference of schema 'cand' from reference 'ref'."""
    if ref["name"] != cand["name"]:
        yield ("database name differs: reference %s, candidate %s"
               % (ref["name"], cand["name"]))
    if version_tuple(cand["version"]) < version_tuple(ref["version"]):
        yield ("version %s is older than the reference's %s"
               % (cand["version"], ref["version"]))
    for table in sorted(ref["tables"]):
        if table not in cand["tables"]:
            yield "table %s: missing from candidate" % table
        else:
            yield from compare_table(table, ref["tables"][table],
                                     cand["tables"][table])


def load(path):
    try:
        with open(path) as stream:
            schema = json.load(stream)
        for key in ("name", "version", "tables"):
            if key not in schema:
                raise ValueError('no "%s" member' % key)
        return schema
    except (OSError, ValueError) as error:
        sys.stderr.write("check-schema: %s: %s\n" % (path, error))
        sys.exit(2)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: check-schema.py REFERENCE CANDIDATE\n")
        return 2
    ref = load(argv[1])
    cand = load(argv[2])
    try:
        differences = list(compare(ref, cand))
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        sys.stderr.write("check-schema: malformed schema (%r)\n" % error)
        return 2
    for line in differences:
        print(line)
    if differences:
        return 1
    n_columns = sum(len(t["columns"]) for t in ref["tables"].values())
    print("%s: %d tables and %d columns of the reference match"
          % (cand["name"], len(ref["tables"]), n_columns))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
