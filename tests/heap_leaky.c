/*
 * A deliberately leaky program for the `slo memory` tests: allocates and
 * never frees 5 blocks of 1000 bytes (5.00K under heaptrack), then exits
 * with the status given as its argument (0 by default).
 */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    for (int i = 0; i < 5; i++) {
        char *volatile p = malloc(1000);
        if (p)
            memset(p, 1, 1000);
    }
    return argc > 1 ? atoi(argv[1]) : 0;
}
