/* reassurance_fight.c — engagements: probes and large offensives fought as
 * square-law Lanchester battles in battalions (battle.h, the code of the
 * lanchester validation model) with breakpoints; a probe's fait-accompli
 * clock; the force joining after its response time; the US backstop; and
 * escalation in combat (strikes on the bases, NATO-Russia war), a chance
 * per battalion lost while the coalition fights.
 * Formulas: docs/model.md. (Part of the reassurance model: reassurance_sim.h.)
 */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "reassurance_sim.h"

/* 1 when an event scheduled for an engagement belongs to the one under
 * way (a late wave or air strike of an ended engagement is void). */
static int current(const state *s, const des_event *ev)
{
    return s->fight != FIGHT_NONE && (int)ev->p.x == s->fight_id;
}

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
    s->us_engaged = 0;
    s->eu_in = 0;
    s->struck = 0;
    s->fight_id++;
    s->fight_start = des_now(s->e);
    rs_relapse(s);
    schedule_loss(s);
}

void rs_record_rates(state *s)
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
    rs_record_rates(s);
    des_cancel(s->e, s->next_loss);
    des_cancel(s->e, s->deadline);
    s->next_loss = s->deadline = 0;
    int with_force = s->force_in > 0;
    if (repelled && with_force)
        s->successes++;
    if (s->eu_in)
        rs_resolve(s, 1);
    if (s->fight == FIGHT_PROBE) {
        if (repelled) {
            s->probes_repelled++;
            rs_say(s, "the probe is repelled%s; the line is restored",
                with_force ? " with the force" : " by Ukrainian troops");
        } else {
            s->territory += p->probe_gain_km2;
            s->faits_accomplis++;
            int answerable = rs_present_troops(s) > 0 && !s->collapsed && !s->eu_in;
            if (answerable)
                rs_resolve(s, 0);
            rs_say(s, "fait accompli: Russia holds %.0f km2 more%s", p->probe_gain_km2,
                answerable ? "; Russia doubts the force's resolve more" : "");
        }
    } else if (repelled) {
        rs_say(s, "the offensive culminates and is repelled (Russia lost %lld of %lld battalions)",
            (long long)(s->x0 - s->bt.x), (long long)s->x0);
        s->offensive_ready = des_now(s->e) + p->regeneration_days;
    } else {
        s->breakthrough = 1;
        s->territory += p->breakthrough_gain_km2;
        rs_say(s, "breakthrough: the defence breaks after %.1f days; Russia takes %.0f km2",
            des_now(s->e) - s->fight_start, p->breakthrough_gain_km2);
        des_stop(s->e);
    }
    s->fight = FIGHT_NONE;
    s->force_in = 0;
    s->eu_in = 0;
    s->us_engaged = 0;
    if (!s->breakthrough)
        rs_step_down(s, s->fight_depth); /* back to where the ladder stood */
}

/* Escalation in combat, after each battalion lost while the coalition
 * fights: a NATO-Russia war with a chance per loss for European
 * contingents and for US air power; and (once per engagement) a strike on
 * the force's rear bases, which is war when they stand on NATO soil.
 * Returns 1 when the replication has ended in war. */
static int escalate(state *s)
{
    const reassurance_params *p = s->p;
    if (!s->eu_in && !s->us_engaged)
        return 0;
    double pw = (s->eu_in ? p->war_per_loss_europe : 0) + (s->us_engaged ? p->war_per_loss_us : 0);
    if (gsl_rng_uniform(s->rng[S_ESCALATION]) < pw) {
        rs_war(s, s->us_engaged ? "Russia strikes US aircraft and their bases on NATO soil"
                                : "the fighting with European forces spreads to NATO territory");
        return 1;
    }
    if (!s->eu_in)
        return 0;
    int nato_soil = p->basing_distance_km > p->border_distance_km;
    double u = gsl_rng_uniform(s->rng[S_BASE_STRIKES]);
    if (s->struck || u >= p->base_strike_per_loss * (nato_soil ? p->nato_strike_factor : 1.0))
        return 0;
    s->struck = 1;
    if (nato_soil) {
        rs_war(s, "Russian missiles strike the force's bases on NATO territory");
        return 1;
    }
    rs_climb(s, RUNG_BASE_STRIKES);
    rs_say(s, "Russian missiles strike the force's rear bases, %.0f km from the line",
        p->basing_distance_km);
    rs_force_casualties(s, 10.0 * (double)p->harass_casualties, 0);
    return 0;
}

/* Battles end at breakpoints: an attack culminates, or a defence breaks,
 * after losing the given share of its battalions. */
void rs_on_loss(des_engine *e, void *st, const des_event *ev)
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
            rs_force_casualties(s, bn, 1);
            rs_climb(s, RUNG_FORCE_CASUALTIES);
        } else {
            s->cas_ukraine += bn;
        }
        battle_apply(&s->bt, BATTLE_Y);
    }
    if (escalate(s))
        return;
    if ((double)s->bt.x <= (double)s->x0 * (1.0 - p->attacker_break_fraction))
        end_fight(s, 1);
    else if ((double)s->bt.y <= (double)s->y0 * (1.0 - p->defender_break_fraction))
        end_fight(s, 0);
    else
        schedule_loss(s);
}

void rs_on_us_engages(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    state *s = st;
    if (!current(s, ev))
        return;
    s->us_engaged = 1;
    s->us_ever_engaged = 1;
    rs_say(s, "US air power engages: the attackers' losses are multiplied by %g",
        s->p->us_air_attrition_multiplier);
    schedule_loss(s);
}

