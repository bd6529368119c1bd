/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* The OpenFlow layout of the integration bridge, in printable form.  The
 * numbers themselves are in include/ovn/of-tables.h. */

#include <config.h>

#include "ovn/of-tables.h"

#include "openvswitch/dynamic-string.h"

void
oftable_format_layout(struct ds *out)
{
    ds_put_cstr(out, "OpenFlow tables of the integration bridge:\n");
#define OFTABLE(ENUM, NUMBER, DESCRIPTION) \
    ds_put_format(out, "  %3d  %s\n", NUMBER, DESCRIPTION);
    OFTABLES
#undef OFTABLE
    ds_put_cstr(out,
                "Registers:\n"
                "  metadata        logical datapath key\n"
                "  reg0..reg9      logical registers (also xreg0..4, "
                "xxreg0..1)\n"
                "  reg10           logical flags\n"
                "  reg11           DNAT conntrack zone\n"
                "  reg12           SNAT conntrack zone\n"
                "  reg13[0..15]    the port's conntrack zone\n"
                "  reg13[16..31]   Encap-ID of the VIF's local encap IP\n"
                "  reg14           logical input port key\n"
                "  reg15           logical output port key\n");
}
