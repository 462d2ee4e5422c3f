/*
 * fg_mem: advice to the kernel for large buffers just allocated: back them
 * with transparent huge pages, so that first touching them faults once
 * per 2 MiB instead of once per 4 KiB page (the stack table's text, the
 * sort keys and the SVG of a 31 MB input are 4 to 5 MB each: about 3,700
 * page faults otherwise). Advice only: where the kernel does not follow
 * it, nothing changes. The buffer is borrowed; nothing is owned.
 */
#ifndef FG_MEM_H
#define FG_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

static inline void fg_mem_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t e = ((uintptr_t)p + n) & ~(huge - 1);
    if (p && e > a)
        (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

#endif
