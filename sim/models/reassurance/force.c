/* reassurance_force.c — the reassurance force as Russia sees it and as its
 * parliaments do: response time, exposure to fires, Russia's belief in its
 * resolve (and v1's perceived deterrence), contingents arriving and
 * consenting to combat, casualties and support.
 * Formulas: docs/model.md. (Part of the reassurance model: reassurance_sim.h.)
 */
#include <math.h>

#include "reassurance_sim.h"

double rs_present_share(const state *s, int fighting)
{
    double share = 0;
    for (int i = 0; i < s->p->n_contributors; i++) {
        const nation *n = &s->nations[i];
        if (n->present && !n->withdrawn && (!fighting || n->consents))
            share += s->p->contributors[i].share;
    }
    return share;
}

/* Troops in theatre (fighting = 1: only contingents that may fight): each
 * contingent's share of force.troops less its casualties. */
double rs_strength(const state *s, int fighting)
{
    double troops = 0;
    for (int i = 0; i < s->p->n_contributors; i++) {
        const nation *n = &s->nations[i];
        if (!n->present || n->withdrawn || (fighting && !n->consents))
            continue;
        double t = s->p->contributors[i].share * (double)s->p->troops - n->casualties;
        troops += t > 0 ? t : 0;
    }
    return troops;
}

double rs_present_troops(const state *s)
{
    return rs_strength(s, 0);
}

int64_t rs_battalions(const state *s, double troops)
{
    return (int64_t)floor(troops / (double)s->p->battalion_troops);
}

/* Days from alert to the line; the US warning comes off when it exists. */
double rs_response_days(const state *s)
{
    const reassurance_params *p = s->p;
    double t = p->readiness_days + p->basing_distance_km / p->move_km_per_day;
    if (p->us_enabled)
        t -= p->us_warning_bonus_days;
    return t > 0 ? t : 0;
}

/* Exposure of the bases to Russian fires short of war: 0 on NATO soil. */
double rs_exposure(const state *s)
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

static double mandate_weight(const reassurance_params *p)
{
    return p->mandate == MANDATE_DETERRENCE     ? 1.0
           : p->mandate == MANDATE_PEACEKEEPING ? p->peacekeeping_deterrence
                                                : p->monitoring_deterrence;
}

/* v1's perceived deterrence in [0, 1] (russia.deterrence = "v1" only):
 * superseded, kept for comparison. See docs/model.md, 5.2. */
double rs_v1_deterrence(const state *s)
{
    const reassurance_params *p = s->p;
    double troops = s->collapsed ? 0 : rs_present_troops(s);
    double d_force = 0;
    if (troops > 0) {
        double h = p->deterrence_troops_half;
        double size = troops * troops / (troops * troops + h * h);
        double time = 1.0 / (1.0 + rs_response_days(s) / p->deterrence_response_days);
        double mandate = mandate_weight(p);
        d_force = size * time * mandate * cohesion(s) * s->credibility;
        if (d_force > 1)
            d_force = 1;
    }
    /* The backstop backs a force that fights: weighted by the mandate. */
    double d_us = p->us_enabled && troops > 0
                      ? p->us_deterrence_weight * p->us_engage_probability * mandate_weight(p)
                      : 0;
    return 1.0 - (1.0 - d_force) * (1.0 - d_us);
}

/* Force casualties fall in proportion to shares: in combat on the
 * contingents that may fight, otherwise (harassment, strikes on the bases)
 * on every contingent present. */
void rs_force_casualties(state *s, double troops, int in_combat)
{
    const reassurance_params *p = s->p;
    if (troops <= 0)
        return;
    s->cas_force += troops;
    int fighting = in_combat && rs_present_share(s, 1) > 0;
    double share = rs_present_share(s, fighting);
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
                rs_say(s, "%s withdraws: %.0f casualties exhausted public support",
                    p->contributors[i].name, n->casualties);
            }
        }
        if (n->withdrawn)
            withdrawn_share += p->contributors[i].share;
    }
    if (!s->collapsed && withdrawn_share > 1.0 - p->collapse_fraction + 1e-12) {
        s->collapsed = 1;
        rs_say(s, "the coalition collapses: %.0f%% of the force has gone home",
            100 * withdrawn_share);
    }
}

void rs_arrive(state *s, int i)
{
    s->nations[i].present = 1;
    s->nations[i].consents = !s->p->contributors[i].prior_approval;
}

void rs_on_arrive(des_engine *e, void *st, const des_event *ev)
{
    (void)e;
    state *s = st;
    rs_arrive(s, ev->p.i0);
    const contributor *c = &s->p->contributors[ev->p.i0];
    rs_say(s, "%s's contingent (%.0f troops) deploys after its parliamentary vote", c->name,
        c->share * (double)s->p->troops);
}

/* Parliaments have voted: every contingent present may now fight. */
void rs_consent(state *s)
{
    for (int i = 0; i < s->p->n_contributors; i++)
        if (s->nations[i].present)
            s->nations[i].consents = 1;
}


/* Russia's belief that the force will fight moves a step of the way to 1
 * when it fights (force battalions joined an engagement) and to 0 when a
 * fait accompli goes unanswered while it could have been; v1's
 * credibility moves by the same step, within [0, 2]. */
void rs_resolve(state *s, int fought)
{
    double step = s->p->credibility_step;
    if (fought) {
        s->resolve += step * (1.0 - s->resolve);
        s->credibility += step;
    } else {
        s->resolve -= step * s->resolve;
        s->credibility -= step;
    }
    if (s->credibility < 0)
        s->credibility = 0;
    if (s->credibility > 2)
        s->credibility = 2;
}
