/*
 * cr_procfs: reads a process's /proc/PID/stat, the one parser of it.
 *
 * The command name (field 2) may hold spaces and parentheses, so fields are
 * counted from its last ')'. Nothing is allocated.
 */
#ifndef CR_PROCFS_H
#define CR_PROCFS_H

#include <sys/types.h>

struct cr_procfs_stat {
    char state;                   /* 'R', 'S', 'Z', ... (field 3) */
    pid_t ppid;                   /* field 4 */
    pid_t pgrp;                   /* field 5 */
    unsigned long long starttime; /* clock ticks after boot (field 22) */
};

/*
 * Reads /proc/<name>/stat, name being a pid in decimal or "self", into the
 * caller's out. Returns 0, -errno when the file cannot be read (-ENOENT:
 * no such process), or -EINVAL when its content cannot be parsed.
 */
int cr_procfs_stat_name(const char *name, struct cr_procfs_stat *out);

/* The same for a pid. */
int cr_procfs_stat(pid_t pid, struct cr_procfs_stat *out);

#endif
