/* The words, numbers and dates of the pictures in the reader's language.
 * Every phrase a picture shows is in the one table below, English then
 * French; a phrase missing from it is shown in English. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/calendar.h"
#include "plot.h"

/* Phrases with %s keep the same number of %s, in the same order. */
static const struct {
  const char *en, *fr;
} phrases[] = {
    /* units of metrics */
    {"people", "personnes"},
    {"weapons", "armes"},
    {"percent", "pour cent"},
    {"courses", "cours"},
    {"units", "unités"},
    {"shocks", "chocs"},
    /* captions and targets */
    {"Scenario %s, seed %s, %s replications, ddrsim %s, run %s",
     "Scénario %s, graine %s, %s réplications, ddrsim %s, calculé le %s"},
    {"P(≥%s by %s)", "P(≥%s au %s)"},
    {"target %s", "cible %s"},
    /* fan chart */
    {"95% of replications", "95 % des réplications"},
    {"80%", "80 %"},
    {"50%", "50 %"},
    {"median", "médiane"},
    /* dates */
    {"%s: when is %s ≥ %s reached?", "%s : quand %s atteint-il %s ?"},
    {"Share of replications that reached it", "Part des réplications l’ayant atteinte"},
    {"reached by this date", "atteinte à cette date"},
    {"P50: %s", "P50 : %s"},
    {"P80: %s", "P80 : %s"},
    {"P50: not within the horizon", "P50 : pas dans l’horizon"},
    {"P80: not within the horizon", "P80 : pas dans l’horizon"},
    {"Not reached within the horizon in %s of replications",
     "Non atteinte dans l’horizon dans %s des réplications"},
    {"deadline %s", "échéance %s"},
    /* comparison */
    {"%s: median and 80%% of replications", "%s : médiane et 80 %% des réplications"},
    {"%s of each run:", "%s de chaque calcul :"},
    {"Paired difference %s − %s: %s", "Différence appariée %s − %s : %s"},
    {"Paired differences from %s: %s", "Différences appariées avec %s : %s"},
    {"difference (%s)", "différence (%s)"},
    {"%s − %s", "%s − %s"},
    {"no difference", "aucune différence"},
    /* bottlenecks */
    {"%s: where people wait", "%s : où les gens attendent"},
    {"Longest median queue: %s, up to %s around %s",
     "File médiane la plus longue : %s, jusqu’à %s vers %s"},
    {"No stage has a queue in the median replication",
     "Aucune étape n’a de file d’attente dans la réplication médiane"},
    {"%s: people (median and 80%%)", "%s : personnes (médiane et 80 %%)"},
    {"%s: utilisation of each place (median)", "%s : taux d’occupation de chaque lieu (médiane)"},
    {"%s: utilisation (median and 80%%)", "%s : taux d’occupation (médiane et 80 %%)"},
    {"waiting", "en attente"},
    {"in the stage", "dans l’étape"},
    {"in training", "en formation"},
    {"no capacity limit", "capacité illimitée"},
    /* redeployment */
    {"%s: when is each region's redeployment done?",
     "%s : quand chaque région est-elle redéployée ?"},
    {"%s (%s units)", "%s (%s unités)"},
    {"%s (1 unit)", "%s (1 unité)"},
    {"Whole plan", "Ensemble du plan"},
    {"P10–P90 of replications", "P10–P90 des réplications"},
    {"P50", "P50"},
    {"plan date", "date prévue"},
    {"P(on time) = %s", "P(à temps) = %s"},
    {"beyond the horizon", "au-delà de l’horizon"},
};

const char *plot_tr(plot_lang lang, const char *en) {
  if (lang == PLOT_EN) return en;
  for (size_t i = 0; i < sizeof phrases / sizeof *phrases; i++)
    if (strcmp(phrases[i].en, en) == 0) return phrases[i].fr;
  return en;
}

const char *plot_unit(plot_lang lang, const char *unit) {
  return plot_tr(lang, unit);
}

void plot_number(plot_lang lang, double x, int decimals, char *buf, size_t size) {
  const char *group = lang == PLOT_FR ? "\u202f" : ",", *point = lang == PLOT_FR ? "," : ".";
  char digits[64];
  snprintf(digits, sizeof digits, "%.*f", decimals, fabs(x));
  int negative = x < 0 && strspn(digits, "0.") != strlen(digits); /* no "-0" */
  const char *dot = strchr(digits, '.');
  size_t n = dot ? (size_t)(dot - digits) : strlen(digits), k = 0;
  char out[128];
  if (negative) k += (size_t)snprintf(out + k, sizeof out - k, "−");
  for (size_t i = 0; i < n; i++) {
    out[k++] = digits[i];
    if ((n - i - 1) % 3 == 0 && i + 1 < n)
      k += (size_t)snprintf(out + k, sizeof out - k, "%s", group);
  }
  out[k] = '\0';
  snprintf(buf, size, "%s%s%s", out, dot ? point : "", dot ? dot + 1 : "");
}

void plot_signed(plot_lang lang, double x, int decimals, char *buf, size_t size) {
  char n[128];
  plot_number(lang, x, decimals, n, sizeof n);
  snprintf(buf, size, "%s%s", x > 0 && strspn(n, "0.,") != strlen(n) ? "+" : "", n);
}

void plot_prob(plot_lang lang, double p, double lo, double hi, char *buf, size_t size) {
  int dec = p < 0.05 || p > 0.95 ? 3 : 2;
  char a[32], b[32], c[32];
  plot_number(lang, p, dec, a, sizeof a);
  plot_number(lang, lo, dec, b, sizeof b);
  plot_number(lang, hi, dec, c, sizeof c);
  snprintf(buf, size, "%s [%s–%s]", a, b, c);
}

const char *plot_month(plot_lang lang, int month) {
  static const char *const en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static const char *const fr[] = {"janv.", "févr.", "mars",  "avr.", "mai",  "juin",
                                   "juil.", "août",  "sept.", "oct.", "nov.", "déc."};
  return (lang == PLOT_FR ? fr : en)[(month + 11) % 12];
}

void plot_date(plot_lang lang, int32_t day, char *buf, size_t size) {
  char iso[16];
  ddr_date_format(day, iso, sizeof iso);
  int m = atoi(iso + 5), d = atoi(iso + 8);
  const char *month = plot_month(lang, m);
  if (lang == PLOT_FR)
    snprintf(buf, size, "%d%s %s %.4s", d, d == 1 ? "er" : "", month, iso);
  else
    snprintf(buf, size, "%d %s %.4s", d, month, iso);
}

void plot_target_phrase(plot_lang lang, const ddr_resfile_target *t, char *buf, size_t size) {
  char thr[64], when[64];
  plot_number(lang, t->threshold, t->threshold == floor(t->threshold) ? 0 : 2, thr, sizeof thr);
  plot_date(lang, t->deadline, when, sizeof when);
  snprintf(buf, size, plot_tr(lang, "P(≥%s by %s)"), thr, when);
}
