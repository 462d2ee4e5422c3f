/* cr_procfs: /proc/PID/stat. See cr_procfs.h. */
#include "cr_procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cr_procfs_stat_name(const char *name, struct cr_procfs_stat *out)
{
    char path[300], st[1024];
    const char *rp;
    ssize_t n;
    int fd, ppid, pgrp;

    snprintf(path, sizeof(path), "/proc/%s/stat", name);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -errno;
    n = read(fd, st, sizeof(st) - 1);
    close(fd);
    if (n <= 0)
        return n < 0 ? -errno : -EINVAL;
    st[n] = '\0';
    /* Fields 3 to 22 follow the last ')': state ppid pgrp session tty_nr
     * tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
     * priority nice num_threads itrealvalue starttime. */
    if (!(rp = strrchr(st, ')')) ||
        sscanf(rp + 1,
               " %c %d %d %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
               "%*s %*s %*s %*s %llu",
               &out->state, &ppid, &pgrp, &out->starttime) != 4)
        return -EINVAL;
    out->ppid = (pid_t)ppid;
    out->pgrp = (pid_t)pgrp;
    return 0;
}

int cr_procfs_stat(pid_t pid, struct cr_procfs_stat *out)
{
    char name[24];

    snprintf(name, sizeof(name), "%d", (int)pid);
    return cr_procfs_stat_name(name, out);
}
