/*
 * clnrm_load_section: the decoders of the sections of a test file, called
 * by clnrm_load.c for the tables it finds. Each fills ld->t and returns 0,
 * or -1 after filling ld->err (see clnrm_load_field.h).
 */
#ifndef CLNRM_LOAD_SECTION_H
#define CLNRM_LOAD_SECTION_H

#include "clnrm_load_field.h"

/* clnrm_load_security.c: [test.security] or [security] (where names it),
 * [limits], and the v1 scenario `policy`. */
int clnrm__load_security(struct clnrm_loader *ld,
                         const struct cr_toml_value *tbl, const char *where);
int clnrm__load_limits(struct clnrm_loader *ld,
                       const struct cr_toml_value *tbl);
int clnrm__load_policy(struct clnrm_loader *ld,
                       const struct cr_toml_value *tbl);

/* clnrm_load_service.c: the services of [services] or v1 [service]
 * (section names it); at most CLNRM_MAX_SERVICES in all. */
int clnrm__load_services(struct clnrm_loader *ld,
                         const struct cr_toml_value *tbl, const char *section);

/* clnrm_load_ports.c: ports, as integers, compose strings or tables. */
int clnrm__load_ports(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                      struct clnrm_service *s);

/* clnrm_load_compose.c: service keys with docker compose's short forms
 * besides the Rust clnrm's own (volumes, depends_on, build), and the path
 * resolution they share (a new string; NULL when out of memory). */
int clnrm__load_volumes(struct clnrm_loader *ld,
                        const struct cr_toml_value *tbl,
                        struct clnrm_service *s);
int clnrm__load_depends(struct clnrm_loader *ld,
                        const struct cr_toml_value *tbl,
                        struct clnrm_service *s);
int clnrm__load_build(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                      struct clnrm_service *s);
char *clnrm__resolve_path(const char *file, const char *p);

/* clnrm_load_step.c: [[steps]], and the v1 [[scenario]] array. */
int clnrm__load_steps(struct clnrm_loader *ld, const struct cr_toml_value *arr);
int clnrm__load_scenarios(struct clnrm_loader *ld,
                          const struct cr_toml_value *arr);

#endif
