/* cr_proc: subreaping and the orphan scan (see cr_proc_orphan.h). */
#include "cr_proc_orphan.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cr_procfs.h"

int cr_proc_become_subreaper(void)
{
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
        return -errno;
    return 0;
}

/* The parent pid in /proc/<name>/stat, or -1. */
static pid_t stat_ppid(const char *name)
{
    struct cr_procfs_stat st;

    return cr_procfs_stat_name(name, &st) == 0 ? st.ppid : -1;
}

int cr_proc_kill_orphans(const pid_t *skip, size_t n)
{
    /* No children at all (the usual case): skip scanning /proc. */
    siginfo_t info;
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 &&
        errno == ECHILD)
        return 0;
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    pid_t self = getpid();
    int killed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
            stat_ppid(e->d_name) != self)
            continue;
        pid_t pid = (pid_t)atoi(e->d_name);
        bool tracked = false;
        for (size_t i = 0; i < n && !tracked; i++)
            tracked = skip[i] == pid;
        if (!tracked && kill(pid, SIGKILL) == 0) {
            killed++;
            waitpid(pid, NULL, 0);
        }
    }
    closedir(d);
    return killed;
}
