/* engine_curl: libcurl loaded at run time. See engine_curl.h. */
#include "engine_curl.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct engine__curl_api engine__curl;

/* Where each function of the table comes from. */
static const struct {
    const char *symbol;
    size_t offset;
} symbols[] = {
#define SYM(member)                                                            \
    {                                                                          \
        "curl_" #member, offsetof(struct engine__curl_api, member)             \
    }
    SYM(global_init),      SYM(global_cleanup),
    SYM(easy_init),        SYM(easy_cleanup),
    SYM(easy_reset),       SYM(easy_setopt),
    SYM(easy_getinfo),     SYM(easy_strerror),
    SYM(easy_escape),      SYM(free),
    SYM(slist_append),     SYM(slist_free_all),
    SYM(multi_init),       SYM(multi_cleanup),
    SYM(multi_add_handle), SYM(multi_remove_handle),
    SYM(multi_perform),    SYM(multi_info_read),
    SYM(multi_poll),
#undef SYM
};

static void *library;     /* the dlopen handle, kept until exit */
static bool initialised;  /* curl_global_init succeeded */
static char failure[512]; /* why the last load failed, "" if it did not */

/* Reports the reason written into failure, which later calls repeat. */
static enum engine_code fail(struct cr_error *err)
{
    return engine_error_set(err, ENGINE_E_NOLIB, "%s", failure);
}

/* Resolves every symbol into a scratch table, so a library missing one
 * (too old) leaves engine__curl untouched. */
static enum engine_code resolve(void *h, const char *name, struct cr_error *err)
{
    struct engine__curl_api api;

    for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
        void *sym = dlsym(h, symbols[i].symbol);
        if (!sym) {
            snprintf(failure, sizeof(failure),
                     "%s lacks %s: libcurl 7.66 or newer is needed; "
                     "apt-get install libcurl4",
                     name, symbols[i].symbol);
            return fail(err);
        }
        /* POSIX guarantees a function address fits in a void *. */
        memcpy((char *)&api + symbols[i].offset, &sym, sizeof(sym));
    }
    engine__curl = api;
    return ENGINE_OK;
}

enum engine_code engine__curl_load(const char *const *names,
                                   struct cr_error *err)
{
    char why[300] = "no library name given";
    enum engine_code rc;

    if (initialised)
        return ENGINE_OK;
    for (const char *const *n = names; !library && *n; n++) {
        void *h = dlopen(*n, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            /* Keep the first reason: it names the preferred library. */
            if (n == names)
                snprintf(why, sizeof(why), "%s", dlerror());
            continue;
        }
        rc = resolve(h, *n, err);
        if (rc != ENGINE_OK) {
            dlclose(h);
            return rc;
        }
        library = h;
    }
    if (!library) {
        snprintf(failure, sizeof(failure),
                 "cannot load %s: %s; apt-get install libcurl4",
                 names[0] ? names[0] : "libcurl", why);
        return fail(err);
    }
    if (engine__curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(failure, sizeof(failure), "cannot initialise libcurl");
        return fail(err);
    }
    initialised = true;
    failure[0] = '\0';
    return ENGINE_OK;
}

void engine__curl_cleanup(void)
{
    if (!initialised)
        return;
    engine__curl.global_cleanup();
    initialised = false;
}

enum engine_code engine__curl_check(struct cr_error *err)
{
    if (initialised)
        return ENGINE_OK;
    if (failure[0])
        return engine_error_set(err, ENGINE_E_NOLIB, "%s", failure);
    return engine_error_set(err, ENGINE_E_INVALID,
                            "libcurl is not loaded: engine_global_init() "
                            "must run before the engine is used");
}
