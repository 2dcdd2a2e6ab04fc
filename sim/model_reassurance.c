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
 *   EV_CONSENT      contingents needing approval may now fight
 *   EV_FORCE_JOINS  force battalions reach an engagement; i0 = battalions
 *   EV_DEADLINE     a probe's fait accompli time comes
 *   EV_LOSS         a battalion is lost in the engagement; i0 = battle_side
 *   EV_US_ENGAGES   US air power engages
 *
 * Streams (common random numbers: each kind of randomness has its own, so
 * a parameter that does not touch a kind leaves its draws as they were):
 *   0 violations (counts), 1 decisions, 2 combat, 3 backstop, 4 strikes,
 *   5 incidents, 6 regimes (switch times). Counts come from a rejection
 *   sampler that uses a varying number of draws, so they have a stream of
 *   their own: changing a count's mean moves nothing else.
 */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "battle.h"
#include "model.h"
#include "reassurance.h"

enum { EV_START, EV_REGIME, EV_DECISION, EV_ARRIVE, EV_CONSENT, EV_FORCE_JOINS, EV_DEADLINE,
       EV_LOSS, EV_US_ENGAGES, N_EVENTS };
enum { S_VIOLATIONS, S_DECISIONS, S_COMBAT, S_BACKSTOP, S_STRIKES, S_INCIDENTS, S_REGIMES,
       N_STREAMS };
enum { O_QUIET, O_CONTESTED, O_REPELLED, O_BREAKTHROUGH, O_COLLAPSE, O_WAR, N_OUTCOMES };
enum { M_MAX_RUNG, M_FIRST_BREACH, M_FORCE_CAS, M_UKRAINE_CAS, M_RUSSIA_CAS, M_TERRITORY,
       M_WITHDRAWN, M_US_ENGAGED, M_PROBES, M_PROBES_REPELLED, M_VIOLATIONS, M_HIGH_DAYS,
       M_ATTACKER_LOSS_RATE, M_DEFENDER_LOSS_RATE, N_MEASURES };

typedef enum fight { FIGHT_NONE, FIGHT_PROBE, FIGHT_OFFENSIVE } fight;

typedef struct nation {
    int present;      /* deployed in theatre */
    int consents;     /* may join combat */
    int withdrawn;
    double casualties;
} nation;

typedef struct state {
    const reassurance_params *p;
    gsl_rng *const *rng;
    const model_trace *trace;
    des_engine *e;

    int rung, tension, max_rung;
    int regime;
    des_handle regime_event;
    double spell_start;
    double violations, high_days;

    nation nations[MAX_CONTRIBUTORS];
    double credibility;
    int successes;       /* repelled probes and offensives: raise tolerance */
    int collapsed, withdrawn;

    fight fight;         /* the engagement under way */
    battle bt;           /* X = Russia, Y = defenders */
    int64_t x0, y0;      /* at the start of the engagement */
    int64_t force_in;    /* force battalions among the defenders */
    double fight_start;
    des_handle next_loss, deadline;
    int us_engaged, us_in_this_fight, offensive, breakthrough;
    double offensive_ready;  /* no new offensive before this day */

    double first_breach;
    double cas_force, cas_ukraine, cas_russia, territory;
    int probes, probes_repelled;
    double worst_attacker_rate, worst_defender_rate;
} state;

static const des_payload NONE = {0, 0, 0.0};

/* ---- the story channel (reassure trace) -------------------------------- */

static void say(const state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const state *s, const char *fmt, ...)
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

/* ---- the force ---------------------------------------------------------- */

static double present_share(const state *s, int fighting)
{
    double share = 0;
    for (int i = 0; i < s->p->n_contributors; i++) {
        const nation *n = &s->nations[i];
        if (n->present && !n->withdrawn && (!fighting || n->consents))
            share += s->p->contributors[i].share;
    }
    return share;
}

static double present_troops(const state *s)
{
    return present_share(s, 0) * (double)s->p->troops;
}

static int64_t battalions(const state *s, double troops)
{
    return (int64_t)floor(troops / (double)s->p->battalion_troops);
}

/* Days from alert to the line; the US warning comes off when it exists. */
static double response_days(const state *s)
{
    const reassurance_params *p = s->p;
    double t = p->readiness_days + p->basing_distance_km / p->move_km_per_day;
    if (p->us_enabled)
        t -= p->us_warning_bonus_days;
    return t > 0 ? t : 0;
}

