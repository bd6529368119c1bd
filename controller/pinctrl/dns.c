/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/* R = dns_lookup(): answers DNS queries from the SB DNS table (ovn-sb(5),
 * RFC 1035).
 *
 * The packet is paused in the switch.  A standard query (QR 0, opcode 0)
 * with one question of class IN, for a name that the DNS rows of the
 * packet's logical switch hold (case-insensitive; the snapshot has them,
 * see snapshot.h), is answered in place: the same header with QR, AA and
 * the client's RD, the question, and one answer per address of the
 * queried family (A: the record's IPv4 addresses, AAAA: its IPv6 ones;
 * TTL 3600, the name as a pointer to the question).  A PTR query
 * ("4.3.2.1.in-addr.arpa", "...ip6.arpa") is answered from a record of
 * that name if there is one, otherwise with every host name whose
 * addresses include that address.  The logical flows after the action
 * swap the addresses and ports.  R is set to 1 and the packet resumes.
 * Any other query (another type, a name we do not know, several
 * questions) resumes unchanged with R = 0, so that it goes on to a real
 * DNS server; a malformed one (truncated, a label over 63 bytes, a name
 * over 255, compression in the question) too, with a counted,
 * rate-limited warning. */

#include <config.h>
#include "controller/pinctrl/pin.h"

#include <arpa/inet.h>
#include <ctype.h>
#include "controller/pinctrl/pkt.h"
#include "controller/pinctrl/snapshot.h"
#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "util.h"

COVERAGE_DEFINE(pinctrl_dns_answer);
COVERAGE_DEFINE(pinctrl_dns_pass);

#define DNS_HEADER DNS_HEADER_LEN
#define DNS_TTL 3600
#define DNS_MAX_ANSWERS 32

enum { DNS_A = 1, DNS_PTR = 12, DNS_AAAA = 28 };

/* A parsed query. */
struct dns_query {
    uint16_t id;
    uint16_t flags;
    char name[256];             /* Dotted, without the trailing dot. */
    size_t question_len;        /* Bytes of the question section. */
    uint16_t qtype;
    uint16_t qclass;
};

/* Parses the question name at 'r' into 'name'.  Returns NULL or a
 * malloc'd reason. */
static char *
dns_parse_name(struct pkt_reader *r, char *name, size_t size)
{
    size_t n = 0, wire = 0;

    name[0] = '\0';
    for (;;) {
        uint8_t len = pkt_read_u8(r);
        if (r->error) {
            return xstrdup("truncated name");
        }
        if (!len) {
            break;
        }
        if (len >= 0xc0) {
            return xstrdup("compressed name in a question");
        }
        if (len > 63) {
            return xasprintf("label of %"PRIu8" bytes", len);
        }
        wire += len + 1;
        const char *label = pkt_read(r, len);
        if (!label || wire > 255 || n + len + 2 > size) {
            return xstrdup(label ? "name too long" : "truncated name");
        }
        if (n) {
            name[n++] = '.';
        }
        for (size_t i = 0; i < len; i++) {
            if (!label[i] || label[i] == '.') {
                return xstrdup("NUL or dot inside a label");
            }
        }
        memcpy(name + n, label, len);
        n += len;
        name[n] = '\0';
    }
    return NULL;
}

/* Parses the query in the 'len' bytes at 'data'.  Returns NULL (with
 * '*answerable' false if it is valid but not for us) or a malloc'd
 * reason. */
static char *
dns_parse(const uint8_t *data, size_t len, struct dns_query *q,
          bool *answerable)
{
    struct pkt_reader r;

    *answerable = false;
    pkt_reader_init(&r, data, len);
    q->id = pkt_read_be16(&r);
    q->flags = pkt_read_be16(&r);
    uint16_t qdcount = pkt_read_be16(&r);
    uint16_t ancount = pkt_read_be16(&r);
    pkt_read(&r, 4);
    if (r.error) {
        return xstrdup("DNS header is truncated");
    }
    if (q->flags & 0x8000 || (q->flags >> 11) & 0xf || qdcount != 1
        || ancount) {
        return NULL;            /* Not a plain query: not ours. */
    }
    char *error = dns_parse_name(&r, q->name, sizeof q->name);
    if (error) {
        return error;
    }
    q->qtype = pkt_read_be16(&r);
    q->qclass = pkt_read_be16(&r);
    if (r.error) {
        return xstrdup("question is truncated");
    }
    q->question_len = r.ofs - DNS_HEADER;
    *answerable = q->qclass == DNS_CLASS_IN;
    return NULL;
}

