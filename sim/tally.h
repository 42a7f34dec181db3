/* What sim/ shares about tallies (tally.c) beyond include/ddrsim/engine.h.
 * Private to sim/. */
#ifndef DDRSIM_TALLY_H
#define DDRSIM_TALLY_H

/* Histograms hold one counter per value between a cell's smallest and
 * largest; past this much memory for all of them, summaries are refused
 * rather than the machine run out of memory. */
#define DDR_TALLY_BUDGET (1536ull << 20)

#endif
