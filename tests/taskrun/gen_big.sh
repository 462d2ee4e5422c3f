#!/bin/sh
# Writes a large Makefile.toml for the scale tests (the bench suite
# "taskrun" generates the same shape in C):
#   CHAIN tasks c0..c(CHAIN-1), each depending on the one before;
#   FAN tasks f0..f(FAN-1) and a task "fan" that depends on all of them;
#   ENV [env] entries E0..: every odd one maps ${} of the odd one after it
#   (a reference chain ENV/2 long, evaluated in reverse file order), every
#   tenth-plus-four one appends to the odd one before it.
# Usage: gen_big.sh CHAIN FAN ENV > FILE
chain=${1:-50000} fan=${2:-0} env=${3:-0}
awk -v chain="$chain" -v fan="$fan" -v env="$env" 'BEGIN {
    if (env > 0) {
        print "[env]"
        for (i = 0; i < env; i++)
            if (i % 2 == 1 && i + 2 < env)
                printf "E%d = { source = \"${E%d}\", default_value = \"m%d\" }\n", i, i + 2, i
            else if (i % 10 == 4)
                printf "E%d = \"${E%d}-b\"\n", i, i - 1
            else
                printf "E%d = \"v%d\"\n", i, i
    }
    for (i = 0; i < chain; i++) {
        printf "\n[tasks.c%d]\ncommand = \"true\"\n", i
        if (i > 0)
            printf "dependencies = [\"c%d\"]\n", i - 1
    }
    if (fan > 0) {
        for (i = 0; i < fan; i++)
            printf "\n[tasks.f%d]\ncommand = \"true\"\n", i
        printf "\n[tasks.fan]\ndependencies = ["
        for (i = 0; i < fan; i++)
            printf "%s\"f%d\"", (i ? ", " : ""), i
        print "]"
    }
}'
