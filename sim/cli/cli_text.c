/* Text shared by the commands that print numbers for people and programs
 * (summary, compare, export): dates and counts in words, percentages, and
 * JSON and CSV values written so that they read back exactly. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ddrsim/calendar.h"

static const char *const month_names[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

void cli_long_date(int32_t day, char *buf, size_t size) {
  char iso[16];
  ddr_date_format(day, iso, sizeof iso);
  int y = atoi(iso), m = atoi(iso + 5), d = atoi(iso + 8);
  if (m < 1 || m > 12) {
    snprintf(buf, size, "%s", iso);
    return;
  }
  snprintf(buf, size, "%d %s %d", d, month_names[m - 1], y);
}

/* Group the digits of a whole number by thousands: 3000 -> "3,000". */
static void group_digits(long long v, char *buf, size_t size) {
  char digits[32], out[48];
  snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v);
  size_t n = strlen(digits), k = 0;
  if (v < 0) out[k++] = '-';
  for (size_t i = 0; i < n; i++) {
    if (i && (n - i) % 3 == 0) out[k++] = ',';
    out[k++] = digits[i];
  }
  out[k] = '\0';
  snprintf(buf, size, "%s", out);
}

void cli_count(double x, char *buf, size_t size) {
  if (!isfinite(x))
    snprintf(buf, size, "%g", x);
  else if (fabs(x) < 1e15 && x == floor(x))
    group_digits((long long)x, buf, size);
  else
    snprintf(buf, size, "%g", x);
}

void cli_percent_number(double p, char *buf, size_t size) {
  double pc = 100.0 * p;
  /* whole percents in between; near 0 and 100 one decimal, so that a small
   * chance never reads as none and a near certainty never as a certainty */
  if (p < 1e-9) /* rounding noise of an interval's end at 0 or 1 */
    snprintf(buf, size, "0");
  else if (p > 1 - 1e-9)
    snprintf(buf, size, "100");
  else if (pc < 0.05)
    snprintf(buf, size, "<0.1");
  else if (pc > 99.95)
    snprintf(buf, size, ">99.9");
  else if (pc < 1.0 || pc > 99.0)
    snprintf(buf, size, "%.1f", pc);
  else
    snprintf(buf, size, "%.0f", pc);
}

void cli_json_string(FILE *fp, const char *s) {
  fputc('"', fp);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\')
      fprintf(fp, "\\%c", ch);
    else if (ch < 0x20)
      fprintf(fp, "\\u%04x", ch);
    else
      fputc(ch, fp);
  }
  fputc('"', fp);
}

void cli_json_number(FILE *fp, double x) {
  if (isfinite(x))
    fprintf(fp, "%.17g", x);
  else
    fputs("null", fp);
}

void cli_csv_field(FILE *fp, const char *s) {
  if (!strpbrk(s, ",\"\r\n")) {
    fputs(s, fp);
    return;
  }
  fputc('"', fp);
  for (; *s; s++) {
    if (*s == '"') fputc('"', fp);
    fputc(*s, fp);
  }
  fputc('"', fp);
}

void cli_csv_number(FILE *fp, double x) {
  char buf[40];
  if (!isfinite(x)) return; /* an empty cell: missing */
  /* the shortest of 15 or 17 significant digits that reads back as x */
  snprintf(buf, sizeof buf, "%.15g", x);
  if (strtod(buf, NULL) != x) snprintf(buf, sizeof buf, "%.17g", x);
  fputs(buf, fp);
}

void cli_day_iso(const ddr_resfile *rf, double day, char *buf, size_t size) {
  if (isnan(day))
    snprintf(buf, size, "never");
  else
    ddr_date_format(rf->cal.start + (int32_t)lround(day), buf, size);
}
