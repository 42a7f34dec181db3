/* The result file's events: the kinds, and the event table that grows by
 * each batch's events (see store_events.h and docs/file-format.md). */
#include "store_events.h"

#include <stdlib.h>

#include "h5util.h"

#define TABLE_CHUNK   8192 /* rows per chunk of a column: 64 KB of replication numbers */
#define SC_EVENT_KIND "/events/kind_name"

enum {
  COL_REPLICATION,
  COL_KIND,
  COL_FIRST_STEP,
  COL_LAST_STEP,
  COL_FIRST_DAY,
  COL_LAST_DAY,
  NCOLS
};

static const char *const col_name[NCOLS] = {"replication", "kind",      "first_step",
                                            "last_step",   "first_day", "last_day"};
static const char *const col_desc[NCOLS] = {
    "replication the event happened in",
    "kind of the event: its index in /events/kind_name",
    "time step the event began in",
    "last time step of the event (inclusive; may lie past the horizon)",
    "first day of first_step, in days since the start date",
    "last day of last_step, in days since the start date (may lie past the horizon)"};

struct ddr_evtable {
  size_t nkinds;
  int step_days;
  hid_t col[NCOLS]; /* the table's columns, open while the run is written */
  uint64_t rows;    /* events written so far */
  void *buf;        /* one column of a batch's events */
  size_t bufcap;    /* room in buf, in events */
};

/* The file and memory types of column c. */
static void col_types(int c, hid_t *ftype, hid_t *mtype) {
  if (c == COL_REPLICATION) {
    *ftype = H5T_STD_U64LE;
    *mtype = H5T_NATIVE_UINT64;
  } else if (c == COL_KIND) {
    *ftype = H5T_STD_U32LE;
    *mtype = H5T_NATIVE_UINT32;
  } else {
    *ftype = H5T_STD_I32LE;
    *mtype = H5T_NATIVE_INT32;
  }
}

static int put_kinds(hid_t g, size_t nkinds, const char *const *names, const char *const *labels) {
  hsize_t k = nkinds;
  hid_t t = ddr_h5_string_type();
  if (t < 0) return -1;
  int rc = ddr_h5_put_scale(g, "kind_name", t, t, k, names, "event_kind",
                            "kinds of events, as the model names them") < 0 ||
                   ddr_h5_put_strings(g, "kind_label", 1, &k, labels,
                                      (const char *const[]){SC_EVENT_KIND},
                                      "what each kind of event is") < 0
               ? -1
               : 0;
  H5Tclose(t);
  return rc;
}

ddr_evtable *ddr_evtable_create(hid_t file, size_t nkinds, const char *const *names,
                                const char *const *labels, const ddr_calendar *cal) {
  ddr_evtable *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->nkinds = nkinds;
  t->step_days = cal->step_days;
  for (int c = 0; c < NCOLS; c++) t->col[c] = H5I_INVALID_HID;
  hid_t g = ddr_h5_group(file, "events");
  int ok = g >= 0 && put_kinds(g, nkinds, names, labels) == 0;
  hsize_t none = 0, chunk = TABLE_CHUNK;
  for (int c = 0; ok && c < NCOLS; c++) {
    hid_t ft, mt;
    col_types(c, &ft, &mt);
    t->col[c] = ddr_h5_dataset(g, col_name[c], ft, mt, 1, &none, &chunk, 0, NULL, col_desc[c]);
    ok = t->col[c] >= 0;
  }
  if (g >= 0 && H5Gclose(g) < 0) ok = 0;
  if (!ok) {
    ddr_evtable_close(t);
    return NULL;
  }
  return t;
}

int ddr_evtable_check(const ddr_evtable *t, const ddr_batch *b) {
  if (!b->event_off) return 0;
  if (b->event_off[0] != 0) return -1;
  for (uint64_t i = 0; i < b->count; i++)
    if (b->event_off[i + 1] < b->event_off[i]) return -1;
  for (uint64_t e = 0; e < b->event_off[b->count]; e++)
    if (b->events[e].kind >= t->nkinds) return -1;
  return 0;
}

/* First (last == 0) or last (last == 1) day of step s in days since the
 * start; a step too far past the horizon for int32 gets the largest day. */