/* The coalition's first combat in this engagement: RUNG_COALITION_COMBAT and the
 * backstop's decision. */
static void coalition_fights(state *s)
{
    const reassurance_params *p = s->p;
    if (s->us_in_this_fight)
        return;
    s->us_in_this_fight = 1;
    s->eu_in = 1;
    rs_climb(s, RUNG_COALITION_COMBAT);
    if (p->us_enabled) {
        double u = gsl_rng_uniform(s->rng[S_BACKSTOP]);
        if (u < p->us_engage_probability) {
            des_schedule_in(s->e, p->us_delay_days, EV_US_ENGAGES,
                            (des_payload){.x = s->fight_id});
            rs_say(s, "the US decides to back the force: air power in %.1f days", p->us_delay_days);
        } else {
            rs_say(s, "the US declines to engage");
        }
    }
}

void rs_on_force_joins(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    state *s = st;
    const reassurance_params *p = s->p;
    if (ev->p.i1)
        rs_consent(s); /* the vote is won whether or not the fight is still on */
    if (!current(s, ev))
        return;
    int64_t bn = ev->p.i0;
    if (bn <= 0)
        return;
    if (s->fight == FIGHT_PROBE && p->mandate == MANDATE_PEACEKEEPING && s->force_in == 0) {
        /* Interposition: with the force in the way, Russia decides again
         * whether to press on (reassurance_choice.c). */
        if (gsl_rng_uniform(s->rng[S_INTERPOSITION]) >= rs_press_on(s)) {
            rs_say(s, "the force interposes with %lld battalions; Russia halts the probe",
                (long long)bn);
            s->force_in = bn;
            s->eu_in = 1;
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
    rs_say(s, "%lld force battalions join the fight (%lld defenders against %lld attackers)",
        (long long)bn, (long long)s->bt.y, (long long)s->bt.x);
    coalition_fights(s);
    schedule_loss(s);
}

void rs_on_deadline(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    (void)ev;
    state *s = st;
    s->deadline = 0;
    if (s->fight == FIGHT_PROBE && s->force_in == 0)
        end_fight(s, 0);
}

int rs_force_fights(const state *s)
{
    return !s->collapsed && s->p->mandate != MANDATE_MONITORING && s->p->troops > 0;
}

int64_t rs_qrf_battalions(const state *s)
{
    return rs_force_fights(s) ? rs_battalions(s, rs_strength(s, 1) * s->p->qrf_fraction) : 0;
}

void rs_offensive_battalions(const state *s, int64_t *n1, int64_t *n2)
{
    *n1 = *n2 = 0;
    if (!rs_force_fights(s))
        return;
    *n1 = rs_battalions(s, rs_strength(s, 1));
    *n2 = rs_battalions(s, rs_strength(s, 0) - rs_strength(s, 1));
}

/* Sends the force to the engagement under way: n1 battalions that may
 * fight after the response time R, and n2 whose parliaments must first
 * consent at max(R, combat_approval_days). A wave that arrives after the
 * engagement has ended is void. */
static void send_force(state *s, int64_t n1, int64_t n2)
{
    const reassurance_params *p = s->p;
    double r = rs_response_days(s);
    double later_t = r > p->combat_approval_days ? r : p->combat_approval_days;
    if (n1 > 0)
        des_schedule_in(s->e, r, EV_FORCE_JOINS, (des_payload){.i0 = (int32_t)n1, .x = s->fight_id});
    if (n2 > 0)
        des_schedule_in(s->e, later_t, EV_FORCE_JOINS,
                        (des_payload){.i0 = (int32_t)n2, .i1 = 1, .x = s->fight_id});
}

void rs_probe(state *s)
{
    const reassurance_params *p = s->p;
    s->probes++;
    s->fight_depth = s->depth;
    rs_climb(s, RUNG_LAND_GRAB);
    start_fight(s, FIGHT_PROBE, p->probe_battalions, p->local_battalions);
    int64_t qrf = rs_qrf_battalions(s);
    double r = rs_response_days(s);
    /* The time to a fait accompli: Erlang, mean fait_accompli_days. */
    double fa = gsl_ran_gamma(s->rng[S_PROBE_CLOCK], (double)p->fait_accompli_stages,
                              p->fait_accompli_days / (double)p->fait_accompli_stages);
    if (qrf > 0)
        rs_say(s, "Russian probe of %lld battalions; %lld force battalion%s set off, %.0f km away, "
               "due in %.1f days (the objective falls in %.1f)", (long long)p->probe_battalions,
               (long long)qrf, qrf == 1 ? "" : "s", p->basing_distance_km, r, fa);
    else
        rs_say(s, "Russian probe of %lld battalions against %lld Ukrainian battalions",
               (long long)p->probe_battalions, (long long)p->local_battalions);
    send_force(s, qrf, 0);
    s->deadline = des_schedule_in(s->e, fa, EV_DEADLINE, NONE);
    if (s->bt.y == 0 && !(qrf > 0 && r == 0))
        end_fight(s, 0);
}

void rs_offensive(state *s)
{
    const reassurance_params *p = s->p;
    s->offensive = 1;
    s->fight_depth = s->depth;
    rs_climb(s, RUNG_OFFENSIVE);
    rs_say(s, "large Russian offensive: %lld battalions against %lld Ukrainian battalions",
        (long long)p->offensive_battalions, (long long)p->holding_battalions);
    start_fight(s, FIGHT_OFFENSIVE, p->offensive_battalions, p->holding_battalions);
    int64_t n1, n2;
    rs_offensive_battalions(s, &n1, &n2);
    send_force(s, n1, n2);
}
