/* reassurance.h — parameters of the reassurance escalation model.
 *
 * One struct, filled from the schema table in sim/models/reassurance/keys.c (the
 * only place keys, defaults, ranges, units and sources are written down);
 * the simulation in sim/models/reassurance/model.c reads it. Units are in the
 * names: days, km, troops, battalions, km2, 1/day.
 */
#ifndef REASSURE_REASSURANCE_H
#define REASSURE_REASSURANCE_H

#include <stdint.h>

#include "schema.h"

enum { MAX_CONTRIBUTORS = 16 };

typedef enum mandate { MANDATE_DETERRENCE, MANDATE_MONITORING, MANDATE_PEACEKEEPING } mandate;
typedef enum regime { REGIME_HIGH, REGIME_LOW } regime;
/* How Russia weighs an attack (docs/model.md, section 5.2). */
typedef enum deterrence_form { DETER_BOTH, DETER_DENIAL, DETER_PUNISHMENT, DETER_V1 } deterrence_form;

typedef struct contributor {
    char name[SCH_STR];
    double share;              /* of force.troops */
    int prior_approval;        /* needs a parliamentary vote to deploy and to fight */
    int64_t casualty_tolerance; /* troops lost at which its support is gone */
} contributor;

typedef struct reassurance_params {
    double horizon_days;

    int64_t troops;
    double basing_distance_km;
    double readiness_days;
    double move_km_per_day;
    int mandate;
    double qrf_fraction;
    int64_t battalion_troops;
    double force_effectiveness;
    double monitoring_deterrence;
    double peacekeeping_deterrence;

    int us_enabled;
    double us_engage_probability;
    double us_delay_days;
    double us_warning_bonus_days;
    double us_air_attrition_multiplier;
    double us_deterrence_weight;

    contributor contributors[MAX_CONTRIBUTORS];
    int n_contributors;
    double approval_delay_days;
    double combat_approval_days;
    double casualty_tolerance_scale;
    double success_bonus;
    double collapse_fraction;

    double border_distance_km;

    int deterrence;                 /* deterrence_form */
    double decision_scale_days;     /* Weibull epochs: cumulative hazard (t / scale)^shape */
    double decision_shape;
    double offensive_intent;        /* chance an epoch brings each intent */
    double probe_intent;
    double harass_intent;
    double deescalate_probability;
    double rationality;             /* beta of the logistic choice */
    double offensive_threshold;     /* kappa: net value at which go-ahead is even */
    double probe_threshold;
    double cost_europe;             /* c_eu, c_us, c_war: in units of a success */
    double cost_us;
    double cost_war;
    double resolve_prior;           /* Russia's belief that the force will fight */
    double violation_pull;          /* logit shifts from the state */
    double escalation_pull;
    double territory_pull;
    int64_t offensive_battalions;
    int64_t probe_battalions;
    double fait_accompli_days;
    int64_t fait_accompli_stages;
    double regeneration_days;
    double probe_gain_km2;
    double breakthrough_gain_km2;
    double credibility_step;
    double fires_range_km;
    double harass_casualty_probability;
    int64_t harass_casualties;
    double base_strike_per_loss;
    double nato_strike_factor;
    double war_per_loss_europe;
    double war_per_loss_us;
    /* v1's perceived deterrence (russia.deterrence = "v1" only) */
    double deterrence_troops_half;
    double deterrence_response_days;

    int64_t holding_battalions;
    int64_t local_battalions;

    double attacker_kill_rate;
    double defender_kill_rate;
    double attacker_break_fraction;
    double defender_break_fraction;

    double high_mean_per_day;
    double high_dispersion;
    double low_mean_per_day;
    double low_dispersion;
    double recommitment_rate_per_day;
    double relapse_rate_per_day;
    int initial_regime;
} reassurance_params;

/* The count is checked by the compiler: the definition's initializer must
 * have exactly this many rows. */
#define REASSURANCE_N_KEYS 71
extern const sch_key reassurance_keys[REASSURANCE_N_KEYS];

/* Checks that span keys (none of one key's range can express). */
int reassurance_check(const void *params, const char *file, err *e);

#endif
