/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Operations not handled yet: counted and dropped (a paused packet
 * resumes with its result bit 0). */

#include <config.h>
#include "controller/pinctrl/pin.h"

#include "openvswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(pinctrl_todo);

static void
not_yet(struct pin *pin)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);
    VLOG_DBG_RL(&rl, "%s: not handled yet",
                ctlop_opcode_name(pin->msg->opcode));
}

void pinctrl_handle_dhcpv6_reply(struct pin *pin) { not_yet(pin); }
