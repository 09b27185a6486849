// The options of jemalloc, the allocator of the `versus` command on Linux (Package.swift):
// jemalloc reads this variable once, when it starts, before the `MALLOC_CONF` environment
// variable (which can still override any of them).
//
// `thp:always`, `metadata_thp:always`: the heap and jemalloc's own metadata in transparent huge
// pages where the system lets a process ask for them (`madvise`, Debian's default; nothing
// changes where they are off). A build touches every page of a heap that grows to hundreds of
// megabytes once, so with 4 KiB pages it takes a page fault for each: 146,000 at 50,000 pages,
// 306,000 at 100,000. In 2 MiB pages it takes 11,000 and 17,000, and a clean build of 10,000
// pages is about 5% faster (alternated runs, README "Speed"), for 8 to 30 MiB more at its peak.
#if defined(__linux__)
__attribute__((used, visibility("default")))
const char *malloc_conf = "thp:always,metadata_thp:always";
#endif