/* Exposure of the bases to Russian fires short of war: 0 on NATO soil. */
static double exposure(const state *s)
{
    const reassurance_params *p = s->p;
    if (p->basing_distance_km > p->border_distance_km)
        return 0;
    return exp(-p->basing_distance_km / p->fires_range_km);
}

static double tolerance(const state *s, int i)
{
    const reassurance_params *p = s->p;
    return (double)p->contributors[i].casualty_tolerance * p->casualty_tolerance_scale *
           (1.0 + p->success_bonus * s->successes);
}

/* Support of contributor i: 1 with no losses, falling with the log of its
 * casualties to 0 at its tolerance (Mueller 1973). */
static double support(const state *s, int i)
{
    double c = s->nations[i].casualties, t = tolerance(s, i);
    double v = 1.0 - log1p(c) / log1p(t);
    return v > 0 ? v : 0;
}

static double cohesion(const state *s)
{
    double w = 0, sum = 0;
    for (int i = 0; i < s->p->n_contributors; i++) {
        if (!s->nations[i].present || s->nations[i].withdrawn)
            continue;
        w += s->p->contributors[i].share;
        sum += s->p->contributors[i].share * support(s, i);
    }
    return w > 0 ? sum / w : 0;
}

/* Perceived deterrence in [0, 1]: what Russia expects the force and the
 * backstop to do. See docs/model.md. */
static double deterrence(const state *s)
{
    const reassurance_params *p = s->p;
    double troops = s->collapsed ? 0 : present_troops(s);
    double d_force = 0;
    if (troops > 0) {
        double h = p->deterrence_troops_half;
        double size = troops * troops / (troops * troops + h * h);
        double time = 1.0 / (1.0 + response_days(s) / p->deterrence_response_days);
        double mandate = p->mandate == MANDATE_DETERRENCE ? 1.0
                         : p->mandate == MANDATE_PEACEKEEPING ? p->peacekeeping_deterrence
                                                              : p->monitoring_deterrence;
        d_force = size * time * mandate * cohesion(s) * s->credibility;
        if (d_force > 1)
            d_force = 1;
    }
    double d_us = p->us_enabled && troops > 0 ? p->us_deterrence_weight * p->us_engage_probability
                                              : 0;
    return 1.0 - (1.0 - d_force) * (1.0 - d_us);
}

/* ---- the ladder ----------------------------------------------------------- */

static void set_rung(state *s)
{
    int floor_rung = s->regime == REGIME_HIGH ? 2 : 1;
    s->rung = s->tension > floor_rung ? s->tension : floor_rung;
    if (s->rung > s->max_rung)
        s->max_rung = s->rung;
    if (s->rung >= 4 && isnan(s->first_breach))
        s->first_breach = des_now(s->e);
}

static void climb(state *s, int rung)
{
    if (rung > s->tension)
        s->tension = rung;
    set_rung(s);
}

static void war(state *s, const char *why)
{
    climb(s, 9);
    say(s, "NATO-Russia war: %s", why);
    des_stop(s->e);
}

/* ---- violations ---------------------------------------------------------- */

