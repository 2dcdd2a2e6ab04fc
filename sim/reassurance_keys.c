/* reassurance_keys.c — every scenario key of the reassurance model.
 *
 * The one table (schema.h) from which the loader checks and defaults the
 * keys, `reassure check` prints them and `make docs` writes
 * docs/scenarios.md. Sources name the literature of MODEL.md; "assumption"
 * marks a judgement, and "calibrated" a value set so that the default
 * scenario family meets MODEL.md's calibration targets (the tests check
 * them; docs/model.md explains each).
 */
#include <math.h>
#include <stddef.h>

#include "reassurance.h"

#define P(f) offsetof(reassurance_params, f)
#define REAL(path, f, def, lo, hi, lo_open, unit, desc, src) \
    {path, SCH_REAL, P(f), def, lo, hi, lo_open, 0, NULL, unit, desc, src, NULL}
#define INT(path, f, def, lo, hi, unit, desc, src) \
    {path, SCH_INT, P(f), def, lo, hi, 0, 0, NULL, unit, desc, src, NULL}
#define BOOL(path, f, def, desc, src) \
    {path, SCH_BOOL, P(f), def, 0, 1, 0, 0, NULL, "", desc, src, NULL}
#define CHOICE(path, f, def, choices, desc, src) \
    {path, SCH_CHOICE, P(f), def, 0, 0, 0, 0, choices, "", desc, src, NULL}

#define C(f) offsetof(contributor, f)
static const sch_key contributor_fields[] = {
    {"name", SCH_STRING, C(name), 0, 0, 0, 0, 0, NULL, "", "contributor (country or group)",
     "coalition of the willing, 2025 reporting", NULL},
    {"share", SCH_REAL, C(share), 0, 0, 1, 1, 0, NULL, "", "share of force.troops it provides",
     "assumption: UK and France lead (2025 reporting)", NULL},
    {"prior_approval", SCH_BOOL, C(prior_approval), 0, 0, 1, 0, 0, NULL, "",
     "needs a parliamentary vote before deploying and before fighting",
     "national deployment law (e.g. Germany's Parlamentsvorbehalt)", NULL},
    {"casualty_tolerance", SCH_INT, C(casualty_tolerance), 300, 1, 1e7, 0, 0, NULL, "troops",
     "casualties at which public support is gone and it withdraws",
     "assumption; support falls with log casualties (Mueller 1973)", NULL},
};

static const contributor default_contributors[] = {
    {"United Kingdom", 0.30, 0, 500},
    {"France", 0.30, 0, 500},
    {"Nordic-Baltic", 0.20, 1, 300},
    {"Other Europe", 0.20, 1, 150},
};

static const sch_list contributors_list = {
    .fields = contributor_fields,
    .n_fields = sizeof contributor_fields / sizeof contributor_fields[0],
    .record_size = sizeof(contributor),
    .max_records = MAX_CONTRIBUTORS,
    .count_offset = P(n_contributors),
    .defaults = default_contributors,
    .n_defaults = sizeof default_contributors / sizeof default_contributors[0],
    .sum_to_one = "share",
};

static const char *const mandates[] = {"deterrence", "monitoring", "peacekeeping", NULL};
static const char *const regimes[] = {"high", "low", NULL};

static const char SRC_MODEL[] = "MODEL.md";
static const char SRC_RAND[] = "Shlapak & Johnson, RAND 2016";
static const char SRC_OSCE_HIGH[] = "OSCE SMM daily reports, 2017 and May 2020 (750-1,100/day)";
static const char SRC_OSCE_LOW[] = "OSCE SMM, July 2020-March 2021 (~47/day, zero days)";
static const char SRC_CAL[] = "calibrated: no force, no backstop -> P(rung >= 7) ~ 0.5 in 730 days";
static const char SRC_QJM[] = "calibrated to Dupuy QJM loss rates and the 3:1 rule";