/* Appends to 'out' the RFC 1035 form of dotted 'name'. */
static bool
dns_put_name(struct ofpbuf *out, const char *name)
{
    size_t start = out->size;
    const char *p = name;

    while (*p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? dot - p : strlen(p);
        if (!n || n > 63) {
            return false;
        }
        uint8_t len = n;
        ofpbuf_put(out, &len, 1);
        ofpbuf_put(out, p, n);
        p += n + !!dot;
    }
    ofpbuf_put_zeros(out, 1);
    return out->size - start <= 255;
}

/* Appends an answer for the question's name. */
static void
dns_put_answer(struct ofpbuf *out, uint16_t type, const void *rdata,
               size_t rdlen)
{
    ovs_be16 hdr[5] = {
        htons(0xc000 | DNS_HEADER), htons(type), htons(DNS_CLASS_IN),
        htons(DNS_TTL >> 16), htons(DNS_TTL & 0xffff),
    };
    ovs_be16 rdl = htons(rdlen);
    ofpbuf_put(out, hdr, sizeof hdr);
    ofpbuf_put(out, &rdl, 2);
    ofpbuf_put(out, rdata, rdlen);
}

/* Adds the A or AAAA answers for 'addresses'; returns how many. */
static size_t
dns_put_addresses(struct ofpbuf *out, uint16_t qtype, const char *addresses)
{
    char *copy = xstrdup(addresses), *save = NULL;
    size_t n = 0;

    for (char *tok = strtok_r(copy, " ,", &save);
         tok && n < DNS_MAX_ANSWERS; tok = strtok_r(NULL, " ,", &save)) {
        struct in6_addr a6;
        ovs_be32 a4;
        if (qtype == DNS_A && inet_pton(AF_INET, tok, &a4) == 1) {
            dns_put_answer(out, DNS_A, &a4, 4);
            n++;
        } else if (qtype == DNS_AAAA && inet_pton(AF_INET6, tok, &a6) == 1) {
            dns_put_answer(out, DNS_AAAA, &a6, 16);
            n++;
        }
    }
    free(copy);
    return n;
}

/* Parses a reverse name ("d.c.b.a.in-addr.arpa" or nibbles in
 * "ip6.arpa") into an address text in 'ip'; returns false if it is not
 * one. */
static bool
dns_reverse_to_ip(const char *name, char ip[INET6_ADDRSTRLEN])
{
    size_t len = strlen(name);
    static const char v4[] = ".in-addr.arpa", v6[] = ".ip6.arpa";

    if (len > strlen(v4) && !strcasecmp(name + len - strlen(v4), v4)) {
        unsigned int b[4];
        char tail[2];
        if (sscanf(name, "%u.%u.%u.%u%1[.]", &b[3], &b[2], &b[1], &b[0],
                   tail) != 5 || b[0] > 255 || b[1] > 255 || b[2] > 255
            || b[3] > 255) {
            return false;
        }
        snprintf(ip, INET6_ADDRSTRLEN, "%u.%u.%u.%u", b[0], b[1], b[2],
                 b[3]);
        return true;
    }
    if (len == 64 + strlen(v6) - 1
        && !strcasecmp(name + len - strlen(v6) + 1, v6 + 1)) {
        uint8_t bytes[16];
        memset(bytes, 0, sizeof bytes);
        for (int i = 0; i < 32; i++) {
            int c = tolower((unsigned char) name[2 * i]);
            int nib = isdigit(c) ? c - '0' : c >= 'a' && c <= 'f'
                      ? c - 'a' + 10 : -1;
            if (nib < 0 || name[2 * i + 1] != '.') {
                return false;
            }
            int pos = 31 - i;   /* The name lists the last nibble first. */
            bytes[pos / 2] |= pos & 1 ? nib : nib << 4;
        }
        return inet_ntop(AF_INET6, bytes, ip, INET6_ADDRSTRLEN) != NULL;
    }
    return false;
}

/* True if the addresses text 'addresses' holds 'ip' (compared as
 * addresses). */
