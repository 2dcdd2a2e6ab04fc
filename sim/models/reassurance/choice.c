/* reassurance_choice.c — Russia's choice to attack, on expected outcomes.
 *
 * An epoch that brings the intent of an attack (a probe or an offensive)
 * goes ahead with probability
 *
 *     sigma(beta (P_s - C - kappa) + pulls),    sigma(z) = 1 / (1 + e^-z)
 *
 * a logistic random-utility rule. P_s is the chance of success by denial:
 * the exact outcome of the battle the model would fight (outlook.h), with
 * the force battalions that can be sent, when they would arrive, and US air
 * power weighted by its engagement probability, mixed by Russia's belief
 * that the force will be sent at all (resolve). C is the expected cost of
 * punishment: fighting European contingents, US air power, and the chance
 * that the fighting becomes a NATO-Russia war. The pulls are the state:
 * the violation regime, the rung, the faits accomplis already taken.
 * `russia.deterrence` chooses which terms count (docs/model.md, 5.2).
 *
 * Outlooks depend on the point's parameters and on the battalions the
 * force can field (n1 consenting, n2 awaiting consent); they are cached per
 * thread and cleared when the parameters change, so the cache changes the
 * speed of a run, never its numbers. (Part of the reassurance model:
 * reassurance_sim.h.)
 */
#include <math.h>
#include <string.h>

#include "outlook.h"
#include "reassurance_sim.h"

static double sigmoid(double z)
{
    return 1.0 / (1.0 + exp(-z));
}

/* The phases of an attack as Russia foresees it. Events at one time
 * (the force's waves, US air power) merge into one phase. */
typedef struct plan {
    outlook_battle ob;
    int eu_from, us_from;  /* first phase with force battalions / US air (-1: none) */
    double y_local;        /* defenders other than the force */
} plan;

static void add_event(plan *pl, double t, int64_t join, int us)
{
    outlook_battle *ob = &pl->ob;
    int j = ob->n_phases - 1;
    if (t > ob->phase[j].start) {
        ob->phase[j + 1] = ob->phase[j];
        ob->phase[j + 1].start = t;
        ob->phase[j + 1].join = 0;
        ob->n_phases++;
        j++;
    }
    ob->phase[j].join += join;
    if (join > 0) {
        ob->phase[j].clock = 0; /* the force is there: no fait accompli */
        if (pl->eu_from < 0)
            pl->eu_from = j;
    }
    if (us && pl->us_from < 0)
        pl->us_from = j;
}

/* Sets every phase's rates: the defenders' mix of force and Ukrainian
 * battalions at the phase's start, US air power from us_from on. */
static void set_rates(plan *pl, const reassurance_params *p)
{
    outlook_battle *ob = &pl->ob;
    double f = 0;
    for (int j = 0; j < ob->n_phases; j++) {
        f += (double)ob->phase[j].join;
        double y = pl->y_local + f;
        double mix = y > 0 ? (pl->y_local + f * p->force_effectiveness) / y : 1.0;
        ob->phase[j].a = p->attacker_kill_rate;
        ob->phase[j].b = p->defender_kill_rate * mix *
                         (pl->us_from >= 0 && j >= pl->us_from ? p->us_air_attrition_multiplier
                                                               : 1.0);
    }
}

/* Solves one plan: the chance of success and of war. */
static void solve(const state *s, const plan *pl, double *ps, double *p_join, double *p_war)
{
    const reassurance_params *p = s->p;
    outlook_result r;
    if (outlook_solve(&pl->ob, &r) != 0) { /* a grid too large: attacks of that size win */
        *ps = 1;
        *p_join = 0;
        *p_war = 0;
        return;
    }
    double hazard = 0;
    for (int j = 0; j < pl->ob.n_phases; j++) {
        if (pl->eu_from >= 0 && j >= pl->eu_from)
            hazard += p->war_per_loss_europe * r.losses[j];
        if (pl->us_from >= 0 && j >= pl->us_from)
            hazard += p->war_per_loss_us * r.losses[j];
    }
    *ps = r.p_success;
    *p_join = pl->eu_from >= 0 ? r.p_reach[pl->eu_from] : 0;
    *p_war = 1.0 - exp(-hazard);
}

static plan plan_of(const state *s, attack kind)
{
    const reassurance_params *p = s->p;
    plan pl = {.eu_from = -1, .us_from = -1};
    outlook_battle *ob = &pl.ob;
    ob->x_break_fraction = p->attacker_break_fraction;
    ob->y_break_fraction = p->defender_break_fraction;
    ob->n_phases = 1;
    if (kind == ATTACK_PROBE) {
        ob->x0 = p->probe_battalions;
        ob->y0 = p->local_battalions;
        ob->clock_stages = (int)p->fait_accompli_stages;
        ob->clock_rate = (double)p->fait_accompli_stages / p->fait_accompli_days;
        ob->phase[0].clock = 1;
    } else {
        ob->x0 = p->offensive_battalions;
        ob->y0 = p->holding_battalions;
    }
    pl.y_local = (double)ob->y0;
    return pl;
}

typedef struct arrival {
    double t;
    int64_t join;
    int us;
} arrival;