const sch_key reassurance_keys[] = {
    REAL("horizon_days", horizon_days, 730, 1, 36500, 0, "days",
         "length of a replication from the start of the ceasefire", SRC_MODEL),

    INT("force.troops", troops, 20000, 0, 200000, "troops",
        "size of the reassurance force; 0 is the no-force counterfactual",
        "UK officials: 10,000 minimum, ~30,000 with rotation (2025)"),
    REAL("force.basing_distance_km", basing_distance_km, 400, 0, 5000, 0, "km",
         "distance of the force's bases from the ceasefire line",
         "plans put it 'farther from the ceasefire line, perhaps even outside Ukraine'"),
    REAL("force.readiness_days", readiness_days, 2, 0, 90, 0, "days",
         "alert-to-move time of the force's quick-reaction element",
         "assumption; US Army brigades at home: 9-40 days after alert (2017)"),
    REAL("force.move_km_per_day", move_km_per_day, 150, 0, 2000, 1, "km/day",
         "road-march rate from the bases to the line", "assumption (mechanised road march)"),
    CHOICE("force.mandate", mandate, MANDATE_DETERRENCE, mandates,
           "deterrence: fights a probe; monitoring: only reports it; peacekeeping: interposes",
           SRC_MODEL),
    REAL("force.qrf_fraction", qrf_fraction, 0.25, 0, 1, 0, "",
         "share of the force sent against a probe (quick-reaction force)", "assumption"),
    INT("force.battalion_troops", battalion_troops, 800, 100, 5000, "troops",
        "troops per battalion, the unit of combat", SRC_MODEL),
    REAL("force.effectiveness", force_effectiveness, 1.5, 0, 10, 1, "",
         "combat effectiveness of a force battalion relative to a Ukrainian one",
         "assumption (NATO equipment and training)"),
    REAL("force.monitoring_deterrence", monitoring_deterrence, 0.25, 0, 1, 0, "",
         "deterrent weight of a monitoring mandate relative to deterrence", "assumption"),
    REAL("force.peacekeeping_deterrence", peacekeeping_deterrence, 0.6, 0, 1, 0, "",
         "deterrent weight of a peacekeeping mandate relative to deterrence", "assumption"),

    BOOL("us_backstop.enabled", us_enabled, 0,
         "a US backstop: air protection, intelligence, satellite surveillance", SRC_MODEL),
    REAL("us_backstop.engage_probability", us_engage_probability, 0.7, 0, 1, 0, "",
         "chance that US air power engages once the force fights", "assumption"),
    REAL("us_backstop.delay_days", us_delay_days, 2, 0, 90, 0, "days",
         "delay from the force's first combat to US air engagement", "assumption"),
    REAL("us_backstop.warning_bonus_days", us_warning_bonus_days, 2, 0, 30, 0, "days",
         "earlier warning of an attack from US intelligence (ISR)", "assumption"),
    REAL("us_backstop.air_attrition_multiplier", us_air_attrition_multiplier, 2, 1, 20, 0, "",
         "factor on the attackers' loss rate while US air power is engaged", "assumption"),
    REAL("us_backstop.deterrence_weight", us_deterrence_weight, 0.7, 0, 1, 0, "",
         "perceived deterrence of a certain backstop (times engage_probability)",
         "calibrated: 30k with backstop cuts P(rung >= 7) by 50-75% (Fortna 2008)"),

    {"coalition.contributors", SCH_LIST, P(contributors), 0, 0, 0, 0, 0, NULL, "",
     "the contributing nations (name, share, prior_approval, casualty_tolerance); shares sum to 1",
     "coalition of the willing, 2025 reporting", &contributors_list},
    REAL("coalition.approval_delay_days", approval_delay_days, 30, 0, 365, 0, "days",
         "delay before a contingent that needs prior approval deploys", "assumption"),
    REAL("coalition.combat_approval_days", combat_approval_days, 7, 0, 365, 0, "days",
         "delay before such a contingent may join combat", "assumption"),
    REAL("coalition.casualty_tolerance_scale", casualty_tolerance_scale, 1, 0, 100, 1, "",
         "multiplies every contributor's casualty_tolerance (for sweeps)", "assumption"),
    REAL("coalition.success_bonus", success_bonus, 0.5, 0, 10, 0, "",
         "extra tolerance per repelled probe or offensive (expected success)",
         "Gelpi, Feaver & Reifler 2005"),
    REAL("coalition.collapse_fraction", collapse_fraction, 0.5, 0, 1, 0, "",
         "the coalition has collapsed when less than this share of the force remains",
         "assumption"),

    REAL("geography.border_distance_km", border_distance_km, 700, 0, 5000, 0, "km",
         "distance from the ceasefire line to the nearest NATO border; bases beyond it are "
         "on NATO territory", "geography: Donbas front to the Polish/Romanian border"),

    REAL("russia.decision_rate_per_day", decision_rate_per_day, 0.1, 0, 10, 1, "1/day",
         "rate of Russian decisions whether to climb the ladder", "assumption"),
    REAL("russia.offensive_probability", offensive_probability, 0.0095, 0, 1, 0, "",
         "chance per decision of a large offensive with no deterrence at all", SRC_CAL),
    REAL("russia.probe_probability", probe_probability, 0.02, 0, 1, 0, "",
         "chance per decision of a localised land grab with no deterrence",
         "assumption: about 1.5 probes in two years with no force"),
    REAL("russia.harass_probability", harass_probability, 0.03, 0, 1, 0, "",
         "chance per decision of harassment (drones, EW, sabotage)", "assumption"),
    REAL("russia.deescalate_probability", deescalate_probability, 0.5, 0, 1, 0, "",
         "chance per decision without escalation that tension eases by a rung",
         "assumption"),
    INT("russia.offensive_battalions", offensive_battalions, 90, 1, 5000, "battalions",
        "attackers in a large offensive (3:1 against the holding force)",
        "Mearsheimer: >= 3:1 locally"),
    INT("russia.probe_battalions", probe_battalions, 4, 1, 500, "battalions",
        "attackers in a localised land grab", "Debaltseve, February 2015 (assumption on size)"),
    REAL("russia.fait_accompli_days", fait_accompli_days, 3, 0, 90, 1, "days",
         "time for a probe to seize its objective and dig in",
         "Debaltseve fell 3 days after Minsk II; RAND: 36-60 hours"),
    REAL("russia.regeneration_days", regeneration_days, 180, 0, 36500, 0, "days",
         "time a culminated offensive needs before another can be mounted",
         "assumption (force regeneration after a failed offensive)"),
    REAL("russia.probe_gain_km2", probe_gain_km2, 150, 0, 1e6, 0, "km2",
         "territory a successful probe takes", "assumption"),
    REAL("russia.breakthrough_gain_km2", breakthrough_gain_km2, 6000, 0, 1e7, 0, "km2",
         "territory a breakthrough takes", "assumption"),
    REAL("russia.deterrence_troops_half", deterrence_troops_half, 25000, 0, 1e6, 1, "troops",
         "force size at which its size counts half in perceived deterrence",
         "RAND: ~30-35k needed; Reiter & Poast 2021: tripwires do not deter"),
    REAL("russia.deterrence_response_days", deterrence_response_days, 3, 0, 365, 1, "days",
         "response time at which the force's deterrence is halved", SRC_RAND),
    REAL("russia.credibility_step", credibility_step, 0.15, 0, 1, 0, "",
         "credibility gained by a repelled probe, lost by an unanswered fait accompli",
         SRC_MODEL),
    REAL("russia.fires_range_km", fires_range_km, 70, 0, 5000, 1, "km",
         "scale of Russian fires: exposure falls as exp(-distance / range)",
         "artillery tens of km; drones and missiles further"),
    REAL("russia.harass_casualty_probability", harass_casualty_probability, 0.3, 0, 1, 0, "",
         "chance that harassment at the line causes force casualties", "assumption"),
    INT("russia.harass_casualties", harass_casualties, 6, 0, 10000, "troops",
        "force casualties from one harassment incident", "assumption"),
    REAL("russia.base_strike_probability", base_strike_probability, 0.3, 0, 1, 0, "",
         "chance that Russia strikes the force's rear bases in a war it fights", "assumption"),
    REAL("russia.nato_strike_factor", nato_strike_factor, 0.25, 0, 1, 0, "",
         "relative chance of that strike when the bases are on NATO territory", "assumption"),
    REAL("russia.us_war_probability", us_war_probability, 0.1, 0, 1, 0, "",
         "chance that a war with US air power engaged becomes a NATO-Russia war", "assumption"),

    INT("ukraine.holding_battalions", holding_battalions, 30, 1, 5000, "battalions",
        "Ukrainian defenders in the sector of a large offensive", "assumption"),
    INT("ukraine.local_battalions", local_battalions, 2, 0, 500, "battalions",
        "Ukrainian defenders at the site of a probe", "assumption"),

    REAL("combat.attacker_kill_rate", attacker_kill_rate, 0.0055, 0, 10, 1, "1/day",
         "defender battalions an attacking battalion destroys per day (Lanchester a)", SRC_QJM),
    REAL("combat.defender_kill_rate", defender_kill_rate, 0.08, 0, 10, 1, "1/day",
         "attacker battalions a defending battalion destroys per day (Lanchester b)", SRC_QJM),
    REAL("combat.attacker_break_fraction", attacker_break_fraction, 0.33, 0, 1, 1, "",
         "share of its battalions an attack loses before it culminates", SRC_QJM),
    REAL("combat.defender_break_fraction", defender_break_fraction, 0.2, 0, 1, 1, "",
         "share of its battalions a defence loses before it breaks", SRC_QJM),

    REAL("violations.high_mean_per_day", high_mean_per_day, 900, 0, 1e6, 0, "1/day",
         "mean daily ceasefire violations in the high regime", SRC_OSCE_HIGH),
    REAL("violations.high_dispersion", high_dispersion, 8, 0, 1e6, 1, "",
         "negative-binomial size of daily counts, high regime (smaller: more spread)",
         SRC_OSCE_HIGH),
    REAL("violations.low_mean_per_day", low_mean_per_day, 47, 0, 1e6, 0, "1/day",
         "mean daily ceasefire violations after a recommitment", SRC_OSCE_LOW),
    REAL("violations.low_dispersion", low_dispersion, 0.5, 0, 1e6, 1, "",
         "negative-binomial size of daily counts, low regime (0.5: about 10% zero days)",
         SRC_OSCE_LOW),
    REAL("violations.recommitment_rate_per_day", recommitment_rate_per_day, 0.005, 0, 10, 0,
         "1/day", "rate of recommitment events (high to low regime) at zero deterrence",
         "assumption: the July 2020 recommitment"),
    REAL("violations.relapse_rate_per_day", relapse_rate_per_day, 0.002, 0, 10, 0, "1/day",
         "rate of relapse from the low to the high regime", "assumption"),
    CHOICE("violations.initial_regime", initial_regime, REGIME_HIGH, regimes,
           "violation regime when the ceasefire starts", SRC_OSCE_HIGH),
};

int reassurance_check(const void *params, const char *file, err *e)
{
    const reassurance_params *p = params;
    if (p->troops > 0 && p->troops < p->battalion_troops)
        return err_set(e, ERR_INPUT, file, 0, "force.troops",
                       "%lld troops is less than one battalion (force.battalion_troops = %lld); "
                       "use 0 for no force",
                       (long long)p->troops, (long long)p->battalion_troops);
    return 0;
}
