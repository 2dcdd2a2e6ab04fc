/* reassurance_sim.h — internal to the reassurance model: its replication
 * state and what its three files share.
 *
 *   model_reassurance.c  the ladder, violations, Russian decisions, the
 *                        replication's start and end, the model table
 *   reassurance_force.c  the force: response time, exposure, perceived
 *                        deterrence, contingents, casualties and politics
 *   reassurance_fight.c  engagements: probes, offensives, Lanchester
 *                        attrition, the backstop, strikes on bases
 *
 * Nothing here is used outside those files. All functions take the state;
 * none keeps any of its own.
 */
#ifndef REASSURE_REASSURANCE_SIM_H
#define REASSURE_REASSURANCE_SIM_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "battle.h"
#include "des.h"
#include "model.h"
#include "reassurance.h"

enum { EV_START, EV_REGIME, EV_DECISION, EV_ARRIVE, EV_FORCE_JOINS, EV_DEADLINE, EV_LOSS,
       EV_US_ENGAGES, N_EVENTS };
enum { S_VIOLATIONS, S_DECISIONS, S_COMBAT, S_BACKSTOP, S_BASE_STRIKES, S_HARASSMENT,
       S_REGIMES, S_US_WAR, S_INTERPOSITION, N_STREAMS };
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
    int fight_id;        /* numbers engagements: late events of an ended one are void */
    int us_engaged;      /* US air power engaged in this engagement */
    int us_ever_engaged, us_in_this_fight, offensive, breakthrough;
    double offensive_ready;  /* no new offensive before this day */

    double first_breach;
    double cas_force, cas_ukraine, cas_russia, territory;
    int probes, probes_repelled;
    double worst_attacker_rate, worst_defender_rate;
} state;

static const des_payload NONE = {0, 0, 0.0};


/* model_reassurance.c: the ladder and the story channel */
void rs_say(const state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rs_set_rung(state *s);
void rs_climb(state *s, int rung);
void rs_war(state *s, const char *why);
void rs_relapse(state *s);

/* reassurance_force.c */
double rs_present_share(const state *s, int fighting);
double rs_present_troops(const state *s);
double rs_strength(const state *s, int fighting);
int64_t rs_battalions(const state *s, double troops);
double rs_response_days(const state *s);
double rs_exposure(const state *s);
double rs_deterrence(const state *s);
void rs_force_casualties(state *s, double troops, int in_combat);
void rs_arrive(state *s, int i);
void rs_on_arrive(des_engine *e, void *st, const des_event *ev);
void rs_consent(state *s);

/* reassurance_fight.c */
void rs_probe(state *s);
void rs_offensive(state *s);
void rs_record_rates(state *s);
void rs_on_loss(des_engine *e, void *st, const des_event *ev);
void rs_on_us_engages(des_engine *e, void *st, const des_event *ev);
void rs_on_force_joins(des_engine *e, void *st, const des_event *ev);
void rs_on_deadline(des_engine *e, void *st, const des_event *ev);

#endif
