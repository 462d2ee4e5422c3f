/*
 * engine_curl: libcurl, reached through dlopen rather than the link line.
 *
 * Why: libcurl brings some thirty shared libraries (TLS, HTTP/2, IDN, LDAP,
 * Kerberos...) that the dynamic loader maps and relocates at every process
 * start, which made `clnrm --help` cost several times /bin/true although it
 * never talks to an engine. So no binary links libcurl: engine_global_init()
 * loads libcurl.so.4 and fills the table below, and only the commands that
 * need the engine pay for it. The headers are still used at compile time,
 * for the types and constants.
 *
 * Ownership and lifetime: engine__curl is process-wide, like libcurl's own
 * global state. It is written only by engine__curl_load and
 * engine__curl_cleanup, which main() reaches through engine_global_init and
 * engine_global_cleanup before and after any thread runs; in between it is
 * read-only. The library stays mapped until exit (unloading it would unmap
 * code that its TLS backend registered to run at exit). Tests may swap a
 * pointer to inject a failure, and must put it back.
 */
#ifndef ENGINE_CURL_H
#define ENGINE_CURL_H

#include <stdbool.h>

#include <curl/curl.h>

#include "engine_error.h"

/* The libcurl functions the engine calls; each is the symbol of the same
 * name without the curl_ prefix. */
struct engine__curl_api {
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *h);
    void (*easy_reset)(CURL *h);
    CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode code);
    char *(*easy_escape)(CURL *h, const char *s, int len);
    void (*free)(void *p);
    struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
    void (*slist_free_all)(struct curl_slist *l);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *m);
    CURLMcode (*multi_add_handle)(CURLM *m, CURL *h);
    CURLMcode (*multi_remove_handle)(CURLM *m, CURL *h);
    CURLMcode (*multi_perform)(CURLM *m, int *running);
    CURLMsg *(*multi_info_read)(CURLM *m, int *left);
    CURLMcode (*multi_poll)(CURLM *m, struct curl_waitfd extra[], unsigned n,
                            int timeout_ms, int *numfds);
};

/* The loaded functions; all NULL before engine__curl_load succeeds. */
extern struct engine__curl_api engine__curl;

/*
 * Loads the first of names (NULL-terminated) that dlopen finds, resolves
 * every function and runs curl_global_init. Loading again after success
 * only re-runs curl_global_init when engine__curl_cleanup ran. Failure
 * gives ENGINE_E_UNREACHABLE, "cannot load libcurl.so.4: <dlerror>; ...",
 * and is remembered for engine__curl_check.
 */
enum engine_code engine__curl_load(const char *const *names,
                                   struct cr_error *err);

/* curl_global_cleanup, when loaded; the functions stay mapped. */
void engine__curl_cleanup(void);

/* ENGINE_OK when libcurl is loaded and initialised; otherwise the load
 * failure again, or ENGINE_E_INVALID when engine_global_init never ran. */
enum engine_code engine__curl_check(struct cr_error *err);

#endif
