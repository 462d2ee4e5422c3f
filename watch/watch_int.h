/*
 * watch_int: what watch_table.c (the table) and watch_poll.c (the events)
 * share. Internal to the watch library. Paths in the table are owned by it.
 */
#ifndef WATCH_INT_H
#define WATCH_INT_H

#include "watch.h"

struct watch_dir {
    int wd;         /* inotify watch descriptor */
    char *path;     /* as added, owned */
    bool recursive; /* a tree: report every file, watch new directories */
};

/* The entry of wd, or NULL. Borrowed until the table changes. */
struct watch_dir *watch__find(struct watch *w, int wd);

/* Drops wd's entry (the kernel ended the watch). */
void watch__forget(struct watch *w, int wd);

/* True unless the caller's filter rejects path. */
bool watch__wanted(const struct watch *w, const char *path, bool is_dir);

/* Watches dir and everything below it; pushes the files found onto found
 * when it is not NULL (a directory that appeared after the start may have
 * been filled before its watch existed). */
enum watch_code watch__add_tree(struct watch *w, const char *dir,
                                struct cr_strv *found, struct cr_error *err);

#endif
