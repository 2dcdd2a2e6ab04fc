/* reassurance_sim.h — internal to the reassurance model: its replication
 * state and what its three files share.
 *
 *   model_reassurance.c  the ladder, violations, decision epochs, the
 *                        replication's start and end, the model table
 *   reassurance_choice.c Russia's choice: the chance of success of an
 *                        attack (outlook.h, cached per sweep point), the
 *                        expected cost of punishment, the go-ahead
 *   reassurance_force.c  the force: response time, exposure, v1's
 *                        perceived deterrence, contingents, casualties
 *                        and politics
 *   reassurance_fight.c  engagements: probes, offensives, Lanchester
 *                        attrition, the backstop, escalation in combat
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
       S_REGIMES, S_ESCALATION, S_INTERPOSITION, S_PROBE_CLOCK, N_STREAMS };
enum { O_QUIET, O_CONTESTED, O_REPELLED, O_BREAKTHROUGH, O_COLLAPSE, O_WAR, N_OUTCOMES };
enum { M_MAX_RUNG, M_FIRST_BREACH, M_FORCE_CAS, M_UKRAINE_CAS, M_RUSSIA_CAS, M_TERRITORY,
       M_WITHDRAWN, M_US_ENGAGED, M_PROBES, M_PROBES_REPELLED, M_VIOLATIONS, M_HIGH_DAYS,
       M_ATTACKER_LOSS_RATE, M_DEFENDER_LOSS_RATE, M_OFFENSIVE, M_OFFENSIVE_SUCCEEDED,
       M_COLLAPSED, M_WAR, N_MEASURES };
enum { MAX_LADDER = 16, MEMO_SIZE = 64 };

/* The escalation ladder (docs/model.md, section 3): max_rung is the
 * measure, RUNG_LAND_GRAB is the first breach, RUNG_WAR ends the
 * replication. The floor is RUNG_FLOOR_LOW or RUNG_FLOOR_HIGH by the
 * violation regime, so RUNG_STABLE is never reached. */
typedef enum rung {
    RUNG_STABLE = 0,           /* ceasefire stable */
    RUNG_FLOOR_LOW = 1,        /* small-arms violations: the floor, low regime */
    RUNG_FLOOR_HIGH = 2,       /* heavy or proscribed weapons: the floor, high regime */
    RUNG_HARASSMENT = 3,       /* harassment of monitors or the force */
    RUNG_LAND_GRAB = 4,        /* localised land grab (a probe): the first breach */
    RUNG_FORCE_CASUALTIES = 5, /* casualties to the reassurance force */
    RUNG_COALITION_COMBAT = 6, /* coalition combat response; US backstop decided */
    RUNG_OFFENSIVE = 7,        /* large conventional offensive */
    RUNG_BASE_STRIKES = 8,     /* strikes on rear bases */
    RUNG_WAR = 9               /* direct NATO-Russia war */
} rung;
typedef enum attack { ATTACK_PROBE, ATTACK_OFFENSIVE } attack;

typedef enum fight { FIGHT_NONE, FIGHT_PROBE, FIGHT_OFFENSIVE } fight;

typedef struct nation {
    int present;      /* deployed in theatre */
    int consents;     /* may join combat */
    int withdrawn;
    double casualties;
} nation;

/* Russia's outlook on one attack against a force that fields n1
 * consenting and n2 not yet consenting battalions (reassurance_choice.c). */
typedef struct outlook_entry {
    int used;
    attack kind;
    int64_t n1, n2;
    double ps_force;  /* chance of success if the force is sent */
    double p_join;    /* chance the force joins before the attack has ended */
    double p_war;     /* chance the fighting becomes a NATO-Russia war, force sent */
} outlook_entry;

/* Per thread, kept across replications: a pure function of the point's
 * parameters (memo_params), so it changes speed, never results. */
typedef struct outlook_memo {
    reassurance_params params;
    int valid;
    double ps_none[2];      /* per attack, with no force */
    outlook_entry e[MEMO_SIZE];
} outlook_memo;

typedef struct state {
    const reassurance_params *p;
    gsl_rng *const *rng;
    const model_trace *trace;
    des_engine *e;

    rung rung, tension, max_rung;
    rung ladder[MAX_LADDER]; /* tensions left by each climb: where de-escalation returns */
    int depth;
    int regime;
    des_handle regime_event;
    double spell_start;
    double violations, high_days;

    nation nations[MAX_CONTRIBUTORS];
    double credibility;  /* v1's multiplier of the force's deterrence */
    double resolve;      /* Russia's belief that the force will fight */
    int successes;       /* repelled probes and offensives: raise tolerance */
    int faits_accomplis;
    int collapsed, withdrawn;

    fight fight;         /* the engagement under way */
    battle bt;           /* X = Russia, Y = defenders */
    int64_t x0, y0;      /* at the start of the engagement */
    int64_t force_in;    /* force battalions among the defenders */
    double fight_start;
    int fight_depth;     /* ladder depth when it began: where it returns */
    int eu_in;           /* force battalions have joined this engagement */
    int struck;          /* the bases were struck in this engagement */
    des_handle next_loss, deadline;
    int fight_id;        /* numbers engagements: late events of an ended one are void */
    int us_engaged;      /* US air power engaged in this engagement */
    int us_ever_engaged, us_in_this_fight, offensive, breakthrough;
    int war;
    double offensive_ready;  /* no new offensive before this day */

    double first_breach;
    double cas_force, cas_ukraine, cas_russia, territory;
    int probes, probes_repelled;
    double worst_attacker_rate, worst_defender_rate;

    outlook_memo memo;   /* must stay last: start() keeps it */
} state;

static const des_payload NONE = {0, 0, 0.0};


/* model_reassurance.c: the ladder and the story channel */
void rs_say(const state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rs_set_rung(state *s);
void rs_climb(state *s, rung to);
void rs_war(state *s, const char *why);
void rs_relapse(state *s);
void rs_step_down(state *s, int depth);

/* reassurance_force.c */
double rs_present_share(const state *s, int fighting);
double rs_present_troops(const state *s);
double rs_strength(const state *s, int fighting);
int64_t rs_battalions(const state *s, double troops);
double rs_response_days(const state *s);
double rs_exposure(const state *s);
double rs_v1_deterrence(const state *s);
void rs_resolve(state *s, int fought);
void rs_force_casualties(state *s, double troops, int in_combat);
void rs_arrive(state *s, int i);
void rs_on_arrive(des_engine *e, void *st, const des_event *ev);
void rs_consent(state *s);

/* reassurance_choice.c */
double rs_go_ahead(state *s, attack kind);
double rs_press_on(state *s);
const outlook_entry *rs_outlook(state *s, attack kind);

/* reassurance_fight.c */
int64_t rs_qrf_battalions(const state *s);
void rs_offensive_battalions(const state *s, int64_t *n1, int64_t *n2);
int rs_force_fights(const state *s);
void rs_probe(state *s);
void rs_offensive(state *s);
void rs_record_rates(state *s);
void rs_on_loss(des_engine *e, void *st, const des_event *ev);
void rs_on_us_engages(des_engine *e, void *st, const des_event *ev);
void rs_on_force_joins(des_engine *e, void *st, const des_event *ev);
void rs_on_deadline(des_engine *e, void *st, const des_event *ev);

#endif
