/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* Encoder and decoder of controller-operation userdata.  The format is
 * documented in include/ovn/controller-ops.h. */

#include <config.h>
#include "ovn/controller-ops.h"

#include <string.h>
#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "nx-match.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(controller_ops);
COVERAGE_DEFINE(ctlop_decode_error);

/* Wire header. */
struct ctlop_header {
    ovs_be16 version;
    ovs_be16 opcode;
};

/* Wire argument header; the value follows. */
struct ctlop_tlv {
    ovs_be16 tag;
    ovs_be16 len;
};

static const char *const opcode_names[] = {
#define OP(ENUM, NAME) NAME,
    CTLOP_OPCODES(OP)
#undef OP
};
BUILD_ASSERT_DECL(ARRAY_SIZE(opcode_names) == CTLOP_N_OPCODES);

static const char *const tag_names[] = {
#define TAG(ENUM, NAME) NAME,
    CTLOP_TAGS(TAG)
#undef TAG
};
BUILD_ASSERT_DECL(ARRAY_SIZE(tag_names) == CTLOP_N_TAGS);

/* Returns the printed name of 'opcode', or "unknown". */
const char *
ctlop_opcode_name(enum ctlop_opcode opcode)
{
    return (unsigned) opcode < CTLOP_N_OPCODES ? opcode_names[opcode]
                                               : "unknown";
}

/* Looks up the opcode printed as 'name'; returns false if none. */
bool
ctlop_opcode_from_name(const char *name, enum ctlop_opcode *opcode)
{
    for (size_t i = 0; i < CTLOP_N_OPCODES; i++) {
        if (!strcmp(name, opcode_names[i])) {
            *opcode = i;
            return true;
        }
    }
    return false;
}

/* Returns the printed name of 'tag', or "unknown". */
const char *
ctlop_tag_name(enum ctlop_tag tag)
{
    return (unsigned) tag < CTLOP_N_TAGS ? tag_names[tag] : "unknown";
}

/* Encoding. */

size_t
ctlop_start(struct ofpbuf *ofpacts, enum ctlop_opcode opcode, bool pause,
            uint32_t meter_id)
{
    size_t ofs = ofpacts->size;
    struct ofpact_controller *oc = ofpact_put_CONTROLLER(ofpacts);
    oc->max_len = UINT16_MAX;
    oc->reason = OFPR_ACTION;
    oc->pause = pause;
    oc->meter_id = meter_id;

    struct ctlop_header hdr = {
        .version = htons(CTLOP_VERSION),
        .opcode = htons(opcode),
    };
    ofpbuf_put(ofpacts, &hdr, sizeof hdr);
    return ofs;
}

/* Appends an argument with tag 'tag' and the 'len' bytes at 'value'.  A
 * value longer than CTLOP_MAX_VALUE is truncated (callers bound their
 * inputs well below it). */
void
ctlop_put_raw(struct ofpbuf *ofpacts, enum ctlop_tag tag,
              const void *value, size_t len)
{
    len = MIN(len, CTLOP_MAX_VALUE);
    struct ctlop_tlv tlv = { .tag = htons(tag), .len = htons(len) };
    ofpbuf_put(ofpacts, &tlv, sizeof tlv);
    ofpbuf_put(ofpacts, value, len);
    ofpbuf_put_zeros(ofpacts, ROUND_UP(len, 4) - len);
}

void
ctlop_put_u32(struct ofpbuf *ofpacts, uint32_t value)
{
    ovs_be32 be = htonl(value);
    ctlop_put_raw(ofpacts, CTLOP_TAG_U32, &be, sizeof be);
}

void
ctlop_put_string(struct ofpbuf *ofpacts, enum ctlop_tag tag, const char *s)
{
    ctlop_put_raw(ofpacts, tag, s, strlen(s));
}

/* Wire form of a subfield. */
struct ctlop_subfield {
    ovs_be32 field;
    ovs_be16 ofs;
    ovs_be16 n_bits;
};

void
ctlop_put_subfield(struct ofpbuf *ofpacts, enum ctlop_tag tag,
                   const struct mf_subfield *sf)
{
    struct ctlop_subfield w = {
        .field = htonl(sf->field->id),
        .ofs = htons(sf->ofs),
        .n_bits = htons(sf->n_bits),
    };
    ctlop_put_raw(ofpacts, tag, &w, sizeof w);
}

