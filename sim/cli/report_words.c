/* The words of the brief in its language: its phrases (English, then
 * French; a phrase missing from the table is shown in English), and the
 * summary's sentences about targets and queues, which `ddrsim summary` says
 * in English (cli_words.c) and the brief also says in French. Target
 * labels are the scenario's own and are quoted as written. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddrsim/calendar.h"
#include "report.h"

/* Phrases with %s (or %c, %d...) keep the same conversions, in the same
 * order. */
static const struct {
  const char *en, *fr;
} phrases[] = {
    {" compared with ", " comparé à "},
    {", ", ", "},
    {"Forecast brief: %s replications, seed %llu, ddrsim %s",
     "Note de prévision : %s réplications, graine %llu, ddrsim %s"},
    {"Forecast brief comparing %zu runs", "Note de prévision comparant %zu calculs"},
    {"Figure %d. %s", "Figure %d. %s"},
    {"not within the horizon", "pas dans l’horizon"},
    /* key table */
    {"Target", "Cible"},
    {"Probability met by the deadline [95% interval]",
     "Probabilité d’atteinte à l’échéance [intervalle à 95 %]"},
    {"Half the runs reach it by (P50)", "La moitié des réplications l’atteignent au (P50)"},
    {"80% of the runs by (P80)", "80 % des réplications au (P80)"},
    {"In words", "En mots"},
    {"%s\n(%s ≥ %s by %s)", "%s\n(%s ≥ %s au %s)"},
    {"The scenario sets no targets.", "Le scénario ne fixe aucune cible."},
    {"Probability: the share of the %s replications that meet the target by its deadline, with "
     "its 95%% interval. P50 and P80: the dates by which half and 80%% of the replications have "
     "reached it.",
     "Probabilité : part des %s réplications qui atteignent la cible à son échéance, avec son "
     "intervalle à 95 %%. P50 et P80 : dates auxquelles la moitié et 80 %% des réplications "
     "l’ont atteinte."},
    /* comparison */
    {"Comparison", "Comparaison"},
    {"never", "jamais"},
    {"%s → %s\n(%s days)", "%s → %s\n(%s jours)"},
    {"%s\n[%s to %s]", "%s\n[%s à %s]"},
    {"%s days\n[%s to %s]", "%s jours\n[%s à %s]"},
    {"not paired", "non apparié"},
    {"too few runs reach it in both", "trop peu de réplications l’atteignent dans les deux"},
    {"Target (run against A)", "Cible (calcul comparé à A)"},
    {"P(met): A → run", "P(atteinte) : A → calcul"},
    {"Difference [95% interval]", "Différence [intervalle à 95 %]"},
    {"P50: A → run", "P50 : A → calcul"},
    {"P80: A → run", "P80 : A → calcul"},
    {"Mean paired shift of the date reached [95% interval]",
     "Décalage apparié moyen de la date d’atteinte [intervalle à 95 %]"},
    {"Mean paired shift of the date reached", "Décalage apparié moyen de la date d’atteinte"},
    {"Notes", "Notes"},
    {"%s\n(%c: %s)", "%s\n(%c : %s)"},
    {"In %c the target %s is defined differently (%s ≥ %g by %s).",
     "Dans %c, la cible %s est définie autrement (%s ≥ %g au %s)."},
    {"Each run is compared with A (%s), the baseline. The runs pair: they share the seed (%llu), "
     "the number of replications (%llu) and the calendar, so replication i of each drew the same "
     "random numbers wherever the scenarios agree, and they are compared replication by "
     "replication (as ddrsim compare does).",
     "Chaque calcul est comparé à A (%s), la référence. Les calculs sont appariés : ils partagent "
     "la graine (%llu), le nombre de réplications (%llu) et le calendrier, si bien que la "
     "réplication i de chacun a tiré les mêmes nombres aléatoires partout où les scénarios "
     "concordent ; ils sont comparés réplication par réplication (comme ddrsim compare)."},
    {"These runs cannot be paired: %s and %s: %s. They are compared as independent samples, as "
     "ddrsim compare --unpaired does: the intervals carry the sampling noise of both runs, and "
     "nothing is said replication by replication. To pair them, run both scenarios with the same "
     "seed and number of replications.",
     "Ces calculs ne peuvent pas être appariés : %s et %s : %s. Ils sont comparés comme des "
     "échantillons indépendants, comme le fait ddrsim compare --unpaired : les intervalles "
     "portent le bruit d’échantillonnage des deux calculs, et rien n’est dit réplication par "
     "réplication. Pour les apparier, calculez les deux scénarios avec la même graine et le même "
     "nombre de réplications."},
    {"%s in each run: the median (line) and the range holding 80%% of the replications (band).",
     "%s dans chaque calcul : la médiane (ligne) et la plage contenant 80 %% des réplications "
     "(bande)."},
    {"No paired-difference chart: the runs cannot be paired.",
     "Pas de graphique de différence appariée : les calculs ne peuvent pas être appariés."},
    {"No paired-difference chart: it needs each replication's series, which only runs stored "
     "with --store full keep.",
     "Pas de graphique de différence appariée : il faut les séries de chaque réplication, que "
     "seuls les calculs enregistrés avec --store full conservent."},
    {"Paired difference of %s from A, replication by replication: the median and the ranges "
     "holding 80%% and 95%% of the replications.",
     "Différence appariée de %s par rapport à A, réplication par réplication : la médiane et les "
     "plages contenant 80 %% et 95 %% des réplications."},
    /* forecast */
    {"Forecast", "Prévision"},
    {"Forecast of %c: %s", "Prévision de %c : %s"},
    {"%s over time", "%s au fil du temps"},
    {"%s over time: the median (line) and the ranges holding 50%%, 80%% and 95%% of the "
     "replications, against the targets (dashed) and their deadlines (dotted).",
     "%s au fil du temps : la médiane (ligne) et les plages contenant 50 %%, 80 %% et 95 %% des "
     "réplications, face aux cibles (tirets) et à leurs échéances (pointillés)."},
    {"When each target is reached", "Quand chaque cible est atteinte"},
    {"%s: the share of the replications that have reached it by each date, with the P50 and P80 "
     "dates and the deadline.",
     "%s : part des réplications l’ayant atteinte à chaque date, avec les dates P50 et P80 et "
     "l’échéance."},
    {"Where people wait", "Où les gens attendent"},
    {"Each stage's queue and the people in it, and the utilisation of each site and training "
     "centre, over time (median and 80% of the replications).",
     "La file d’attente de chaque étape et les personnes qui s’y trouvent, et le taux "
     "d’occupation de chaque site et centre de formation, au fil du temps (médiane et 80 % des "
     "réplications)."},
    {"Redeployment", "Redéploiement"},
    {"For each region and the whole plan, the date by which its planned units have all deployed "
     "(P10 to P90, P50 marked) against the plan date, with the probability of being done on "
     "time.",
     "Pour chaque région et l’ensemble du plan, la date à laquelle toutes les unités prévues sont "
     "déployées (P10 à P90, P50 marquée) face à la date prévue, avec la probabilité d’être à "
     "temps."},
    /* provenance */
    {"Provenance", "Provenance"},
    {"Run", "Calcul"},
    {"File", "Fichier"},
    {"Scenario", "Scénario"},
    {"Scenario file", "Fichier du scénario"},
    {"Seed", "Graine"},
    {"Replications", "Réplications"},
    {"Stored", "Enregistré"},
    {"ddrsim", "ddrsim"},
    {"Run on", "Calculé le"},
    {"Host", "Machine"},
    {"every replication's series (--store full)",
     "les séries de chaque réplication (--store full)"},
    {"summaries (--store summary)", "les résumés (--store summary)"},
    {"Written on %s by ddrsim %s from these files; nothing was rerun. Each picture's caption "
     "names its scenario file, seed, number of replications, ddrsim version and run date.",
     "Écrit le %s par ddrsim %s à partir de ces fichiers, sans rien recalculer. La "
     "légende de chaque image donne son fichier de scénario, sa graine, son nombre de "
     "réplications, la version de ddrsim et la date du calcul."},
};

