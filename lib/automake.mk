# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# The library shared by the daemon and the tools: no daemon state here.

noinst_LTLIBRARIES += lib/libovnmc.la

lib_libovnmc_la_SOURCES = \
	lib/engine.c \
	lib/engine.h \
	lib/latency-histogram.c \
	lib/latency-histogram.h \
	lib/conj-ids.c \
	lib/conj-ids.h \
	lib/expr.c \
	lib/expr.h \
	lib/expr-eval.c \
	lib/expr-format.c \
	lib/expr-match.c \
	lib/expr-normalize.c \
	lib/expr-parse.c \
	lib/lex.c \
	lib/lex.h \
	lib/symtab.c \
	lib/symtab.h
nodist_lib_libovnmc_la_SOURCES = \
	lib/ovn-sb-idl.c \
	lib/ovn-sb-idl.h
lib_libovnmc_la_LIBADD = $(OVS_LIBS)

# The southbound IDL is generated from our schema with OVS's ovsdb-idlc.
BUILT_SOURCES += lib/ovn-sb-idl.c lib/ovn-sb-idl.h
CLEANFILES += lib/ovn-sb-idl.c lib/ovn-sb-idl.h lib/ovn-sb-idl.ovsidl
EXTRA_DIST += lib/ovn-sb-idl.ann

# (lib/ may not exist yet in a build tree configured with
# --disable-dependency-tracking, as Debian's package build does.)
lib/ovn-sb-idl.ovsidl: $(srcdir)/ovn-sb.ovsschema $(srcdir)/lib/ovn-sb-idl.ann
	$(AM_V_at)$(MKDIR_P) $(@D)
	$(AM_V_GEN)$(OVSDB_IDLC) annotate $(srcdir)/ovn-sb.ovsschema \
		$(srcdir)/lib/ovn-sb-idl.ann > $@.tmp && mv $@.tmp $@
lib/ovn-sb-idl.c: lib/ovn-sb-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-source $< > $@.tmp && mv $@.tmp $@
lib/ovn-sb-idl.h: lib/ovn-sb-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-header $< > $@.tmp && mv $@.tmp $@

# Logical flow actions -> OpenFlow (lib/actions*.c), controller-op
# userdata, group and meter id tables.
lib_libovnmc_la_SOURCES += \
	include/ovn/controller-ops.h \
	include/ovn/of-tables.h \
	lib/of-tables.c \
	lib/actions.c \
	lib/actions.h \
	lib/actions-private.h \
	lib/actions-ct.c \
	lib/actions-ctlr.c \
	lib/actions-dhcp.c \
	lib/actions-lb.c \
	lib/actions-lookup.c \
	lib/controller-ops.c \
	lib/id-table.c \
	lib/id-table.h

# One logical flow on one datapath -> OpenFlow flows (the daemon's and
# ovn-lflow-check's glue over expr and actions).
lib_libovnmc_la_SOURCES += \
	lib/lflow-compile.c \
	lib/lflow-compile-match.c \
	lib/lflow-compile-private.h \
	lib/lflow-compile.h
