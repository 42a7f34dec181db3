/* Large zeroed buffers backed by transparent huge pages where the system
 * allows: on virtual machines each 4 KiB page fault is costly, and the
 * summaries and batch buffers touch tens of megabytes. Private to sim/. */
#ifndef DDRSIM_BIGMEM_H
#define DDRSIM_BIGMEM_H

#include <stddef.h>

/* A zeroed buffer of at least bytes bytes, or NULL. */
void *ddr_big_alloc(size_t bytes);
/* Release a buffer from ddr_big_alloc with the same size; NULL is a no-op. */
void ddr_big_free(void *p, size_t bytes);

#endif