const char *rep_tr(plot_lang lang, const char *en) {
  if (lang == PLOT_EN) return en;
  for (size_t i = 0; i < sizeof phrases / sizeof *phrases; i++)
    if (strcmp(phrases[i].en, en) == 0) return phrases[i].fr;
  return en;
}

/* ---- French sentences ---- */

static void fr_date(int32_t day, char *buf, size_t size) {
  static const char *const months[] = {"janvier",   "février", "mars",     "avril",
                                       "mai",       "juin",    "juillet",  "août",
                                       "septembre", "octobre", "novembre", "décembre"};
  char iso[16];
  ddr_date_format(day, iso, sizeof iso);
  int y = atoi(iso), m = atoi(iso + 5), d = atoi(iso + 8);
  if (m < 1 || m > 12)
    snprintf(buf, size, "%s", iso);
  else
    snprintf(buf, size, "%d%s %s %d", d, d == 1 ? "er" : "", months[m - 1], y);
}

/* A percentage as the summary writes it, the French way: "0,7 %",
 * "moins de 0,1 %". */
static void fr_percent(double p, char *buf, size_t size) {
  char n[16];
  cli_percent_number(p, n, sizeof n);
  for (char *c = n; *c; c++)
    if (*c == '.') *c = ',';
  if (n[0] == '<')
    snprintf(buf, size, "moins de %s\u202f%%", n + 1);
  else if (n[0] == '>')
    snprintf(buf, size, "plus de %s\u202f%%", n + 1);
  else
    snprintf(buf, size, "%s\u202f%%", n);
}

