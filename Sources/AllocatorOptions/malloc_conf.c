// The options of jemalloc, the allocator of the `versus` command on Linux (Package.swift):
// jemalloc reads this variable once, when it starts, before the `MALLOC_CONF` environment
// variable (which can still override any of them).
//
// `thp:always`, `metadata_thp:always`: the heap and jemalloc's own metadata in transparent huge
// pages where the system lets a process ask for them (`madvise`, Debian's default; nothing
// changes where they are off). A build touches every page of a heap that grows to hundreds of
// megabytes once, so with 4 KiB pages it takes a page fault for each: 146,000 at 50,000 pages,
// 306,000 at 100,000. In 2 MiB pages it takes 11,000 and 17,000, and clean builds were a few per
// cent faster in most alternated pairs (39 of 62; within this host's noise one by one: README
// "The heap in huge pages"), for 10 to 30 MiB more at the peak.
#if defined(__linux__)
__attribute__((used, visibility("default")))
const char *malloc_conf = "thp:always,metadata_thp:always";
#endif
