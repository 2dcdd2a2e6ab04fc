/* model_reassurance.c — the reassurance escalation model on the engine.
 *
 * One replication is the ceasefire's first horizon_days. State: the rung of
 * the escalation ladder (0-9) and the states it climbed from, the violation
 * regime, Russia's belief in the force's resolve, the force by contributor,
 * an engagement when one is under way, and the measures. Russia decides at
 * the epochs of a Weibull process whose intensity declines with time, on
 * the expected outcome of each option (reassurance_choice.c).
 * docs/model.md states every formula.
 *
 * Events and their payloads:
 *   EV_START        t = 0: the story begins
 *   EV_REGIME       the violation regime switches (spell ends)
 *   EV_DECISION     a Russian decision epoch (Weibull: each schedules the next)
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
 *   not), 4 base strikes, 5 harassment, 6 regimes (switch times), 7
 *   escalation (war in combat), 8 interposition, 9 probe clock (time to a
 *   fait accompli). Counts come from a rejection sampler that uses a
 *   varying number of draws, so they have a stream of their own: changing a
 *   count's mean moves nothing else.
 */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "reassurance_sim.h"
#include "rng.h"

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
    s->trace->line(s->trace->ctx, des_now(s->e), (int)s->rung, line);
}

/* ---- the ladder ----------------------------------------------------------- */

void rs_set_rung(state *s)
{
    rung floor_rung = s->regime == REGIME_HIGH ? RUNG_FLOOR_HIGH : RUNG_FLOOR_LOW;
    s->rung = s->tension > floor_rung ? s->tension : floor_rung;
    if (s->rung > s->max_rung)
        s->max_rung = s->rung;
    if (s->rung >= RUNG_LAND_GRAB && isnan(s->first_breach))
        s->first_breach = des_now(s->e);
}

/* Climbs to rung `to` if higher, remembering the state it left, so that
 * de-escalation returns only to states that happened. */
void rs_climb(state *s, rung to)
{
    if (to > s->tension) {
        if (s->depth == MAX_LADDER) { /* forget the oldest */
            memmove(s->ladder, s->ladder + 1, (MAX_LADDER - 1) * sizeof s->ladder[0]);
            s->depth--;
            if (s->fight_depth > 0)
                s->fight_depth--;
        }
        s->ladder[s->depth++] = s->tension;
        s->tension = to;
    }
    rs_set_rung(s);
}

/* Back down the ladder to the state it stood in `depth` climbs ago. */
void rs_step_down(state *s, int depth)
{
    if (depth < s->depth) {
        s->tension = s->ladder[depth];
        s->depth = depth;
    }
    rs_set_rung(s);
}

void rs_war(state *s, const char *why)
{
    rs_climb(s, RUNG_WAR);
    rs_say(s, "NATO-Russia war: %s", why);
    des_stop(s->e);
}

/* ---- violations ---------------------------------------------------------- */

static double spell_rate(const state *s, int regime)
{
    const reassurance_params *p = s->p;
    if (regime == REGIME_LOW)
        return p->relapse_rate_per_day;
    /* v1 hastened recommitment with its perceived deterrence; v2 does not. */
    return p->recommitment_rate_per_day *
           (p->deterrence == DETER_V1 ? 1.0 + rs_v1_deterrence(s) : 1.0);
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
    double e = rng_exponential(s->rng[S_REGIMES], 1.0);
    s->regime_event = rate > 0 ? des_schedule_in(s->e, e / rate, EV_REGIME, NONE) : 0;
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
    rs_climb(s, RUNG_HARASSMENT);
    double troops = rs_present_troops(s);
    double u = gsl_rng_uniform(s->rng[S_HARASSMENT]);
    if (troops > 0 && !s->collapsed && u < p->harass_casualty_probability * rs_exposure(s)) {
        rs_say(s, "drone and sabotage attacks on the force: %lld casualties",
            (long long)p->harass_casualties);
        rs_force_casualties(s, (double)p->harass_casualties, 0);
        rs_climb(s, RUNG_FORCE_CASUALTIES);
    } else if (troops > 0 && !s->collapsed) {
        rs_say(s, "harassment: drones, jamming and sabotage against monitors and the force");
    } else {
        rs_say(s, "harassment: drones, jamming and sabotage along the line");
    }
}

