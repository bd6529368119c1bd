/* Copyright (c) 2026 The ovnmc authors.
 * SPDX-License-Identifier: Apache-2.0 */

/*
 * Unit driver for controller/chassis-config.c.
 *
 *   test-chassis-config parse [--hostname=NAME] KEY=VALUE...
 *       Parses the KEY=VALUE pairs as Open_vSwitch external_ids and prints
 *       one "error: ..." line per problem, then the parsed configuration.
 *       Every parse is also cloned; the clone must compare equal and format
 *       the same, or the driver aborts.
 *
 *   test-chassis-config find-ip IP KEY=VALUE...
 *       Parses, then prints the Encap-ID and plane of the local encap IP
 *       matching IP, or "not found".
 */

#include <config.h>

#include <stdio.h>
#include <string.h>

#include "controller/chassis-config.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/util.h"
#include "smap.h"
#include "svec.h"
#include "util.h"

/* Reads the KEY=VALUE arguments into 'ids'. */
static void
parse_pairs(int argc, char *argv[], struct smap *ids)
{
    for (int i = 0; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (!eq) {
            ovs_fatal(0, "%s: expected KEY=VALUE", argv[i]);
        }
        char *key = xmemdup0(argv[i], eq - argv[i]);
        smap_replace(ids, key, eq + 1);
        free(key);
    }
}

/* Checks that a clone of 'cfg' equals it and formats as 'text'. */
static void
check_clone(const struct chassis_config *cfg, const char *text)
{
    struct chassis_config copy;
    struct ds copy_text = DS_EMPTY_INITIALIZER;

    chassis_config_init(&copy);
    chassis_config_clone(&copy, cfg);
    chassis_config_format(&copy, &copy_text);
    if (!chassis_config_equals(cfg, &copy)
        || strcmp(text, ds_cstr(&copy_text))) {
        ovs_fatal(0, "clone differs from the original:\n%s",
                  ds_cstr(&copy_text));
    }
    ds_destroy(&copy_text);
    chassis_config_destroy(&copy);
}

/* Parses 'ids' into 'cfg', printing the errors if 'print' is true. */
static void
parse_and_report(const struct smap *ids, const char *hostname,
                 struct chassis_config *cfg, bool print)
{
    struct svec errors = SVEC_EMPTY_INITIALIZER;
    const char *error;
    size_t i;

    chassis_config_parse(ids, hostname, cfg, &errors);
    SVEC_FOR_EACH (i, error, &errors) {
        if (print) {
            printf("error: %s\n", error);
        }
    }
    svec_destroy(&errors);
}

static int
do_parse(int argc, char *argv[])
{
    const char *hostname = "testhost";
    struct smap ids = SMAP_INITIALIZER(&ids);
    struct chassis_config cfg;
    struct ds text = DS_EMPTY_INITIALIZER;

    if (argc > 0 && !strncmp(argv[0], "--hostname=", 11)) {
        hostname = argv[0] + 11;
        argc--;
        argv++;
    }
    parse_pairs(argc, argv, &ids);
    chassis_config_init(&cfg);
    parse_and_report(&ids, hostname, &cfg, true);
    chassis_config_format(&cfg, &text);
    fputs(ds_cstr(&text), stdout);
    check_clone(&cfg, ds_cstr(&text));

    /* Parsing over a config that holds other data must give the same. */
    struct chassis_config other;
    struct smap other_ids = SMAP_INITIALIZER(&other_ids);
    smap_add(&other_ids, "system-id", "other");
    smap_add(&other_ids, "ovn-encap-type", "vxlan");
    smap_add(&other_ids, "ovn-encap-ip", "192.0.2.1:x,192.0.2.2");
    smap_add(&other_ids, "ovn-transport-zones", "tzx");
    chassis_config_init(&other);
    parse_and_report(&other_ids, "otherhost", &other, false);
    parse_and_report(&ids, hostname, &other, false);
    if (!chassis_config_equals(&cfg, &other)) {
        ovs_fatal(0, "parsing over another config gave a different result");
    }
    chassis_config_destroy(&other);
    smap_destroy(&other_ids);

    ds_destroy(&text);
    chassis_config_destroy(&cfg);
    smap_destroy(&ids);
    return 0;
}

static int
do_find_ip(int argc, char *argv[])
{
    struct chassis_config cfg;

    if (argc < 1) {
        ovs_fatal(0, "find-ip: IP required");
    }
    struct smap ids = SMAP_INITIALIZER(&ids);
    parse_pairs(argc - 1, argv + 1, &ids);
    chassis_config_init(&cfg);
    parse_and_report(&ids, "testhost", &cfg, true);
    smap_destroy(&ids);

    const struct chassis_encap_ip *eip = chassis_config_find_ip(&cfg,
                                                                argv[0]);
    if (eip) {
        printf("%s: encap-id %u ip %s plane %s\n", argv[0], eip->encap_id,
               eip->ip, eip->plane);
    } else {
        printf("%s: not found\n", argv[0]);
    }
    chassis_config_destroy(&cfg);
    return 0;
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    if (argc < 2) {
        ovs_fatal(0, "usage: %s parse|find-ip ARGS...", argv[0]);
    }
    if (!strcmp(argv[1], "parse")) {
        return do_parse(argc - 2, argv + 2);
    } else if (!strcmp(argv[1], "find-ip")) {
        return do_find_ip(argc - 2, argv + 2);
    }
    ovs_fatal(0, "unknown command \"%s\"", argv[1]);
}
