# Copyright (c) 2026 The ovnmc authors.
# SPDX-License-Identifier: Apache-2.0
# Operator tools and the sandbox.

EXTRA_DIST += utilities/ovs-cache.sh

# The sandbox and the developer setup script (see README.rst).
EXTRA_DIST += utilities/ovnmc-sandbox utilities/ovnmc-dev.sh

# Compiles every logical flow of a live SB and reports the failures.
bin_PROGRAMS += utilities/ovn-lflow-check
utilities_ovn_lflow_check_SOURCES = utilities/ovn-lflow-check.c
utilities_ovn_lflow_check_LDADD = lib/libovnmc.la $(OVS_LIBS)
man_MANS += utilities/ovn-lflow-check.8
EXTRA_DIST += utilities/ovn-lflow-check.8