void
ctlop_put_option(struct ofpbuf *ofpacts, uint16_t code,
                 const void *value, size_t len)
{
    uint8_t buf[2 + 255];
    ovs_be16 be = htons(code);

    len = MIN(len, 255);
    memcpy(buf, &be, 2);
    memcpy(buf + 2, value, len);
    ctlop_put_raw(ofpacts, CTLOP_TAG_OPTION, buf, len + 2);
}

/* Appends the 'nested_len' bytes of ofpacts at 'nested' as OpenFlow 1.5
 * actions. */
void
ctlop_put_actions(struct ofpbuf *ofpacts, const struct ofpact *nested,
                  size_t nested_len)
{
    struct ofpbuf wire;

    ofpbuf_init(&wire, 64);
    ofpacts_put_openflow_actions(nested, nested_len, &wire, OFP15_VERSION);
    ctlop_put_raw(ofpacts, CTLOP_TAG_ACTIONS, wire.data, wire.size);
    ofpbuf_uninit(&wire);
}

/* Completes the controller action started at 'handle'. */
void
ctlop_finish(struct ofpbuf *ofpacts, size_t handle)
{
    struct ofpact_controller *oc = ofpbuf_at_assert(ofpacts, handle,
                                                    sizeof *oc);
    oc->userdata_len = ofpacts->size - (handle + sizeof *oc);
    ofpacts->header = oc;
    ofpact_finish_CONTROLLER(ofpacts, &oc);
}

/* Decoding. */

static void
ctlop_msg_add(struct ctlop_msg *msg, size_t *allocated,
              enum ctlop_tag tag, const uint8_t *value, size_t len)
{
    if (msg->n_args >= *allocated) {
        msg->args = x2nrealloc(msg->args, allocated, sizeof *msg->args);
    }
    msg->args[msg->n_args++] = (struct ctlop_arg) {
        .tag = tag, .value = value, .len = len,
    };
}

/* Decodes the 'len' bytes of controller userdata at 'userdata' into 'msg',
 * whose arguments point into 'userdata'.  Returns NULL on success,
 * otherwise a malloc'd error (and 'msg' is empty).  The caller must call
 * ctlop_msg_destroy() in either case. */
char *
ctlop_decode(const void *userdata, size_t len, struct ctlop_msg *msg)
{
    const uint8_t *p = userdata;
    struct ctlop_header hdr;
    size_t allocated = 0;

    memset(msg, 0, sizeof *msg);
    if (len < sizeof hdr) {
        goto error_short;
    }
    memcpy(&hdr, p, sizeof hdr);
    if (ntohs(hdr.version) != CTLOP_VERSION) {
        COVERAGE_INC(ctlop_decode_error);
        return xasprintf("unsupported controller-op version %"PRIu16,
                         ntohs(hdr.version));
    }
    if (ntohs(hdr.opcode) >= CTLOP_N_OPCODES) {
        COVERAGE_INC(ctlop_decode_error);
        return xasprintf("unknown controller opcode %"PRIu16,
                         ntohs(hdr.opcode));
    }
    msg->opcode = ntohs(hdr.opcode);

    size_t ofs = sizeof hdr;
    while (ofs < len) {
        struct ctlop_tlv tlv;
        if (len - ofs < sizeof tlv) {
            goto error_short;
        }
        memcpy(&tlv, p + ofs, sizeof tlv);
        ofs += sizeof tlv;

        uint16_t tag = ntohs(tlv.tag);
        size_t vlen = ntohs(tlv.len);
        if (ROUND_UP(vlen, 4) > len - ofs) {
            goto error_short;
        }
        if (tag >= CTLOP_N_TAGS) {
            ctlop_msg_destroy(msg);
            COVERAGE_INC(ctlop_decode_error);
            return xasprintf("unknown controller-op argument tag %"PRIu16,
                             tag);
        }
        if (msg->n_args >= CTLOP_MAX_ARGS) {
            ctlop_msg_destroy(msg);
            COVERAGE_INC(ctlop_decode_error);
            return xstrdup("too many controller-op arguments");
        }
        ctlop_msg_add(msg, &allocated, tag, p + ofs, vlen);
        ofs += ROUND_UP(vlen, 4);
    }
    return NULL;

error_short:
    ctlop_msg_destroy(msg);
    COVERAGE_INC(ctlop_decode_error);
    return xstrdup("truncated controller-op userdata");
}

/* Frees the argument array of 'msg' (which may be NULL). */
void
ctlop_msg_destroy(struct ctlop_msg *msg)
{
    if (msg) {
        free(msg->args);
        msg->args = NULL;
        msg->n_args = 0;
    }
}