/* The next epoch after t of a Weibull process with cumulative hazard
 * (t / scale)^shape: exact, by inverting the hazard at Lambda(t) + E. */
static double next_epoch(const reassurance_params *p, double t, gsl_rng *r)
{
    double e = rng_exponential(r, 1.0);
    return p->decision_scale_days *
           pow(pow(t / p->decision_scale_days, p->decision_shape) + e, 1.0 / p->decision_shape);
}

/* Each option has its own uniform, drawn every time, so that under common
 * random numbers a lower go-ahead can only remove escalations at the same
 * epoch, never move them. The go-ahead is computed only when the intent's
 * uniform could pass (it cannot exceed 1). */
static void on_decision(des_engine *e, void *st, const des_event *ev)
{
    (void)ev;
    state *s = st;
    const reassurance_params *p = s->p;
    gsl_rng *r = s->rng[S_DECISIONS];
    double next = next_epoch(p, des_now(e), r);
    double u_off = gsl_rng_uniform(r), u_probe = gsl_rng_uniform(r);
    double u_harass = gsl_rng_uniform(r), u_calm = gsl_rng_uniform(r);
    des_schedule(e, next, EV_DECISION, NONE);
    if (s->fight != FIGHT_NONE)
        return;
    if (u_off < p->offensive_intent && des_now(e) >= s->offensive_ready &&
        u_off < p->offensive_intent * rs_go_ahead(s, ATTACK_OFFENSIVE))
        rs_offensive(s);
    else if (u_probe < p->probe_intent &&
             u_probe < p->probe_intent * rs_go_ahead(s, ATTACK_PROBE))
        rs_probe(s);
    else if (u_harass < p->harass_intent *
                            (p->deterrence == DETER_V1 ? 1.0 - rs_v1_deterrence(s) : 1.0))
        harass(s);
    else if (u_calm < p->deescalate_probability && s->depth > 0) {
        rung before = s->rung;
        rs_step_down(s, s->depth - 1);
        if (s->rung < before)
            rs_say(s, "tension eases: rung %d", (int)s->rung);
    }
}

/* ---- a replication ---------------------------------------------------------- */

static void on_start(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    (void)ev;
    state *s = st;
    const reassurance_params *p = s->p;
    if (p->troops > 0) {
        const outlook_entry *o = rs_outlook(s, ATTACK_OFFENSIVE);
        rs_say(s, "ceasefire; %lld troops, based %.0f km from the line (%s), response %.1f days, "
            "mandate %s, US backstop %s; Russia reckons an offensive succeeds with chance %.2f "
            "if the force is sent, %.2f if not, and believes it will be sent with chance %.2f",
            (long long)p->troops, p->basing_distance_km,
            p->basing_distance_km > p->border_distance_km ? "on NATO territory" : "in Ukraine",
            rs_response_days(s),
            p->mandate == MANDATE_DETERRENCE ? "deterrence"
            : p->mandate == MANDATE_MONITORING ? "monitoring" : "peacekeeping",
            p->us_enabled ? "on" : "off", o->ps_force, s->memo.ps_none[ATTACK_OFFENSIVE],
            rs_force_fights(s) && o->n1 + o->n2 > 0 ? s->resolve : 0.0);
    } else {
        rs_say(s, "ceasefire with no reassurance force; US backstop %s; Russia reckons an "
            "offensive succeeds with chance %.2f", p->us_enabled ? "on (but nothing to back)" : "off",
            rs_outlook(s, ATTACK_OFFENSIVE)->ps_force);
    }
}

static const des_handler handlers[N_EVENTS] = {
    on_start, on_regime, on_decision, rs_on_arrive, rs_on_force_joins, rs_on_deadline,
    rs_on_loss, rs_on_us_engages,
};

static void start(void *st, const void *params, des_engine *e, gsl_rng *const *streams)
{
    state *s = st;
    const reassurance_params *p = params;
    /* Everything but the outlook cache, which outlives the replication. */
    memset(s, 0, offsetof(state, memo));
    s->p = p;
    s->rng = streams;
    s->e = e;
    s->regime = p->initial_regime;
    s->credibility = 1.0;
    s->resolve = p->resolve_prior;
    s->first_breach = NAN;
    s->worst_attacker_rate = NAN;
    s->worst_defender_rate = NAN;
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
    des_schedule(e, next_epoch(p, 0.0, s->rng[S_DECISIONS]), EV_DECISION, NONE);
}

