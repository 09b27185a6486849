// Nothing to import: the target only links jemalloc's options into the `versus` command
// (`malloc_conf.c`).