static bool
addresses_have(const char *addresses, const char *ip)
{
    struct in6_addr want, a;
    bool v4 = !strchr(ip, ':');
    char *copy = xstrdup(addresses), *save = NULL;
    bool found = false;

    if (inet_pton(v4 ? AF_INET : AF_INET6, ip, &want) != 1) {
        free(copy);
        return false;
    }
    for (char *tok = strtok_r(copy, " ,", &save); tok && !found;
         tok = strtok_r(NULL, " ,", &save)) {
        memset(&a, 0, sizeof a);
        found = (inet_pton(v4 ? AF_INET : AF_INET6, tok, &a) == 1
                 && !memcmp(&a, &want, v4 ? 4 : 16));
    }
    free(copy);
    return found;
}

static size_t
dns_put_ptr(struct ofpbuf *out, const struct ps_datapath *dp,
            const char *name)
{
    const char *direct = pinctrl_snapshot_find_dns(dp, name);
    char ip[INET6_ADDRSTRLEN];
    size_t n = 0;

    if (direct) {
        char *host = xstrdup(direct), *save = NULL;
        char *tok = strtok_r(host, " ,", &save);
        struct ofpbuf rd;
        ofpbuf_init(&rd, 64);
        if (tok && dns_put_name(&rd, tok)) {
            dns_put_answer(out, DNS_PTR, rd.data, rd.size);
            n++;
        }
        ofpbuf_uninit(&rd);
        free(host);
        return n;
    }
    if (!dns_reverse_to_ip(name, ip)) {
        return 0;
    }
    const struct shash_node *node;
    SHASH_FOR_EACH (node, &dp->dns) {
        if (n < DNS_MAX_ANSWERS && addresses_have(node->data, ip)) {
            struct ofpbuf rd;
            ofpbuf_init(&rd, 64);
            if (dns_put_name(&rd, node->name)) {
                dns_put_answer(out, DNS_PTR, rd.data, rd.size);
                n++;
            }
            ofpbuf_uninit(&rd);
        }
    }
    return n;
}

void
pinctrl_handle_dns_lookup(struct pin *pin)
{
    const struct flow *f = &pin->flow;
    const uint8_t *payload = dp_packet_get_udp_payload(pin->packet);

    if (f->nw_proto != IPPROTO_UDP || !payload) {
        pin_reject(pin, "not a UDP packet");
        return;
    }
    size_t len = (const uint8_t *) dp_packet_tail(pin->packet) - payload;
    struct dns_query q;
    bool answerable;
    char *error = dns_parse(payload, len, &q, &answerable);
    if (error) {
        pin_reject(pin, "bad DNS query: %s", error);
        free(error);
        return;
    }

    const struct ps_datapath *dp = pinctrl_snapshot_find_dp(
        pin->snap, ntohll(f->metadata));
    struct ofpbuf reply;
    size_t n = 0;
    ofpbuf_init(&reply, 512);
    if (answerable && dp) {
        ofpbuf_put(&reply, payload, DNS_HEADER + q.question_len);
        if (q.qtype == DNS_PTR) {
            n = dns_put_ptr(&reply, dp, q.name);
        } else if (q.qtype == DNS_A || q.qtype == DNS_AAAA) {
            const char *addrs = pinctrl_snapshot_find_dns(dp, q.name);
            n = addrs ? dns_put_addresses(&reply, q.qtype, addrs) : 0;
        }
    }
    if (!n) {
        COVERAGE_INC(pinctrl_dns_pass);
        ofpbuf_uninit(&reply);
        pin_resume(pin);
        return;
    }

    uint8_t *h = reply.data;
    uint16_t flags = 0x8000 | 0x0400 | (q.flags & 0x0100);  /* QR AA RD */
    h[2] = flags >> 8;
    h[3] = flags;
    h[6] = n >> 8;
    h[7] = n;
    memset(h + 8, 0, 4);                    /* No NS or additional. */

    struct dp_packet *p = pkt_replace_udp_payload(pin->packet, reply.data,
                                                  reply.size);
    ofpbuf_uninit(&reply);
    if (!p) {
        pin_reject(pin, "cannot rewrite the packet");
        return;
    }
    dp_packet_delete(pin->packet);
    pin->packet = p;
    pin_set_result(pin, 1);
    pin_resume(pin);
    COVERAGE_INC(pinctrl_dns_answer);
}