static void narrate(void *st, const model_trace *t)
{
    ((state *)st)->trace = t;
}

static int32_t finish(void *st, const des_engine *e, double *v)
{
    (void)e;
    state *s = st;
    if (s->fight != FIGHT_NONE) {
        rs_record_rates(s);
        if (s->fight == FIGHT_OFFENSIVE)
            rs_say(s, "the horizon comes with the offensive still under way (%lld of %lld Russian "
                   "battalions left): it counts as repelled", (long long)s->bt.x,
                   (long long)s->x0);
        else
            rs_say(s, "the horizon comes with the probe still under way");
    }
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
    v[M_OFFENSIVE] = s->offensive;
    v[M_OFFENSIVE_SUCCEEDED] = s->offensive ? (double)s->breakthrough : NAN;
    v[M_COLLAPSED] = s->collapsed;
    v[M_WAR] = s->max_rung >= RUNG_WAR;
    if (s->max_rung >= RUNG_WAR)
        return O_WAR;
    if (s->breakthrough)
        return O_BREAKTHROUGH;
    if (s->offensive)
        return O_REPELLED;
    if (s->collapsed)
        return O_COLLAPSE;
    return s->max_rung >= RUNG_HARASSMENT ? O_CONTESTED : O_QUIET;
}

static double horizon(const void *params)
{
    return ((const reassurance_params *)params)->horizon_days;
}

static void hist_range(const void *params, int m, double *lo, double *hi)
{
    if (m == M_MAX_RUNG) {
        *lo = RUNG_STABLE - 0.5;
        *hi = RUNG_WAR + 0.5;
    } else if (m == M_FORCE_CAS) {
        /* Bins of w whole troops centred on multiples of w, so that no
         * casualties is a bin of its own: quantiles to within w / 2. */
        const reassurance_params *p = params;
        double w = ceil(1.2 * (double)p->troops / 1000.0);
        if (w < 1)
            w = 1;
        *lo = -w / 2;
        *hi = *lo + 1000 * w;
    } else {
        *lo = 0;
        *hi = horizon(params);
    }
}

static const char *const stream_names[N_STREAMS] = {
    "violations", "decisions", "combat", "backstop", "base_strikes", "harassment",
    "regimes", "escalation", "interposition", "probe_clock"};
static const char *const outcomes[N_OUTCOMES] = {"held_quiet", "held_contested",
                                                 "offensive_repelled", "breakthrough",
                                                 "coalition_collapse", "nato_russia_war"};
static const measure_def measures[N_MEASURES] = {
    {"max_rung", MEASURE_INT, "rung", "highest rung of the ladder reached", RUNG_WAR + 1},
    {"first_breach_day", MEASURE_REAL, "days", "day of the first rung >= 4 (NaN: none)", 73},
    {"force_casualties", MEASURE_INT, "troops", "reassurance force casualties", 1000},
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
    {"offensive_attempted", MEASURE_INT, "", "1 if Russia launched a large offensive", 0},
    {"offensive_succeeded", MEASURE_REAL, "",
     "1 if the offensive broke through, 0 if not (NaN: no offensive)", 0},
    {"coalition_collapsed", MEASURE_INT, "", "1 if the coalition collapsed at any time", 0},
    {"nato_russia_war", MEASURE_INT, "", "1 if the replication ended in a NATO-Russia war", 0},
};