static double spell_rate(const state *s, int regime)
{
    const reassurance_params *p = s->p;
    return regime == REGIME_HIGH ? p->recommitment_rate_per_day * (1.0 + deterrence(s))
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
static void relapse(state *s)
{
    if (s->regime == REGIME_HIGH)
        return;
    close_spell(s);
    des_cancel(s->e, s->regime_event);
    s->regime = REGIME_HIGH;
    schedule_regime(s);
    set_rung(s);
}

static void on_regime(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    (void)ev;
    state *s = st;
    close_spell(s);
    s->regime = s->regime == REGIME_HIGH ? REGIME_LOW : REGIME_HIGH;
    schedule_regime(s);
    set_rung(s);
    if (s->regime == REGIME_LOW)
        say(s, "recommitment to the ceasefire: violations fall to about %.0f a day",
            s->p->low_mean_per_day);
    else
        say(s, "violations relapse to the high regime (about %.0f a day)",
            s->p->high_mean_per_day);
}

/* ---- politics ----------------------------------------------------------- */

/* Force casualties fall on the contingents in the fight (or, short of a
 * fight, on every contingent present) in proportion to their shares. */
static void force_casualties(state *s, double troops)
{
    const reassurance_params *p = s->p;
    if (troops <= 0)
        return;
    s->cas_force += troops;
    int fighting = present_share(s, 1) > 0;
    double share = present_share(s, fighting);
    if (share <= 0)
        return;
    double withdrawn_share = 0;
    for (int i = 0; i < p->n_contributors; i++) {
        nation *n = &s->nations[i];
        if (n->present && !n->withdrawn && (!fighting || n->consents)) {
            n->casualties += troops * p->contributors[i].share / share;
            if (n->casualties >= tolerance(s, i)) {
                n->withdrawn = 1;
                s->withdrawn++;
                say(s, "%s withdraws: %.0f casualties exhausted public support",
                    p->contributors[i].name, n->casualties);
            }
        }
        if (n->withdrawn)
            withdrawn_share += p->contributors[i].share;
    }
    if (!s->collapsed && withdrawn_share > 1.0 - p->collapse_fraction + 1e-12) {
        s->collapsed = 1;
        say(s, "the coalition collapses: %.0f%% of the force has gone home",
            100 * withdrawn_share);
    }
}

static void arrive(state *s, int i)
{
    s->nations[i].present = 1;
    s->nations[i].consents = !s->p->contributors[i].prior_approval;
}

static void on_arrive(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    state *s = st;
    arrive(s, ev->p.i0);
    const contributor *c = &s->p->contributors[ev->p.i0];
    say(s, "%s's contingent (%.0f troops) deploys after its parliamentary vote", c->name,
        c->share * (double)s->p->troops);
}

static void on_consent(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    (void)ev;
    state *s = st;
    for (int i = 0; i < s->p->n_contributors; i++)
        if (s->nations[i].present)
            s->nations[i].consents = 1;
}

/* ---- engagements ---------------------------------------------------------- */

/* Defenders' kill rate: force battalions fight at force.effectiveness,
 * and US air power multiplies the attackers' losses. */
static void set_rates(state *s)
{
    const reassurance_params *p = s->p;
    double y = (double)s->bt.y, f = (double)s->force_in;
    double mix = y > 0 ? ((y - f) + f * p->force_effectiveness) / y : 1.0;
    s->bt.a = p->attacker_kill_rate;
    s->bt.b = p->defender_kill_rate * mix * (s->us_engaged ? p->us_air_attrition_multiplier : 1);
}

/* (Re)draws the next loss; a change of forces or rates cancels the pending
 * one first (exact: the exponential has no memory). */
static void schedule_loss(state *s)
{
    des_cancel(s->e, s->next_loss);
    s->next_loss = 0;
    if (s->fight == FIGHT_NONE || battle_over(&s->bt))
        return;
    set_rates(s);
    double dt;
    battle_side loser = battle_draw(&s->bt, s->rng[S_COMBAT], &dt);
    s->next_loss = des_schedule_in(s->e, dt, EV_LOSS, (des_payload){.i0 = (int32_t)loser});
}

static void start_fight(state *s, fight kind, int64_t attackers, int64_t defenders)
{
    s->fight = kind;
    s->bt = (battle){.law = BATTLE_SQUARE, .x = attackers, .y = defenders};
    s->x0 = attackers;
    s->y0 = defenders;
    s->force_in = 0;
    s->us_in_this_fight = 0;
    s->fight_start = des_now(s->e);
    relapse(s);
    schedule_loss(s);
}

static void record_rates(state *s)
{
    double days = des_now(s->e) - s->fight_start;
    if (s->fight != FIGHT_OFFENSIVE || days <= 0)
        return;
    double ra = (double)(s->x0 - s->bt.x) / (double)s->x0 / days;
    double rd = (double)(s->y0 - s->bt.y) / (double)s->y0 / days;
    if (isnan(s->worst_attacker_rate) || ra > s->worst_attacker_rate)
        s->worst_attacker_rate = ra;
    if (isnan(s->worst_defender_rate) || rd > s->worst_defender_rate)
        s->worst_defender_rate = rd;
}

static void end_fight(state *s, int repelled)
{
    const reassurance_params *p = s->p;
    record_rates(s);
    des_cancel(s->e, s->next_loss);
    des_cancel(s->e, s->deadline);
    s->next_loss = s->deadline = 0;
    int with_force = s->force_in > 0;
    if (repelled && with_force) {
        s->successes++;
        s->credibility += p->credibility_step;
    }
    if (s->fight == FIGHT_PROBE) {
        if (repelled) {
            s->probes_repelled++;
            say(s, "the probe is repelled%s; the line is restored",
                with_force ? " with the force" : " by Ukrainian troops");
        } else {
            s->territory += p->probe_gain_km2;
            if (present_troops(s) > 0 && !s->collapsed)
                s->credibility -= p->credibility_step;
            say(s, "fait accompli: Russia holds %.0f km2 more%s", p->probe_gain_km2,
                present_troops(s) > 0 ? "; the force's credibility falls" : "");
        }
        s->tension = 3;
    } else if (repelled) {
        say(s, "the offensive culminates and is repelled (Russia lost %lld of %lld battalions)",
            (long long)(s->x0 - s->bt.x), (long long)s->x0);
        s->tension = 4;
        s->offensive_ready = des_now(s->e) + p->regeneration_days;
    } else {
        s->breakthrough = 1;
        s->territory += p->breakthrough_gain_km2;
        say(s, "breakthrough: the defence breaks after %.1f days; Russia takes %.0f km2",
            des_now(s->e) - s->fight_start, p->breakthrough_gain_km2);
        des_stop(s->e);
    }
    if (s->credibility < 0)
        s->credibility = 0;
    s->fight = FIGHT_NONE;
    s->force_in = 0;
    set_rung(s);
}

/* Battles end at breakpoints: an attack culminates, or a defence breaks,
 * after losing the given share of its battalions. */
static void on_loss(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    state *s = st;
    const reassurance_params *p = s->p;
    double bn = (double)p->battalion_troops;
    s->next_loss = 0;
    if (ev->p.i0 == BATTLE_X) {
        battle_apply(&s->bt, BATTLE_X);
        s->cas_russia += bn;
    } else {
        /* Which defender: a force battalion in proportion to their number. */
        double u = gsl_rng_uniform(s->rng[S_COMBAT]);
        if (u * (double)s->bt.y < (double)s->force_in) {
            s->force_in--;
            force_casualties(s, bn);
            climb(s, 5);
        } else {
            s->cas_ukraine += bn;
        }
        battle_apply(&s->bt, BATTLE_Y);
    }
    if ((double)s->bt.x <= (double)s->x0 * (1.0 - p->attacker_break_fraction))
        end_fight(s, 1);
    else if ((double)s->bt.y <= (double)s->y0 * (1.0 - p->defender_break_fraction))
        end_fight(s, 0);
    else
        schedule_loss(s);
}

static void on_us_engages(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    (void)ev;
    state *s = st;
    if (s->fight == FIGHT_NONE)
        return;
    s->us_engaged = 1;
    say(s, "US air power engages: the attackers' losses are multiplied by %g",
        s->p->us_air_attrition_multiplier);
    schedule_loss(s);
    if (gsl_rng_uniform(s->rng[S_STRIKES]) < s->p->us_war_probability)
        war(s, "Russia strikes US aircraft and their bases");
}

/* The coalition's first combat in this engagement: rung 6, the backstop's
 * decision, and (in an offensive) Russia's choice to strike the bases. */
static void coalition_fights(state *s)
{
    const reassurance_params *p = s->p;
    if (s->us_in_this_fight)
        return;
    s->us_in_this_fight = 1;
    climb(s, 6);
    if (p->us_enabled) {
        double u = gsl_rng_uniform(s->rng[S_BACKSTOP]);
        if (u < p->us_engage_probability) {
            des_schedule_in(s->e, p->us_delay_days, EV_US_ENGAGES, NONE);
            say(s, "the US decides to back the force: air power in %.1f days", p->us_delay_days);
        } else {
            say(s, "the US declines to engage");
        }
    }
    if (s->fight != FIGHT_OFFENSIVE)
        return;
    int nato_soil = p->basing_distance_km > p->border_distance_km;
    double chance = p->base_strike_probability * (nato_soil ? p->nato_strike_factor : 1.0);
    if (gsl_rng_uniform(s->rng[S_STRIKES]) < chance) {
        if (nato_soil) {
            war(s, "Russian missiles strike the force's bases on NATO territory");
            return;
        }
        climb(s, 8);
        say(s, "Russian missiles strike the force's rear bases, %.0f km from the line",
            p->basing_distance_km);
        force_casualties(s, 10.0 * (double)p->harass_casualties);
    }
}

static void on_force_joins(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    state *s = st;
    const reassurance_params *p = s->p;
    if (s->fight == FIGHT_NONE)
        return;
    if (ev->p.i1)
        on_consent(e, st, ev);
    int64_t bn = ev->p.i0;
    if (bn <= 0)
        return;
    if (s->fight == FIGHT_PROBE && p->mandate == MANDATE_PEACEKEEPING && s->force_in == 0) {
        /* Interposition: Russia halts rather than fight the force, as far
         * as it believes the force will be backed. */
        if (gsl_rng_uniform(s->rng[S_INCIDENTS]) < deterrence(s)) {
            say(s, "the force interposes with %lld battalions; Russia halts the probe",
                (long long)bn);
            s->force_in = bn;
            end_fight(s, 1);
            return;
        }
    }
    if (s->deadline) {
        des_cancel(s->e, s->deadline);
        s->deadline = 0;
    }
    s->force_in += bn;
    s->bt.y += bn;
    s->y0 += bn;
    say(s, "%lld force battalions join the fight (%lld defenders against %lld attackers)",
        (long long)bn, (long long)s->bt.y, (long long)s->bt.x);
    coalition_fights(s);
    schedule_loss(s);
}

static void on_deadline(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    (void)ev;
    state *s = st;
    s->deadline = 0;
    if (s->fight == FIGHT_PROBE && s->force_in == 0)
        end_fight(s, 0);
}

/* Sends the force to an engagement: consenting battalions after the
 * response time, the others once their parliaments consent. */
static void send_force(state *s, double share_of_force)
{
    const reassurance_params *p = s->p;
    if (s->collapsed || p->mandate == MANDATE_MONITORING)
        return;
    double r = response_days(s);
    int64_t now_bn = battalions(s, present_share(s, 1) * (double)p->troops * share_of_force);
    int64_t later_bn = battalions(s, (present_share(s, 0) - present_share(s, 1)) *
                                        (double)p->troops * share_of_force);
    if (now_bn > 0)
        des_schedule_in(s->e, r, EV_FORCE_JOINS, (des_payload){.i0 = (int32_t)now_bn});
    if (later_bn > 0 && s->fight == FIGHT_OFFENSIVE) {
        double t = r > p->combat_approval_days ? r : p->combat_approval_days;
        des_schedule_in(s->e, t, EV_FORCE_JOINS, (des_payload){.i0 = (int32_t)later_bn, .i1 = 1});
    }
}

/* ---- Russian decisions ----------------------------------------------------- */

static void probe(state *s)
{
    const reassurance_params *p = s->p;
    s->probes++;
    climb(s, 4);
    start_fight(s, FIGHT_PROBE, p->probe_battalions, p->local_battalions);
    double r = response_days(s);
    s->deadline = des_schedule_in(s->e, p->fait_accompli_days, EV_DEADLINE, NONE);
    int answers = present_troops(s) > 0 && !s->collapsed && p->mandate != MANDATE_MONITORING &&
                  r <= p->fait_accompli_days;
    if (answers)
        say(s, "Russian probe of %lld battalions; the force, %.0f km away, arrives day %.1f",
            (long long)p->probe_battalions, p->basing_distance_km, des_now(s->e) + r);
    else if (present_troops(s) > 0 && !s->collapsed && p->mandate != MANDATE_MONITORING)
        say(s, "Russian probe of %lld battalions; the force, %.0f km away, needs %.1f days: "
            "too late", (long long)p->probe_battalions, p->basing_distance_km, r);
    else
        say(s, "Russian probe of %lld battalions against %lld Ukrainian battalions",
            (long long)p->probe_battalions, (long long)p->local_battalions);
    if (answers)
        send_force(s, p->qrf_fraction);
    if (s->bt.y == 0 && s->fight == FIGHT_PROBE && !answers)
        end_fight(s, 0);
}

static void offensive(state *s)
{
    const reassurance_params *p = s->p;
    s->offensive = 1;
    climb(s, 7);
    say(s, "large Russian offensive: %lld battalions against %lld Ukrainian battalions",
        (long long)p->offensive_battalions, (long long)p->holding_battalions);
    start_fight(s, FIGHT_OFFENSIVE, p->offensive_battalions, p->holding_battalions);
    send_force(s, 1.0);
}

static void harass(state *s)
{
    const reassurance_params *p = s->p;
    climb(s, 3);
    double troops = present_troops(s);
    double u = gsl_rng_uniform(s->rng[S_INCIDENTS]);
    if (troops > 0 && !s->collapsed && u < p->harass_casualty_probability * exposure(s)) {
        say(s, "drone and sabotage attacks on the force: %lld casualties",
            (long long)p->harass_casualties);
        force_casualties(s, (double)p->harass_casualties);
        climb(s, 5);
    } else {
        say(s, "harassment: drones, jamming and sabotage against monitors and the force");
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
    double d = deterrence(s);
    if (u_off < p->offensive_probability * (1 - d) && des_now(e) >= s->offensive_ready)
        offensive(s);
    else if (u_probe < p->probe_probability * (1 - d))
        probe(s);
    else if (u_harass < p->harass_probability * (1 - d))
        harass(s);
    else if (u_calm < p->deescalate_probability && s->tension > 0) {
        int before = s->rung;
        s->tension = s->tension > 3 ? s->tension - 1 : 0;
        set_rung(s);
        if (s->rung < before)
            say(s, "tension eases: rung %d", s->rung);
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
        say(s, "ceasefire; %lld troops, based %.0f km from the line (%s), response %.1f days, "
            "mandate %s, US backstop %s; perceived deterrence %.2f",
            (long long)p->troops, p->basing_distance_km,
            p->basing_distance_km > p->border_distance_km ? "on NATO territory" : "in Ukraine",
            response_days(s),
            p->mandate == MANDATE_DETERRENCE ? "deterrence"
            : p->mandate == MANDATE_MONITORING ? "monitoring" : "peacekeeping",
            p->us_enabled ? "on" : "off", deterrence(s));
    else
        say(s, "ceasefire with no reassurance force; US backstop %s",
            p->us_enabled ? "on (but nothing to back)" : "off");
}

static const des_handler handlers[N_EVENTS] = {
    on_start, on_regime, on_decision, on_arrive, on_consent,
    on_force_joins, on_deadline, on_loss, on_us_engages,
};

static void start(void *st, const void *params, des_engine *e, gsl_rng *const *streams)
{
    state *s = st;
    const reassurance_params *p = params;
    *s = (state){.p = p, .rng = streams, .e = e, .regime = p->initial_regime,
                 .credibility = 1.0, .first_breach = NAN,
                 .worst_attacker_rate = NAN, .worst_defender_rate = NAN};
    set_rung(s);
    s->max_rung = s->rung;
    for (int i = 0; i < p->n_contributors; i++) {
        if (p->contributors[i].prior_approval)
            des_schedule(e, p->approval_delay_days, EV_ARRIVE, (des_payload){.i0 = i});
        else
            arrive(s, i);
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
        record_rates(s);
    close_spell(s);
    v[M_MAX_RUNG] = s->max_rung;
    v[M_FIRST_BREACH] = s->first_breach;
    v[M_FORCE_CAS] = s->cas_force;
    v[M_UKRAINE_CAS] = s->cas_ukraine;
    v[M_RUSSIA_CAS] = s->cas_russia;
    v[M_TERRITORY] = s->territory;
    v[M_WITHDRAWN] = s->withdrawn;
    v[M_US_ENGAGED] = s->us_engaged;
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

static const char *const stream_names[N_STREAMS] = {"violations", "decisions", "combat",
                                                    "backstop", "strikes", "incidents",
                                                    "regimes"};
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
    {"us_engaged", MEASURE_INT, "", "1 if US air power engaged", 0},
    {"probes", MEASURE_INT, "", "localised land grabs attempted", 0},
    {"probes_repelled", MEASURE_INT, "", "probes repelled or halted", 0},
    {"violations", MEASURE_INT, "", "ceasefire violations over the replication", 0},
    {"high_regime_days", MEASURE_REAL, "days", "days spent in the high-violation regime", 0},
    {"attacker_loss_per_day", MEASURE_REAL, "1/day",
     "attackers' daily loss fraction in the largest offensive (NaN: none)", 0},
    {"defender_loss_per_day", MEASURE_REAL, "1/day",
     "defenders' daily loss fraction in the largest offensive (NaN: none)", 0},
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
