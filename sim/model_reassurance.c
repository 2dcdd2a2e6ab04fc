/* model_reassurance.c — the reassurance escalation model on the engine.
 *
 * One replication is the ceasefire's first horizon_days. State: the rung of
 * the escalation ladder (0-9), the violation regime, Russia's perceived
 * deterrence (force size x response time x mandate x cohesion x credibility,
 * and the US backstop), the force by contributor, an engagement when one is
 * under way, and the measures. docs/model.md states every formula.
 *
 * Events and their payloads:
 *   EV_START        t = 0: the story begins
 *   EV_REGIME       the violation regime switches (spell ends)
 *   EV_DECISION     a Russian decision epoch
 *   EV_ARRIVE       a contingent deploys; i0 = contributor
 *   EV_FORCE_JOINS  force battalions reach an engagement; i0 = battalions,
 *                   i1 = 1 for contingents whose parliaments just consented,
 *                   x = the engagement's number (void once it has ended)
 *   EV_DEADLINE     a probe's fait accompli time comes
 *   EV_LOSS         a battalion is lost in the engagement; i0 = battle_side
 *   EV_US_ENGAGES   US air power engages; x = the engagement's number
 *
 * Streams (common random numbers: each kind of randomness has its own, so
 * a parameter that does not touch a kind leaves its draws as they were):
 *   0 violations (counts), 1 decisions, 2 combat, 3 backstop (engage or
 *   not), 4 base strikes, 5 harassment, 6 regimes (switch times), 7 US war,
 *   8 interposition. Counts come from a rejection sampler that uses a
 *   varying number of draws, so they have a stream of their own: changing a
 *   count's mean moves nothing else.
 */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "reassurance_sim.h"

/* ---- the story channel (reassure trace) -------------------------------- */

