/* Large zeroed buffers on huge pages (see bigmem.h). */
#define _DEFAULT_SOURCE
#include "bigmem.h"

#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE (2u << 20)

static size_t rounded(size_t bytes) {
  return (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
}

void *ddr_big_alloc(size_t bytes) {
  if (bytes == 0) bytes = 1;
  size_t n = rounded(bytes);
  void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
#ifdef MADV_HUGEPAGE
  madvise(p, n, MADV_HUGEPAGE); /* a hint: fine if the system says no */
#endif
  return p;
}

void ddr_big_free(void *p, size_t bytes) {
  if (p) munmap(p, rounded(bytes ? bytes : 1));
}