/* Russia's outlook against n1 + n2 battalions sent (probes: n1 only). */
static void outlook_entry_fill(const state *s, outlook_entry *en)
{
    const reassurance_params *p = s->p;
    double r_days = rs_response_days(s);
    double later = r_days > p->combat_approval_days ? r_days : p->combat_approval_days;
    int64_t n2 = en->kind == ATTACK_OFFENSIVE ? en->n2 : 0;
    double first = en->n1 > 0 ? r_days : later;
    double ps[2], join[2], war[2];
    for (int us = 0; us < 2; us++) {
        plan pl = plan_of(s, en->kind);
        /* The waves and US air power, in time order (insertion sort of
         * three); events at one time merge into one phase. */
        arrival ev[3];
        int n = 0;
        if (en->n1 > 0)
            ev[n++] = (arrival){r_days, en->n1, 0};
        if (n2 > 0)
            ev[n++] = (arrival){later, n2, 0};
        if (us && n > 0)
            ev[n++] = (arrival){first + p->us_delay_days, 0, 1};
        for (int i = 1; i < n; i++)
            for (int j = i; j > 0 && ev[j].t < ev[j - 1].t; j--) {
                arrival t = ev[j];
                ev[j] = ev[j - 1];
                ev[j - 1] = t;
            }
        for (int i = 0; i < n; i++)
            add_event(&pl, ev[i].t, ev[i].join, ev[i].us);
        set_rates(&pl, p);
        solve(s, &pl, &ps[us], &join[us], &war[us]);
    }
    double q = p->us_enabled ? p->us_engage_probability : 0;
    en->ps_force = q * ps[1] + (1 - q) * ps[0];
    en->p_join = join[0];
    en->p_war = q * war[1] + (1 - q) * war[0];
}

static void memo_check(state *s)
{
    outlook_memo *m = &s->memo;
    if (m->valid && memcmp(&m->params, s->p, sizeof m->params) == 0)
        return;
    memset(m, 0, sizeof *m);
    m->params = *s->p;
    m->valid = 1;
    for (int k = 0; k < 2; k++) {
        plan pl = plan_of(s, (attack)k);
        set_rates(&pl, s->p);
        double join, war;
        solve(s, &pl, &m->ps_none[k], &join, &war);
    }
}

const outlook_entry *rs_outlook(state *s, attack kind)
{
    memo_check(s);
    int64_t n1, n2;
    if (kind == ATTACK_PROBE) {
        n1 = rs_qrf_battalions(s);
        n2 = 0;
    } else {
        rs_offensive_battalions(s, &n1, &n2);
    }
    uint64_t h = ((uint64_t)n1 * 1000003u + (uint64_t)n2 * 7919u + (uint64_t)kind) % MEMO_SIZE;
    for (int probe = 0; probe < MEMO_SIZE; probe++) {
        outlook_entry *en = &s->memo.e[(h + (uint64_t)probe) % MEMO_SIZE];
        if (en->used && en->kind == kind && en->n1 == n1 && en->n2 == n2)
            return en;
        if (!en->used) {
            *en = (outlook_entry){.used = 1, .kind = kind, .n1 = n1, .n2 = n2};
            outlook_entry_fill(s, en);
            return en;
        }
    }
    /* Full (more than MEMO_SIZE force sizes at one point): start over. */
    memset(s->memo.e, 0, sizeof s->memo.e);
    outlook_entry *en = &s->memo.e[h];
    *en = (outlook_entry){.used = 1, .kind = kind, .n1 = n1, .n2 = n2};
    outlook_entry_fill(s, en);
    return en;
}

/* The state's shift of the go-ahead's logit. */
static double pulls(const state *s)
{
    const reassurance_params *p = s->p;
    double z = 0;
    if (s->regime == REGIME_HIGH)
        z += p->violation_pull;
    if (s->rung > RUNG_FLOOR_HIGH)
        z += p->escalation_pull * (double)(s->rung - RUNG_FLOOR_HIGH);
    z += p->territory_pull * s->faits_accomplis;
    return z;
}

/* The net value of an attack: P_s - C - kappa under the deterrence form,
 * with `sure` = 1 when the force is already committed (interposition). */
static double net_value(state *s, attack kind, int sure)
{
    const reassurance_params *p = s->p;
    memo_check(s);
    double kappa = kind == ATTACK_PROBE ? p->probe_threshold : p->offensive_threshold;
    double ps_none = s->memo.ps_none[kind];
    if (p->deterrence == DETER_V1)
        return ps_none - kappa;
    const outlook_entry *en = rs_outlook(s, kind);
    int fields = en->n1 + en->n2 > 0 && rs_force_fights(s);
    double r = !fields ? 0 : sure ? 1 : s->resolve;
    double join = sure ? 1 : en->p_join;
    double ps = r * en->ps_force + (1 - r) * ps_none;
    /* Presence at the line: a force that fields battalions is caught up in
     * an offensive near its bases whether or not it is sent. */
    double e_line = kind == ATTACK_OFFENSIVE && en->n1 + en->n2 > 0 && !s->collapsed
                        ? rs_exposure(s) : 0;
    double p_eu = r * join + (1 - r * join) * e_line;
    double p_us = p->us_enabled ? r * join * p->us_engage_probability : 0;
    double cost = p->cost_europe * p_eu + p->cost_us * p_us + p->cost_war * r * en->p_war;
    switch (p->deterrence) {
    case DETER_DENIAL:
        return ps - kappa;
    case DETER_PUNISHMENT:
        return ps_none - cost - kappa;
    default:
        return ps - cost - kappa;
    }
}

double rs_go_ahead(state *s, attack kind)
{
    const reassurance_params *p = s->p;
    double go = sigmoid(p->rationality * net_value(s, kind, 0) + pulls(s));
    if (p->deterrence == DETER_V1)
        go *= 1.0 - rs_v1_deterrence(s);
    return go;
}

/* Interposition: with the force in the way, Russia decides again whether
 * to press a probe on; v1 halted with probability D. */
double rs_press_on(state *s)
{
    const reassurance_params *p = s->p;
    if (p->deterrence == DETER_V1)
        return 1.0 - rs_v1_deterrence(s);
    return sigmoid(p->rationality * net_value(s, ATTACK_PROBE, 1) + pulls(s));
}
