/* Civil-date arithmetic (proleptic Gregorian) and time steps. */
#include "ddrsim/calendar.h"

#include <stdio.h>
#include <string.h>

/* Days from 1970-01-01 to y-m-d; Howard Hinnant's days_from_civil. */
static int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp + (mp < 10 ? 3 : -9);
  *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m) {
  static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 ? 28 + leap : len[m - 1];
}

int ddr_date_parse(const char *text, int32_t *days) {
  if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-') return -1;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return -1;
  int y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  int m = (text[5] - '0') * 10 + (text[6] - '0');
  int d = (text[8] - '0') * 10 + (text[9] - '0');
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return -1;
  *days = days_from_civil(y, m, d);
  return 0;
}

void ddr_date_format(int32_t days, char *buf, size_t size) {
  int y, m, d;
  civil_from_days(days, &y, &m, &d);
  snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

int ddr_calendar_init(ddr_calendar *cal, int32_t start, int32_t end, int step_days) {
  if (end < start || step_days < 1) return -1;
  cal->start = start;
  cal->end = end;
  cal->step_days = step_days;
  cal->nsteps = (end - start) / step_days + 1;
  return 0;
}

int ddr_calendar_step_of(const ddr_calendar *cal, int32_t day) {
  int32_t off = day - cal->start;
  /* floor division, also for days before the start */
  return off >= 0 ? off / cal->step_days : -((-off + cal->step_days - 1) / cal->step_days);
}

int32_t ddr_calendar_step_first(const ddr_calendar *cal, int t) {
  return cal->start + t * cal->step_days;
}

int32_t ddr_calendar_step_last(const ddr_calendar *cal, int t) {
  return cal->start + (t + 1) * cal->step_days - 1;
}