static const summary_def summaries[] = {
    {"p_held_quiet", SUMMARY_P_OUTCOME, O_QUIET, 0},
    {"p_held_contested", SUMMARY_P_OUTCOME, O_CONTESTED, 0},
    {"p_offensive_repelled", SUMMARY_P_OUTCOME, O_REPELLED, 0},
    {"p_breakthrough", SUMMARY_P_OUTCOME, O_BREAKTHROUGH, 0},
    {"p_outcome_coalition_collapse", SUMMARY_P_OUTCOME, O_COLLAPSE, 0},
    {"p_nato_russia_war", SUMMARY_P_OUTCOME, O_WAR, 0},
    {"p_rung_ge_4", SUMMARY_P_GE, M_MAX_RUNG, RUNG_LAND_GRAB},
    {"p_rung_ge_7", SUMMARY_P_GE, M_MAX_RUNG, RUNG_OFFENSIVE},
    {"p_rung_ge_9", SUMMARY_P_GE, M_MAX_RUNG, RUNG_WAR},
    {"p_probe_attempted", SUMMARY_P_GE, M_PROBES, 1},
    {"p_offensive_attempted", SUMMARY_P_GE, M_OFFENSIVE, 1},
    {"p_offensive_succeeds", SUMMARY_P_GIVEN, M_OFFENSIVE_SUCCEEDED, 1},
    {"p_coalition_collapse", SUMMARY_P_GE, M_COLLAPSED, 1},
    {"p_war", SUMMARY_P_GE, M_WAR, 1},
    {"mean_max_rung", SUMMARY_MEAN, M_MAX_RUNG, 0},
    {"mean_first_breach_day", SUMMARY_MEAN, M_FIRST_BREACH, 0},
    {"mean_force_casualties", SUMMARY_MEAN, M_FORCE_CAS, 0},
    {"median_force_casualties", SUMMARY_QUANTILE, M_FORCE_CAS, 0.5},
    {"p90_force_casualties", SUMMARY_QUANTILE, M_FORCE_CAS, 0.9},
    {"p99_force_casualties", SUMMARY_QUANTILE, M_FORCE_CAS, 0.99},
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
    /* PRODUCT.md: a mean for every measure, the flags' too (their shares
     * with Wilson intervals are the p_ rows above). */
    {"mean_offensive_attempted", SUMMARY_MEAN, M_OFFENSIVE, 0},
    {"mean_offensive_succeeded", SUMMARY_MEAN, M_OFFENSIVE_SUCCEEDED, 0},
    {"mean_coalition_collapsed", SUMMARY_MEAN, M_COLLAPSED, 0},
    {"mean_nato_russia_war", SUMMARY_MEAN, M_WAR, 0},
};

/* `reassure summary`: P(rung >= 7) and the outcome classes, then the means
 * a planner reads first; headers short enough for a sweep of three keys in
 * 100 columns. */
static const summary_column share_columns[] = {
    {"p_held_quiet", "quiet"},
    {"p_held_contested", "cont."},
    {"p_offensive_repelled", "repel"},
    {"p_breakthrough", "break"},
    {"p_outcome_coalition_collapse", "coll."},
    {"p_nato_russia_war", "war"},
};
static const summary_column mean_columns[] = {
    {"mean_force_casualties", "force cas."},
    {"mean_territory_lost_km2", "territory km2"},
    {"mean_first_breach_day", "breach day"},
    {"mean_contributors_withdrawn", "withdrawn"},
};
static const char *const abbreviations[][2] = {
    {"distance", "dist"}, {"probability", "prob"}, {"multiplier", "mult"},
    {"battalions", "bn"}, {"casualty", "cas"}, {"casualties", "cas"},
    {"contributors", "contrib"}, {"deterrence", "deter"}, {"tolerance", "tol"},
    {"effectiveness", "effect"}, {"readiness", "ready"}, {"fraction", "frac"}};
static const summary_layout layout = {
    .shares_title = "outcomes (% of replications; P(rung>=7) with its 95% interval)",
    .headline_head = "P(rung>=7) [95% CI]",
    .shares = share_columns,
    .n_shares = sizeof share_columns / sizeof share_columns[0],
    .shares_legend = "quiet = held_quiet, cont. = held_contested, repel = offensive_repelled, "
                     "break = breakthrough,\ncoll. = coalition_collapse, war = nato_russia_war",
    .means_title = "key means (+- 95% half-width): force casualties (troops), territory lost,\n"
                   "day of the first breach (rung >= 4; over replications with one), "
                   "contributors withdrawn",
    .means = mean_columns,
    .n_means = sizeof mean_columns / sizeof mean_columns[0],
    .abbreviations = abbreviations,
    .n_abbreviations = sizeof abbreviations / sizeof abbreviations[0],
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
    .headline = "p_rung_ge_7",
    .headline_goal = -1,
    .layout = &layout,
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