static void fr_reach(const ddr_resfile *rf, const ddr_resfile_target *t, char *buf, size_t size) {
  char d50[48], d80[48], end[48], share[48];
  double p50 = t->s.day_q[cli_quantile_index(0.5)], p80 = t->s.day_q[cli_quantile_index(0.8)];
  fr_date(rf->cal.end, end, sizeof end);
  fr_percent((double)t->s.reached / (double)rf->replications, share, sizeof share);
  if (!isnan(p50)) fr_date(rf->cal.start + (int32_t)lround(p50), d50, sizeof d50);
  if (!isnan(p80)) fr_date(rf->cal.start + (int32_t)lround(p80), d80, sizeof d80);
  if (t->s.reached == 0)
    snprintf(buf, size,
             "aucune ne l’atteint dans l’horizon (au %s), si bien qu’aucune date ne peut être "
             "donnée",
             end);
  else if (isnan(p50))
    snprintf(buf, size,
             "seules %s des réplications l’atteignent dans l’horizon (au %s) : il n’y a pas de "
             "date P50 ni P80",
             share, end);
  else if (isnan(p80))
    snprintf(buf, size,
             "la moitié des réplications l’atteignent au %s (P50), mais seules %s l’atteignent "
             "dans l’horizon (au %s) : il n’y a pas de date P80",
             d50, share, end);
  else
    snprintf(buf, size,
             "la moitié des réplications l’atteignent au %s (P50) et 80\u202f%% au %s (P80)", d50,
             d80);
}

static void fr_target_sentence(const ddr_resfile *rf, const ddr_resfile_target *t, char *buf,
                               size_t size) {
  char deadline[48], p[48], lo[48], hi[48], reach[400];
  if (rf->replications == 0) {
    snprintf(buf, size, "Aucune réplication : rien ne peut être dit.");
    return;
  }
  fr_date(t->deadline, deadline, sizeof deadline);
  fr_percent(t->s.prob, p, sizeof p);
  fr_percent(t->s.lo, lo, sizeof lo);
  fr_percent(t->s.hi, hi, sizeof hi);
  fr_reach(rf, t, reach, sizeof reach);
  if (t->s.met == 0)
    snprintf(
        buf, size,
        "Aucune des %llu réplications n’atteint la cible « %s » au %s (intervalle à 95\u202f%% "
        "pour la probabilité : %s à %s) ; %s.",
        (unsigned long long)rf->replications, t->label, deadline, lo, hi, reach);
  else if (t->s.met == rf->replications)
    snprintf(buf, size,
             "Les %llu réplications atteignent toutes la cible « %s » au %s (intervalle à "
             "95\u202f%% pour la probabilité : %s à %s) ; %s.",
             (unsigned long long)rf->replications, t->label, deadline, lo, hi, reach);
  else
    snprintf(buf, size,
             "La probabilité que la cible « %s » soit atteinte au %s est de %s (intervalle à "
             "95\u202f%% : %s à %s) ; %s.",
             t->label, deadline, p, lo, hi, reach);
}

void rep_target_sentence(plot_lang lang, const ddr_resfile *rf, const ddr_resfile_target *t,
                         char *buf, size_t size) {
  if (lang == PLOT_FR)
    fr_target_sentence(rf, t, buf, size);
  else
    cli_target_sentence(rf, t, buf, size);
}

/* "la semaine du 12 avril 2021", "le 12 avril 2021" */
static void fr_when(const ddr_resfile *rf, int step, char *buf, size_t size) {
  char first[48], last[48];
  fr_date(ddr_calendar_step_first(&rf->cal, step), first, sizeof first);
  fr_date(ddr_calendar_step_last(&rf->cal, step), last, sizeof last);
  if (rf->cal.step_days == 1)
    snprintf(buf, size, "le %s", first);
  else if (rf->cal.step_days == 7)
    snprintf(buf, size, "la semaine du %s", first);
  else
    snprintf(buf, size, "du %s au %s", first, last);
}

void rep_stage_sentence(plot_lang lang, const ddr_resfile *rf, const cli_stage_peak *p, char *buf,
                        size_t size) {
  if (lang != PLOT_FR) {
    cli_stage_sentence(rf, p, buf, size);
    return;
  }
  char when[120], n[48], n90[48];
  const char *unit = plot_unit(lang, rf->metric_units[p->metric]);
  if (p->median > 0) {
    fr_when(rf, p->step, when, sizeof when);
    plot_number(lang, round(p->median), 0, n, sizeof n);
    plot_number(lang, round(p->p90_then), 0, n90, sizeof n90);
    snprintf(buf, size, "%s : file d’attente la plus longue de %s %s (médiane) %s (P90 alors : %s)",
             p->stage, n, strcmp(n, "1") == 0 && !strcmp(unit, "personnes") ? "personne" : unit,
             when, n90);
  } else if (p->p90_peak > 0) {
    fr_when(rf, p->p90_step, when, sizeof when);
    plot_number(lang, round(p->p90_peak), 0, n90, sizeof n90);
    snprintf(buf, size,
             "%s : pas de file d’attente dans la plupart des réplications (médiane nulle) ; dans "
             "1 réplication sur 10, elle atteint %s %s (P90) %s",
             p->stage, n90, unit, when);
  } else {
    snprintf(buf, size,
             "%s : pas de file d’attente dans au moins 9 réplications sur 10, à aucune date (P90 "
             "nul)",
             p->stage);
  }
}
