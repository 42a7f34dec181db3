/* Calendar: civil dates as day numbers, and the run's time steps.
 *
 * Step t covers the days [start + t*step_days, start + (t+1)*step_days - 1].
 * A date inside a step belongs to that step, and "by date D" means at the end
 * of the step holding D. */
#ifndef DDRSIM_CALENDAR_H
#define DDRSIM_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

typedef struct ddr_calendar {
  int32_t start; /* as-of date, days since 1970-01-01 */
  int32_t end;   /* last day of the horizon (inclusive) */
  int step_days; /* 1 (day) or 7 (week) */
  int nsteps;    /* steps from start through the step holding end */
} ddr_calendar;

/* Parse a strict YYYY-MM-DD date into days since 1970-01-01; 0 on success,
 * -1 if the text is not a valid calendar date. */
int ddr_date_parse(const char *text, int32_t *days);

/* Format days since 1970-01-01 as YYYY-MM-DD into buf (at least 11 bytes). */
void ddr_date_format(int32_t days, char *buf, size_t size);

/* Set up a calendar; returns -1 if end < start or step_days < 1. */
int ddr_calendar_init(ddr_calendar *cal, int32_t start, int32_t end, int step_days);

/* Step holding a day (may be < 0 or >= nsteps when outside the horizon). */
int ddr_calendar_step_of(const ddr_calendar *cal, int32_t day);

/* First and last day of step t. */
int32_t ddr_calendar_step_first(const ddr_calendar *cal, int t);
int32_t ddr_calendar_step_last(const ddr_calendar *cal, int t);

#endif