void rs_say(const state *s, const char *fmt, ...)
{
    if (s->trace == NULL)
        return;
    char line[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->trace->line(s->trace->ctx, des_now(s->e), s->rung, line);
}

/* ---- the ladder ----------------------------------------------------------- */

void rs_set_rung(state *s)
{
    int floor_rung = s->regime == REGIME_HIGH ? 2 : 1;
    s->rung = s->tension > floor_rung ? s->tension : floor_rung;
    if (s->rung > s->max_rung)
        s->max_rung = s->rung;
    if (s->rung >= 4 && isnan(s->first_breach))
        s->first_breach = des_now(s->e);
}

void rs_climb(state *s, int rung)
{
    if (rung > s->tension)
        s->tension = rung;
    rs_set_rung(s);
}

void rs_war(state *s, const char *why)
{
    rs_climb(s, 9);
    rs_say(s, "NATO-Russia war: %s", why);
    des_stop(s->e);
}

/* ---- violations ---------------------------------------------------------- */

static double spell_rate(const state *s, int regime)
{
    const reassurance_params *p = s->p;
    return regime == REGIME_HIGH ? p->recommitment_rate_per_day * (1.0 + rs_deterrence(s))
                                 : p->relapse_rate_per_day;
}

/* Violations of a whole spell: the sum of its daily negative-binomial
 * counts is negative-binomial with size (days x daily size). */
static void close_spell(state *s)
{
    const reassurance_params *p = s->p;
    double days = des_now(s->e) - s->spell_start;
    if (days > 0) {
        double mu = s->regime == REGIME_HIGH ? p->high_mean_per_day : p->low_mean_per_day;
        double r = s->regime == REGIME_HIGH ? p->high_dispersion : p->low_dispersion;
        if (mu > 0)
            s->violations += (double)gsl_ran_negative_binomial(s->rng[S_VIOLATIONS],
                                                               r / (r + mu), r * days);
        if (s->regime == REGIME_HIGH)
            s->high_days += days;
    }
    s->spell_start = des_now(s->e);
}

/* The current spell's end. Its rate is fixed at the spell's start. */
static void schedule_regime(state *s)
{
    double rate = spell_rate(s, s->regime);
    double u = gsl_rng_uniform_pos(s->rng[S_REGIMES]);
    s->regime_event = rate > 0 ? des_schedule_in(s->e, -log(u) / rate, EV_REGIME, NONE) : 0;
}

/* Fighting ends a recommitment: back to the high regime. */
void rs_relapse(state *s)
{
    if (s->regime == REGIME_HIGH)
        return;
    close_spell(s);
    des_cancel(s->e, s->regime_event);
    s->regime = REGIME_HIGH;
    schedule_regime(s);
    rs_set_rung(s);
}

static void on_regime(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    (void)ev;
    state *s = st;
    close_spell(s);
    s->regime = s->regime == REGIME_HIGH ? REGIME_LOW : REGIME_HIGH;
    schedule_regime(s);
    rs_set_rung(s);
    if (s->regime == REGIME_LOW)
        rs_say(s, "recommitment to the ceasefire: violations fall to about %.0f a day",
            s->p->low_mean_per_day);
    else
        rs_say(s, "violations relapse to the high regime (about %.0f a day)",
            s->p->high_mean_per_day);
}

/* ---- Russian decisions ----------------------------------------------------- */

static void harass(state *s)
{
    const reassurance_params *p = s->p;
    rs_climb(s, 3);
    double troops = rs_present_troops(s);
    double u = gsl_rng_uniform(s->rng[S_HARASSMENT]);
    if (troops > 0 && !s->collapsed && u < p->harass_casualty_probability * rs_exposure(s)) {
        rs_say(s, "drone and sabotage attacks on the force: %lld casualties",
            (long long)p->harass_casualties);
        rs_force_casualties(s, (double)p->harass_casualties, 0);
        rs_climb(s, 5);
    } else if (troops > 0 && !s->collapsed) {
        rs_say(s, "harassment: drones, jamming and sabotage against monitors and the force");
    } else {
        rs_say(s, "harassment: drones, jamming and sabotage along the line");
    }
}

/* Each option has its own uniform, drawn every time, so that under common
 * random numbers higher deterrence can only remove escalations at the same
 * epoch, never move them. */
static void on_decision(des_engine *e, void *st, const des_event *ev)
{
    (void)ev;
    state *s = st;
    const reassurance_params *p = s->p;
    gsl_rng *r = s->rng[S_DECISIONS];
    double wait = -log(gsl_rng_uniform_pos(r)) / p->decision_rate_per_day;
    double u_off = gsl_rng_uniform(r), u_probe = gsl_rng_uniform(r);
    double u_harass = gsl_rng_uniform(r), u_calm = gsl_rng_uniform(r);
    des_schedule_in(e, wait, EV_DECISION, NONE);
    if (s->fight != FIGHT_NONE)
        return;
    double d = rs_deterrence(s);
    if (u_off < p->offensive_probability * (1 - d) && des_now(e) >= s->offensive_ready)
        rs_offensive(s);
    else if (u_probe < p->probe_probability * (1 - d))
        rs_probe(s);
    else if (u_harass < p->harass_probability * (1 - d))
        harass(s);
    else if (u_calm < p->deescalate_probability && s->tension > 0) {
        int before = s->rung;
        s->tension = s->tension > 3 ? s->tension - 1 : 0;
        rs_set_rung(s);
        if (s->rung < before)
            rs_say(s, "tension eases: rung %d", s->rung);
    }
}

/* ---- a replication ---------------------------------------------------------- */

static void on_start(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    (void)ev;
    state *s = st;
    const reassurance_params *p = s->p;
    if (p->troops > 0)
        rs_say(s, "ceasefire; %lld troops, based %.0f km from the line (%s), response %.1f days, "
            "mandate %s, US backstop %s; perceived deterrence %.2f",
            (long long)p->troops, p->basing_distance_km,
            p->basing_distance_km > p->border_distance_km ? "on NATO territory" : "in Ukraine",
            rs_response_days(s),
            p->mandate == MANDATE_DETERRENCE ? "deterrence"
            : p->mandate == MANDATE_MONITORING ? "monitoring" : "peacekeeping",
            p->us_enabled ? "on" : "off", rs_deterrence(s));
    else
        rs_say(s, "ceasefire with no reassurance force; US backstop %s",
            p->us_enabled ? "on (but nothing to back)" : "off");
}

static const des_handler handlers[N_EVENTS] = {
    on_start, on_regime, on_decision, rs_on_arrive, rs_on_force_joins, rs_on_deadline,
    rs_on_loss, rs_on_us_engages,
};

static void start(void *st, const void *params, des_engine *e, gsl_rng *const *streams)
{
    state *s = st;
    const reassurance_params *p = params;
    *s = (state){.p = p, .rng = streams, .e = e, .regime = p->initial_regime,
                 .credibility = 1.0, .first_breach = NAN,
                 .worst_attacker_rate = NAN, .worst_defender_rate = NAN};
    rs_set_rung(s);
    s->max_rung = s->rung;
    for (int i = 0; i < p->n_contributors && p->troops > 0; i++) {
        if (p->contributors[i].prior_approval)
            des_schedule(e, p->approval_delay_days, EV_ARRIVE, (des_payload){.i0 = i});
        else
            rs_arrive(s, i);
    }
    des_schedule(e, 0.0, EV_START, NONE);
    schedule_regime(s);
    des_schedule(e, -log(gsl_rng_uniform_pos(s->rng[S_DECISIONS])) / p->decision_rate_per_day,
                 EV_DECISION, NONE);
}

static void narrate(void *st, const model_trace *t)
{
    ((state *)st)->trace = t;
}

static int32_t finish(void *st, const des_engine *e, double *v)
{
    (void)e;
    state *s = st;
    if (s->fight != FIGHT_NONE)
        rs_record_rates(s);
    close_spell(s);
    v[M_MAX_RUNG] = s->max_rung;
    v[M_FIRST_BREACH] = s->first_breach;
    v[M_FORCE_CAS] = s->cas_force;
    v[M_UKRAINE_CAS] = s->cas_ukraine;
    v[M_RUSSIA_CAS] = s->cas_russia;
    v[M_TERRITORY] = s->territory;
    v[M_WITHDRAWN] = s->withdrawn;
    v[M_US_ENGAGED] = s->us_ever_engaged;
    v[M_PROBES] = s->probes;
    v[M_PROBES_REPELLED] = s->probes_repelled;
    v[M_VIOLATIONS] = s->violations;
    v[M_HIGH_DAYS] = s->high_days;
    v[M_ATTACKER_LOSS_RATE] = s->worst_attacker_rate;
    v[M_DEFENDER_LOSS_RATE] = s->worst_defender_rate;
    if (s->max_rung >= 9)
        return O_WAR;
    if (s->breakthrough)
        return O_BREAKTHROUGH;
    if (s->offensive)
        return O_REPELLED;
    if (s->collapsed)
        return O_COLLAPSE;
    return s->max_rung >= 3 ? O_CONTESTED : O_QUIET;
}

static double horizon(const void *params)
{
    return ((const reassurance_params *)params)->horizon_days;
}

static void hist_range(const void *params, int m, double *lo, double *hi)
{
    if (m == M_MAX_RUNG) {
        *lo = -0.5;
        *hi = 9.5;
    } else {
        *lo = 0;
        *hi = horizon(params);
    }
}

static const char *const stream_names[N_STREAMS] = {
    "violations", "decisions", "combat", "backstop", "base_strikes", "harassment",
    "regimes", "us_war", "interposition"};
static const char *const outcomes[N_OUTCOMES] = {"held_quiet", "held_contested",
                                                 "offensive_repelled", "breakthrough",
                                                 "coalition_collapse", "nato_russia_war"};
static const measure_def measures[N_MEASURES] = {
    {"max_rung", MEASURE_INT, "rung", "highest rung of the ladder reached", 10},
    {"first_breach_day", MEASURE_REAL, "days", "day of the first rung >= 4 (NaN: none)", 73},
    {"force_casualties", MEASURE_INT, "troops", "reassurance force casualties", 0},
    {"ukraine_casualties", MEASURE_INT, "troops", "Ukrainian casualties in engagements", 0},
    {"russia_casualties", MEASURE_INT, "troops", "Russian casualties in engagements", 0},
    {"territory_lost_km2", MEASURE_REAL, "km2", "territory Russia takes", 0},
    {"contributors_withdrawn", MEASURE_INT, "", "contributors that withdrew", 0},
    {"us_engaged", MEASURE_INT, "", "1 if US air power engaged at any time", 0},
    {"probes", MEASURE_INT, "", "localised land grabs attempted", 0},
    {"probes_repelled", MEASURE_INT, "", "probes repelled or halted", 0},
    {"violations", MEASURE_INT, "", "ceasefire violations over the replication", 0},
    {"high_regime_days", MEASURE_REAL, "days", "days spent in the high-violation regime", 0},
    {"attacker_loss_per_day", MEASURE_REAL, "1/day",
     "highest attackers' daily loss fraction over the offensives (NaN: none)", 0},
    {"defender_loss_per_day", MEASURE_REAL, "1/day",
     "highest defenders' daily loss fraction over the offensives (NaN: none)", 0},
};

static const summary_def summaries[] = {
    {"p_held_quiet", SUMMARY_P_OUTCOME, O_QUIET, 0},
    {"p_held_contested", SUMMARY_P_OUTCOME, O_CONTESTED, 0},
    {"p_offensive_repelled", SUMMARY_P_OUTCOME, O_REPELLED, 0},
    {"p_breakthrough", SUMMARY_P_OUTCOME, O_BREAKTHROUGH, 0},
    {"p_coalition_collapse", SUMMARY_P_OUTCOME, O_COLLAPSE, 0},
    {"p_nato_russia_war", SUMMARY_P_OUTCOME, O_WAR, 0},
    {"p_rung_ge_4", SUMMARY_P_GE, M_MAX_RUNG, 4},
    {"p_rung_ge_7", SUMMARY_P_GE, M_MAX_RUNG, 7},
    {"p_rung_ge_9", SUMMARY_P_GE, M_MAX_RUNG, 9},
    {"mean_max_rung", SUMMARY_MEAN, M_MAX_RUNG, 0},
    {"mean_first_breach_day", SUMMARY_MEAN, M_FIRST_BREACH, 0},
    {"mean_force_casualties", SUMMARY_MEAN, M_FORCE_CAS, 0},
    {"mean_ukraine_casualties", SUMMARY_MEAN, M_UKRAINE_CAS, 0},
    {"mean_russia_casualties", SUMMARY_MEAN, M_RUSSIA_CAS, 0},
    {"mean_territory_lost_km2", SUMMARY_MEAN, M_TERRITORY, 0},
    {"mean_contributors_withdrawn", SUMMARY_MEAN, M_WITHDRAWN, 0},
    {"mean_us_engaged", SUMMARY_MEAN, M_US_ENGAGED, 0},
    {"mean_probes", SUMMARY_MEAN, M_PROBES, 0},
    {"mean_probes_repelled", SUMMARY_MEAN, M_PROBES_REPELLED, 0},
    {"mean_violations", SUMMARY_MEAN, M_VIOLATIONS, 0},
    {"mean_high_regime_days", SUMMARY_MEAN, M_HIGH_DAYS, 0},
    {"mean_attacker_loss_per_day", SUMMARY_MEAN, M_ATTACKER_LOSS_RATE, 0},
    {"mean_defender_loss_per_day", SUMMARY_MEAN, M_DEFENDER_LOSS_RATE, 0},
};

const model_def model_reassurance = {
    .name = "reassurance",
    .description = "reassurance force backing a ceasefire: escalation ladder, Russian "
                   "decisions, engagements, coalition politics",
    .keys = reassurance_keys,
    .n_keys = REASSURANCE_N_KEYS,
    .params_size = sizeof(reassurance_params),
    .check = reassurance_check,
    .n_streams = N_STREAMS,
    .stream_names = stream_names,
    .outcomes = outcomes,
    .n_outcomes = N_OUTCOMES,
    .measures = measures,
    .n_measures = N_MEASURES,
    .summaries = summaries,
    .n_summaries = sizeof summaries / sizeof summaries[0],
    .hist_range = hist_range,
    .state_size = sizeof(state),
    .handlers = handlers,
    .n_event_types = N_EVENTS,
    .horizon = horizon,
    .start = start,
    .finish = finish,
    .describe = NULL,
    .narrate = narrate,
};