/* Returns the 'nth' (0-based) argument of 'msg' with tag 'tag', or NULL. */
const struct ctlop_arg *
ctlop_msg_find(const struct ctlop_msg *msg, enum ctlop_tag tag, size_t nth)
{
    for (size_t i = 0; i < msg->n_args; i++) {
        if (msg->args[i].tag == tag && !nth--) {
            return &msg->args[i];
        }
    }
    return NULL;
}

bool
ctlop_arg_get_u32(const struct ctlop_arg *arg, uint32_t *value)
{
    ovs_be32 be;
    if (!arg || arg->len != sizeof be) {
        return false;
    }
    memcpy(&be, arg->value, sizeof be);
    *value = ntohl(be);
    return true;
}

/* Stores the subfield in 'arg' into 'sf'; returns false if 'arg' does not
 * hold a valid subfield. */
bool
ctlop_arg_get_subfield(const struct ctlop_arg *arg, struct mf_subfield *sf)
{
    struct ctlop_subfield w;
    if (!arg || arg->len != sizeof w) {
        return false;
    }
    memcpy(&w, arg->value, sizeof w);
    if (ntohl(w.field) >= MFF_N_IDS) {
        return false;
    }
    sf->field = mf_from_id(ntohl(w.field));
    sf->ofs = ntohs(w.ofs);
    sf->n_bits = ntohs(w.n_bits);
    return sf->n_bits && sf->ofs + sf->n_bits <= sf->field->n_bits;
}

/* Returns the value of 'arg' as a malloc'd, null-terminated string. */
char *
ctlop_arg_get_string(const struct ctlop_arg *arg)
{
    return arg ? xmemdup0((const char *) arg->value, arg->len) : NULL;
}

/* Decodes the nested OpenFlow actions in 'arg' into 'ofpacts'. */
char *
ctlop_arg_decode_actions(const struct ctlop_arg *arg, struct ofpbuf *ofpacts)
{
    struct ofpbuf wire;
    enum ofperr error;

    ofpbuf_use_const(&wire, arg->value, arg->len);
    error = ofpacts_pull_openflow_actions(&wire, arg->len, OFP15_VERSION,
                                          NULL, NULL, ofpacts);
    if (error) {
        return xasprintf("bad nested actions: %s", ofperr_to_string(error));
    }
    return NULL;
}

static void
format_arg(const struct ctlop_arg *arg, struct ds *s)
{
    struct mf_subfield sf;
    uint32_t u32;

    ds_put_format(s, "%s=", ctlop_tag_name(arg->tag));
    switch (arg->tag) {
    case CTLOP_TAG_RESULT:
    case CTLOP_TAG_FIELD:
        if (ctlop_arg_get_subfield(arg, &sf)) {
            mf_format_subfield(&sf, s);
            return;
        }
        break;
    case CTLOP_TAG_U32:
        if (ctlop_arg_get_u32(arg, &u32)) {
            ds_put_format(s, "%"PRIu32, u32);
            return;
        }
        break;
    case CTLOP_TAG_STRING:
    case CTLOP_TAG_PAIR:
        ds_put_char(s, '"');
        ds_put_buffer(s, (const char *) arg->value, arg->len);
        ds_put_char(s, '"');
        return;
    case CTLOP_TAG_ACTIONS: {
        struct ofpbuf ofpacts;
        ofpbuf_init(&ofpacts, 0);
        char *error = ctlop_arg_decode_actions(arg, &ofpacts);
        if (!error) {
            struct ofpact_format_params fp = { .s = s };
            ds_put_char(s, '{');
            ofpacts_format(ofpacts.data, ofpacts.size, &fp);
            ds_put_char(s, '}');
            ofpbuf_uninit(&ofpacts);
            return;
        }
        free(error);
        ofpbuf_uninit(&ofpacts);
        break;
    }
    case CTLOP_TAG_OPTION:
    case CTLOP_N_TAGS:
    default:
        break;
    }
    ds_put_hex(s, arg->value, arg->len);
}

/* Appends a human-readable form of 'msg' to 's'. */
void
ctlop_msg_format(const struct ctlop_msg *msg, struct ds *s)
{
    ds_put_cstr(s, ctlop_opcode_name(msg->opcode));
    ds_put_char(s, '(');
    for (size_t i = 0; i < msg->n_args; i++) {
        if (i) {
            ds_put_cstr(s, ", ");
        }
        format_arg(&msg->args[i], s);
    }
    ds_put_char(s, ')');
}