static int32_t step_day(int32_t s, int last, int step_days) {
  int64_t d = ((int64_t)s + last) * step_days - last;
  return d > INT32_MAX ? INT32_MAX : d < INT32_MIN ? INT32_MIN : (int32_t)d;
}

/* Column c of the batch's events into t->buf. */
static void fill_column(ddr_evtable *t, const ddr_batch *b, int c) {
  uint64_t *u64 = t->buf;
  uint32_t *u32 = t->buf;
  int32_t *i32 = t->buf;
  for (uint64_t i = 0; i < b->count; i++)
    for (uint64_t e = b->event_off[i]; e < b->event_off[i + 1]; e++) {
      const ddr_event *ev = &b->events[e];
      switch (c) {
      case COL_REPLICATION:
        u64[e] = b->first + i;
        break;
      case COL_KIND:
        u32[e] = ev->kind;
        break;
      case COL_FIRST_STEP:
        i32[e] = ev->first;
        break;
      case COL_LAST_STEP:
        i32[e] = ev->last;
        break;
      case COL_FIRST_DAY:
        i32[e] = step_day(ev->first, 0, t->step_days);
        break;
      default:
        i32[e] = step_day(ev->last, 1, t->step_days);
        break;
      }
    }
}

int ddr_evtable_append(ddr_evtable *t, const ddr_batch *b) {
  uint64_t n = b->event_off ? b->event_off[b->count] : 0;
  if (n == 0) return 0;
  if (n > t->bufcap) {
    void *buf = realloc(t->buf, n * sizeof(uint64_t)); /* the widest column */
    if (!buf) return -1;
    t->buf = buf;
    t->bufcap = n;
  }
  for (int c = 0; c < NCOLS; c++) {
    hid_t ft, mt;
    col_types(c, &ft, &mt);
    fill_column(t, b, c);
    if (ddr_h5_set_rows(t->col[c], t->rows + n) < 0 ||
        ddr_h5_write_rows(t->col[c], mt, t->rows, n, t->buf) < 0)
      return -1;
  }
  t->rows += n;
  return 0;
}

/* Row i of the replication column. */
static int replication_at(const ddr_evtable *t, uint64_t i, uint64_t *out) {
  hsize_t start = i, one = 1;
  hid_t fsp = H5Dget_space(t->col[COL_REPLICATION]), msp = H5Screate_simple(1, &one, NULL);
  int rc =
      fsp >= 0 && msp >= 0 &&
              H5Sselect_hyperslab(fsp, H5S_SELECT_SET, &start, NULL, &one, NULL) >= 0 &&
              H5Dread(t->col[COL_REPLICATION], H5T_NATIVE_UINT64, msp, fsp, H5P_DEFAULT, out) >= 0
          ? 0
          : -1;
  if (msp >= 0) H5Sclose(msp);
  if (fsp >= 0) H5Sclose(fsp);
  return rc;
}

int ddr_evtable_cut(ddr_evtable *t, uint64_t n) {
  /* The table is in replication order: search for the first row at n. */
  uint64_t lo = 0, hi = t->rows, r;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (replication_at(t, mid, &r) < 0) return -1;
    if (r < n)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == t->rows) return 0;
  for (int c = 0; c < NCOLS; c++)
    if (ddr_h5_set_rows(t->col[c], lo) < 0) return -1;
  t->rows = lo;
  return 0;
}

int ddr_evtable_put_summary(const ddr_evtable *t, hid_t g, const ddr_results *res) {
  hsize_t k = t->nkinds;
  uint64_t *u = malloc((2 * k + 1) * sizeof *u);
  if (!u) return -1;
  for (size_t i = 0; i < k; i++) {
    u[i] = res->events[i].replications;
    u[k + i] = res->events[i].events;
  }
  const char *const sc[] = {SC_EVENT_KIND};
  int rc = ddr_h5_put(g, "event_replications", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &k, u, sc,
                      "replications with at least one event of each kind") < 0 ||
                   ddr_h5_put(g, "event_count", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &k, u + k, sc,
                              "events of each kind in all replications") < 0
               ? -1
               : 0;
  free(u);
  return rc;
}

int ddr_evtable_close(ddr_evtable *t) {
  if (!t) return 0;
  int rc = 0;
  for (int c = 0; c < NCOLS; c++)
    if (t->col[c] >= 0 && H5Dclose(t->col[c]) < 0) rc = -1;
  free(t->buf);
  free(t);
  return rc;
}
