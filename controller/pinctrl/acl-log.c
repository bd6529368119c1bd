/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* log(name=N, severity=S, verdict=V, meter=M): one line per packet under
 * the vlog module "acl_log", at INFO, in the format of OVN's own
 * controller, e.g.:
 *
 *   name="acl1", verdict=drop, severity=alert, direction=to-lport:
 *   icmp,vlan_tci=0x0000,dl_src=...,nw_src=...,icmp_type=8,icmp_code=0
 *
 * (one line).  The direction is from-lport for a packet-in from an
 * ingress table, to-lport from an egress one.  The ACL's meter (the
 * controller action's meter id) limits the rate in the switch, before the
 * packet reaches us.  The userdata carries the name (CTLOP_TAG_STRING),
 * the syslog severity and the verdict (two CTLOP_TAG_U32), see
 * lib/actions-ctlr.c. */

#include <config.h>
#include "controller/pinctrl/pin.h"

#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/vlog.h"
#include "ovn/of-tables.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(acl_log);
COVERAGE_DEFINE(pinctrl_acl_log);

static const char *
severity_name(uint32_t s)
{
    static const char *const names[] = {
        [1] = "alert", [4] = "warning", [5] = "notice", [6] = "info",
        [7] = "debug",
    };
    return s < ARRAY_SIZE(names) && names[s] ? names[s] : NULL;
}

static const char *
verdict_name(uint32_t v)
{
    static const char *const names[] = { "allow", "drop", "reject" };
    return v < ARRAY_SIZE(names) ? names[v] : NULL;
}

void
pinctrl_handle_log(struct pin *pin)
{
    const struct ctlop_arg *name = ctlop_msg_find(pin->msg,
                                                  CTLOP_TAG_STRING, 0);
    uint32_t severity, verdict;

    if (!name || name->len > 256
        || !ctlop_arg_get_u32(ctlop_msg_find(pin->msg, CTLOP_TAG_U32, 0),
                              &severity)
        || !ctlop_arg_get_u32(ctlop_msg_find(pin->msg, CTLOP_TAG_U32, 1),
                              &verdict)
        || !severity_name(severity) || !verdict_name(verdict)) {
        pin_reject(pin, "bad log() arguments");
        return;
    }

    struct flow headers;
    pin_parse(pin->packet, &headers);

    struct ds s = DS_EMPTY_INITIALIZER;
    char *n = ctlop_arg_get_string(name);
    ds_put_cstr(&s, "name=");
    json_string_escape(*n ? n : "<unnamed>", &s);
    free(n);
    ds_put_format(&s, ", verdict=%s, severity=%s, direction=%s: ",
                  verdict_name(verdict), severity_name(severity),
                  pin->table_id < OFTABLE_LOG_EGRESS ? "from-lport"
                                                     : "to-lport");
    flow_format(&s, &headers, NULL);
    VLOG_INFO("%s", ds_cstr(&s));
    ds_destroy(&s);
    COVERAGE_INC(pinctrl_acl_log);
}
