/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* trigger_event(event="E", key="value", ...): a Controller_Event row
 * (writes.h) with event_type E, event_info the key/value pairs, our
 * chassis and the next seq_num.  Supported events: empty_lb_backends
 * (vip, protocol, load_balancer), as ovn-sb(5) lists them; an event the
 * switch sends again before the CMS consumed the row is written once.
 * The event's meter (event-elb, ...) limits the rate in the switch. */

#include <config.h>
#include "controller/pinctrl/pin.h"

#include "controller/pinctrl/writes.h"
#include "coverage.h"
#include "smap.h"
#include "util.h"

COVERAGE_DEFINE(pinctrl_event);

#define EVENT_MAX_INFO 16

void
pinctrl_handle_event(struct pin *pin)
{
    char *type = ctlop_arg_get_string(ctlop_msg_find(pin->msg,
                                                     CTLOP_TAG_STRING, 0));
    struct smap info = SMAP_INITIALIZER(&info);

    if (!type || strcmp(type, "empty_lb_backends")) {
        pin_reject(pin, "unknown event \"%s\"", type ? type : "");
        goto out;
    }
    for (size_t i = 0; ; i++) {
        const struct ctlop_arg *a = ctlop_msg_find(pin->msg, CTLOP_TAG_PAIR,
                                                   i);
        if (!a) {
            break;
        }
        char *pair = ctlop_arg_get_string(a);
        char *eq = strchr(pair, '=');
        if (!eq || eq == pair || i >= EVENT_MAX_INFO
            || strlen(pair) != a->len) {
            pin_reject(pin, "bad event argument");
            free(pair);
            goto out;
        }
        *eq = '\0';
        smap_replace(&info, pair, eq + 1);
        free(pair);
    }
    if (!smap_get(&info, "vip") || !smap_get(&info, "protocol")
        || !smap_get(&info, "load_balancer")) {
        pin_reject(pin, "empty_lb_backends without vip, protocol or "
                   "load_balancer");
        goto out;
    }
    if (pin->writes) {
        pinctrl_writes_add_event(pin->writes, type, &info);
    }
    COVERAGE_INC(pinctrl_event);
out:
    smap_destroy(&info);
    free(type);
}
