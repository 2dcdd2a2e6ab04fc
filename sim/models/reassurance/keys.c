/* reassurance_keys.c — every scenario key of the reassurance model.
 *
 * The one table (schema.h) from which the loader checks and defaults the
 * keys, `reassure check` prints them and `make docs` writes
 * docs/scenarios.md. Each row says its basis: "evidence" (a number from
 * the literature of docs/model.md), "calibrated" (set so that the default
 * scenario family meets a calibration target of docs/model.md, which the
 * tests check) or "assumption" (a judgement); decisions a planner makes
 * (troops, basing, mandate, backstop) and structural keys have none.
 * Every calibrated or assumed number carries a prior: a plausible range,
 * a distribution and a sentence on why, for uncertainty analyses.
 */
#include <math.h>
#include <stddef.h>

#include "reassurance.h"

#define P(f) offsetof(reassurance_params, f)
#define PRIOR(d, lo, mode, hi, why) {d, lo, mode, hi, why}
#define UNI(lo, hi, why) PRIOR(SCH_UNIFORM, lo, 0, hi, why)
#define TRI(lo, mode, hi, why) PRIOR(SCH_TRIANGULAR, lo, mode, hi, why)
#define LOGU(lo, hi, why) PRIOR(SCH_LOGUNIFORM, lo, 0, hi, why)
#define NOPRIOR {SCH_DIST_NONE, 0, 0, 0, NULL}
#define REAL(path, f, def, lo, hi, lo_open, unit, desc, src, basis, prior) \
    {path, SCH_REAL, P(f), def, lo, hi, lo_open, 0, NULL, unit, desc, src, NULL, basis, prior}
#define INT(path, f, def, lo, hi, unit, desc, src, basis, prior) \
    {path, SCH_INT, P(f), def, lo, hi, 0, 0, NULL, unit, desc, src, NULL, basis, prior}
#define BOOL(path, f, def, desc, src) \
    {path, SCH_BOOL, P(f), def, 0, 1, 0, 0, NULL, "", desc, src, NULL, SCH_BASIS_NONE, NOPRIOR}
#define CHOICE(path, f, def, choices, desc, src) \
    {path, SCH_CHOICE, P(f), def, 0, 0, 0, 0, choices, "", desc, src, NULL, SCH_BASIS_NONE, \
     NOPRIOR}
#define EVID SCH_EVIDENCE
#define CALIB SCH_CALIBRATED
#define ASSUME SCH_ASSUMPTION
#define DECISION SCH_BASIS_NONE

#define C(f) offsetof(contributor, f)
static const sch_key contributor_fields[] = {
    {"name", SCH_STRING, C(name), 0, 0, 0, 0, 0, NULL, "", "contributor (country or group)",
     "coalition of the willing, 2025 reporting", NULL, SCH_BASIS_NONE, NOPRIOR},
    {"share", SCH_REAL, C(share), 0, 0, 1, 1, 0, NULL, "", "share of force.troops it provides",
     "UK and France lead (2025 reporting)", NULL, SCH_BASIS_NONE, NOPRIOR},
    {"prior_approval", SCH_BOOL, C(prior_approval), 0, 0, 1, 0, 0, NULL, "",
     "needs a parliamentary vote before deploying and before fighting",
     "national deployment law (e.g. Germany's Parlamentsvorbehalt)", NULL, SCH_BASIS_NONE,
     NOPRIOR},
    {"casualty_tolerance", SCH_INT, C(casualty_tolerance), 300, 1, 1e7, 0, 0, NULL, "troops",
     "casualties at which public support is gone and it withdraws",
     "support falls with log casualties (Mueller 1973); sizes judged", NULL, SCH_ASSUMPTION,
     LOGU(50, 2000, "from a few dozen dead (Dutch Srebrenica, Spanish Iraq) to Afghanistan-scale "
          "losses that the UK and France bore for years")},
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
static const char *const forms[] = {"both", "denial", "punishment", "v1", NULL};

static const char SRC_MODEL[] = "MODEL.md";
static const char SRC_OSCE_HIGH[] = "OSCE SMM daily reports, 2017 and May 2020 (750-1,100/day)";
static const char SRC_OSCE_LOW[] = "OSCE SMM, July 2020-March 2021 (~47/day, zero days)";
static const char SRC_CAL[] = "calibrated: no force, no backstop -> P(offensive within 730 days) "
                              "~ 0.40 (docs/model.md, section 9)";
static const char SRC_QJM[] = "calibrated to Dupuy QJM loss rates and the 3:1 rule";
static const char SRC_V1[] = "v1 (superseded; russia.deterrence = \"v1\" only)";
static const char SRC_CHOICE[] = "judgement: Russia's choice as random utility (docs/model.md 5.2)";

const sch_key reassurance_keys[] = {
    REAL("horizon_days", horizon_days, 730, 1, 36500, 0, "days",
         "length of a replication from the start of the ceasefire", SRC_MODEL, DECISION, NOPRIOR),

    INT("force.troops", troops, 20000, 0, 200000, "troops",
        "size of the reassurance force; 0 is the no-force counterfactual",
        "UK officials: 10,000 minimum, ~30,000 with rotation (2025)", DECISION, NOPRIOR),
    REAL("force.basing_distance_km", basing_distance_km, 400, 0, 5000, 0, "km",
         "distance of the force's bases from the ceasefire line",
         "plans put it 'farther from the ceasefire line, perhaps even outside Ukraine'", DECISION,
         NOPRIOR),
    REAL("force.readiness_days", readiness_days, 2, 0, 90, 0, "days",
         "alert-to-move time of the force's quick-reaction element",
         "US Army brigades at home: 9-40 days after alert (2017); 2 days judged for a "
         "quick-reaction element in theatre", ASSUME,
         TRI(0.5, 2, 10, "a standing quick-reaction element moves within a day or two; one that "
             "must first be assembled takes a week or more")),
    REAL("force.move_km_per_day", move_km_per_day, 150, 0, 2000, 1, "km/day",
         "road-march rate from the bases to the line", "mechanised road march (judged)", ASSUME,
         TRI(60, 150, 300, "road marches of mechanised units run 100-250 km a day; slower under "
             "air and drone threat, faster by rail and highway")),
    CHOICE("force.mandate", mandate, MANDATE_DETERRENCE, mandates,
           "deterrence: fights a probe; monitoring: only reports it; peacekeeping: interposes",
           SRC_MODEL),
    REAL("force.qrf_fraction", qrf_fraction, 0.25, 0, 1, 0, "",
         "share of the force sent against a probe (quick-reaction force)", "judged", ASSUME,
         UNI(0.1, 0.5, "a reaction force is a fraction of a force that must also hold its "
             "bases and sectors")),
    INT("force.battalion_troops", battalion_troops, 800, 100, 5000, "troops",
        "troops per battalion, the unit of combat", SRC_MODEL, EVID, NOPRIOR),
    REAL("force.effectiveness", force_effectiveness, 1.5, 0, 10, 1, "",
         "combat effectiveness of a force battalion relative to a Ukrainian one",
         "NATO equipment and training (judged)", ASSUME,
         TRI(0.8, 1.5, 3, "better equipped than Ukrainian units but without their combat "
             "experience of this war")),
    REAL("force.monitoring_deterrence", monitoring_deterrence, 0.25, 0, 1, 0, "",
         "v1 only: deterrent weight of a monitoring mandate relative to deterrence", SRC_V1,
         ASSUME, UNI(0, 0.5, "v1 judgement: monitors deter less than a force that fights")),
    REAL("force.peacekeeping_deterrence", peacekeeping_deterrence, 0.6, 0, 1, 0, "",
         "v1 only: deterrent weight of a peacekeeping mandate relative to deterrence", SRC_V1,
         ASSUME, UNI(0.3, 0.9, "v1 judgement: interposition deters less than combat")),

    BOOL("us_backstop.enabled", us_enabled, 0,
         "a US backstop: air protection, intelligence, satellite surveillance", SRC_MODEL),
    REAL("us_backstop.engage_probability", us_engage_probability, 0.7, 0, 1, 0, "",
         "chance that US air power engages once the force fights", "judged", ASSUME,
         UNI(0.3, 0.95, "a backstop is a promise; whether a US administration keeps it in a "
             "given clash is uncertain either way")),
    REAL("us_backstop.delay_days", us_delay_days, 2, 0, 90, 0, "days",
         "delay from the force's first combat to US air engagement", "judged", ASSUME,
         TRI(0.5, 2, 7, "aircraft in theatre can fly within hours; a political decision may "
             "take days")),
    REAL("us_backstop.warning_bonus_days", us_warning_bonus_days, 2, 0, 30, 0, "days",
         "earlier warning of an attack from US intelligence (ISR)", "judged", ASSUME,
         UNI(0, 4, "US warning of the 2022 invasion came weeks ahead, but tactical warning of a "
             "local attack is a matter of days")),
    REAL("us_backstop.air_attrition_multiplier", us_air_attrition_multiplier, 2, 1, 20, 0, "",
         "factor on the attackers' loss rate while US air power is engaged", "judged", ASSUME,
         TRI(1.2, 2, 4, "air power against a mechanised attack is powerful but contested by "
             "Russian air defences")),
    REAL("us_backstop.deterrence_weight", us_deterrence_weight, 0.7, 0, 1, 0, "",
         "v1 only: perceived deterrence of a certain backstop (times engage_probability)", SRC_V1,
         CALIB, UNI(0.3, 0.9, "v1 calibration: set so 30k with the backstop met Fortna's 50-75%")),

    {"coalition.contributors", SCH_LIST, P(contributors), 0, 0, 0, 0, 0, NULL, "",
     "the contributing nations (name, share, prior_approval, casualty_tolerance); shares sum to 1",
     "coalition of the willing, 2025 reporting", &contributors_list, DECISION, NOPRIOR},
    REAL("coalition.approval_delay_days", approval_delay_days, 30, 0, 365, 0, "days",
         "delay before a contingent that needs prior approval deploys", "judged", ASSUME,
         TRI(7, 30, 90, "a parliamentary mandate takes from a week in a crisis to months")),
    REAL("coalition.combat_approval_days", combat_approval_days, 7, 0, 365, 0, "days",
         "delay before such a contingent may join combat", "judged", ASSUME,
         TRI(1, 7, 30, "an emergency vote can pass in a day; coalitions and caveats take weeks")),
    REAL("coalition.casualty_tolerance_scale", casualty_tolerance_scale, 1, 0, 100, 1, "",
         "multiplies every contributor's casualty_tolerance (for sweeps)", "judged", ASSUME,
         LOGU(0.5, 2, "publics may be half or twice as tolerant as the judged tolerances")),
    REAL("coalition.success_bonus", success_bonus, 0.5, 0, 10, 0, "",
         "extra tolerance per repelled probe or offensive (expected success)",
         "Gelpi, Feaver & Reifler 2005 (size judged)", ASSUME,
         UNI(0, 1, "success raises tolerance (Gelpi et al.); by how much is not measured")),
    REAL("coalition.collapse_fraction", collapse_fraction, 0.5, 0, 1, 0, "",
         "the coalition has collapsed when less than this share of the force remains", "judged",
         ASSUME, UNI(0.3, 0.7, "a coalition that lost from a third to two thirds of its force "
                     "no longer acts as one")),

    REAL("geography.border_distance_km", border_distance_km, 700, 0, 5000, 0, "km",
         "distance from the ceasefire line to the nearest NATO border; bases beyond it are "
         "on NATO territory", "geography: Donbas front to the Polish/Romanian border", EVID,
         NOPRIOR),

    CHOICE("russia.deterrence", deterrence, DETER_BOTH, forms,
           "how Russia weighs an attack: both (denial and punishment), denial (the chance of "
           "success only), punishment (the cost of fighting the coalition and the US only), v1 "
           "(the superseded perceived-deterrence formula)", SRC_MODEL),
    REAL("russia.decision_scale_days", decision_scale_days, 1.5, 0, 3650, 1, "days",
         "scale of Russia's decision epochs: cumulative hazard (t / scale)^shape",
         "judged: about 40 epochs in two years at the default shape", ASSUME,
         LOGU(0.5, 5, "from a decision every few days early on to a few a month")),
    REAL("russia.decision_shape", decision_shape, 0.6, 0, 1, 1, "",
         "Weibull shape of the decision epochs (< 1: decisions thin out as the ceasefire ages)",
         "Fortna 2004, Werner 1999: the risk of renewed war falls with time (shape judged)",
         ASSUME, UNI(0.4, 0.9, "a declining hazard is reported for interstate cease-fires; "
                     "we could not read the estimated shape")),
    REAL("russia.offensive_intent", offensive_intent, 0.0185, 0, 1, 0, "",
         "chance that an epoch brings the intent of a large offensive", SRC_CAL, CALIB,
         LOGU(0.008, 0.04, "from a quarter to nearly three quarters of ceasefires broken by an "
              "offensive within two years with no force")),
    REAL("russia.probe_intent", probe_intent, 0.03, 0, 1, 0, "",
         "chance that an epoch brings the intent of a localised land grab",
         "Debaltseve: one large probe in the first days of Minsk II (rate judged)", ASSUME,
         LOGU(0.01, 0.1, "from one probe in a few years to several a year")),
    REAL("russia.harass_intent", harass_intent, 0.05, 0, 1, 0, "",
         "chance that an epoch brings harassment (drones, EW, sabotage)", "judged", ASSUME,
         LOGU(0.02, 0.15, "from an incident every few months to one every few weeks")),
    REAL("russia.deescalate_probability", deescalate_probability, 0.5, 0, 1, 0, "",
         "chance per quiet epoch that the ladder steps back to its previous state", "judged",
         ASSUME, UNI(0.2, 0.8, "tension ebbs within weeks to months")),
    REAL("russia.rationality", rationality, 4, 0, 100, 0, "",
         "beta: how sharply Russia's go-ahead follows the net value of an attack", SRC_CHOICE,
         ASSUME, LOGU(1.5, 10, "from a near coin-toss to a near threshold rule")),
    REAL("russia.offensive_threshold", offensive_threshold, 0.35, -1, 2, 0, "",
         "kappa: net value of an offensive (chance of success less costs) at which Russia "
         "goes ahead half the time", SRC_CHOICE, ASSUME,
         UNI(0.2, 0.5, "Russia attacked in 2022 expecting quick success; it needs better than "
             "even odds of something less")),
    REAL("russia.probe_threshold", probe_threshold, 0.3, -1, 2, 0, "",
         "kappa of a probe", SRC_CHOICE, ASSUME,
         UNI(0.1, 0.5, "a probe risks less than an offensive")),
    REAL("russia.cost_europe", cost_europe, 0.15, 0, 10, 0, "",
         "cost of fighting European contingents, in units of a successful attack",
         "Reiter & Poast 2021: tripwires add little; size judged", ASSUME,
         UNI(0, 0.4, "fighting NATO members' troops is costly, but Russia struck Ukraine's "
             "partners' interests before without much cost")),
    REAL("russia.cost_us", cost_us, 0.3, 0, 10, 0, "",
         "cost of fighting US air power, in units of a successful attack", "judged", ASSUME,
         UNI(0.05, 0.6, "US engagement costs more than European, short of war")),
    REAL("russia.cost_war", cost_war, 2, 0, 100, 0, "",
         "cost of a NATO-Russia war, in units of a successful attack", "judged", ASSUME,
         LOGU(0.5, 5, "a war with NATO is worse than any gain in Ukraine, but Russia may "
              "discount it as unlikely to go nuclear")),
    REAL("russia.resolve_prior", resolve_prior, 0.7, 0, 1, 0, "",
         "Russia's initial belief that the force will fight when attacked", "judged", ASSUME,
         UNI(0.4, 0.95, "European governments' will to fight Russia is untested")),
    REAL("russia.violation_pull", violation_pull, 0.3, -5, 5, 0, "",
         "logit added to Russia's go-ahead while violations are in the high regime",
         "judged: a fraying ceasefire invites escalation", ASSUME,
         UNI(0, 0.6, "high violation counts both reflect and ease the way to escalation")),
    REAL("russia.escalation_pull", escalation_pull, 0.15, -5, 5, 0, "",
         "logit added to the go-ahead per rung above 2 (momentum of a crisis)", "judged", ASSUME,
         UNI(0, 0.4, "crises have momentum; a higher rung makes the next step shorter")),
    REAL("russia.territory_pull", territory_pull, -0.25, -5, 5, 0, "",
         "logit added to the go-ahead per fait accompli already taken (negative: consolidation)",
         "after Debaltseve Russia consolidated for seven years (judged)", ASSUME,
         UNI(-0.75, 0.25, "gains may be digested (negative) or invite more (positive)")),
    INT("russia.offensive_battalions", offensive_battalions, 90, 1, 5000, "battalions",
        "attackers in a large offensive (3:1 against the holding force)",
        "Mearsheimer: >= 3:1 locally", ASSUME,
        TRI(60, 90, 150, "3:1 against the sector's holding force, up to what Russia could "
            "mass in a sector after a ceasefire")),
    INT("russia.probe_battalions", probe_battalions, 4, 1, 500, "battalions",
        "attackers in a localised land grab", "Debaltseve, February 2015 (size judged)", ASSUME,
        TRI(2, 4, 12, "Debaltseve's attackers were reported at several thousand to 15,000")),
    REAL("russia.fait_accompli_days", fait_accompli_days, 3, 0, 90, 1, "days",
         "mean time for a probe to seize its objective and dig in",
         "Debaltseve fell 3 days after Minsk II; RAND: 36-60 hours to the Baltic capitals",
         EVID, NOPRIOR),
    INT("russia.fait_accompli_stages", fait_accompli_stages, 4, 1, 100, "",
        "Erlang stages of the time to a fait accompli (coefficient of variation 1/sqrt(stages))",
        "judged: RAND's 36-60 hours is a spread of about a quarter either way", ASSUME,
        TRI(2, 4, 16, "from an exponential-like spread to a nearly fixed time")),
    REAL("russia.regeneration_days", regeneration_days, 180, 0, 36500, 0, "days",
         "time a culminated offensive needs before another can be mounted",
         "force regeneration after a failed offensive (judged)", ASSUME,
         TRI(60, 180, 365, "Russia regenerated for its 2023-2024 offensives within months")),
    REAL("russia.probe_gain_km2", probe_gain_km2, 150, 0, 1e6, 0, "km2",
         "territory a successful probe takes", "judged", ASSUME,
         LOGU(50, 600, "a town and its approaches; the Debaltseve salient was about 24 km deep")),
    REAL("russia.breakthrough_gain_km2", breakthrough_gain_km2, 6000, 0, 1e7, 0, "km2",
         "territory a breakthrough takes", "judged", ASSUME,
         LOGU(2000, 20000, "from an oblast's worth of steppe to the rest of a region")),
    REAL("russia.credibility_step", credibility_step, 0.15, 0, 1, 0, "",
         "Russia's belief in the force's resolve moves this share of the way to 1 when the force "
         "fights, to 0 when a fait accompli goes unanswered", "judged", ASSUME,
         UNI(0.05, 0.3, "one test of resolve informs, but does not settle, a belief")),
    REAL("russia.fires_range_km", fires_range_km, 70, 0, 5000, 1, "km",
         "scale of Russian fires: exposure falls as exp(-distance / range)",
         "artillery tens of km; drones and missiles further", ASSUME,
         TRI(30, 70, 150, "tube and rocket artillery reach 20-90 km; drones further")),
    REAL("russia.harass_casualty_probability", harass_casualty_probability, 0.3, 0, 1, 0, "",
         "chance that harassment at the line causes force casualties", "judged", ASSUME,
         UNI(0.1, 0.5, "most drone and sabotage incidents cause no casualties")),
    INT("russia.harass_casualties", harass_casualties, 6, 0, 10000, "troops",
        "force casualties from one harassment incident", "judged", ASSUME,
        TRI(1, 6, 20, "a drone strike on a post or vehicle: a few casualties")),
    REAL("russia.base_strike_per_loss", base_strike_per_loss, 0.01, 0, 1, 0, "",
         "chance per battalion lost in a fight with the coalition that Russia strikes the force's "
         "rear bases (once per engagement)", "judged", ASSUME,
         LOGU(0.002, 0.05, "strikes on rear areas follow sustained fighting, not single clashes")),
    REAL("russia.nato_strike_factor", nato_strike_factor, 0.25, 0, 1, 0, "",
         "relative chance of that strike when the bases are on NATO territory (where it is war)",
         "judged", ASSUME, UNI(0.05, 0.5, "Russia has avoided striking NATO soil since 2022")),
    REAL("russia.war_per_loss_europe", war_per_loss_europe, 0.0005, 0, 1, 0, "",
         "chance per battalion lost while European contingents fight that the fighting becomes "
         "a NATO-Russia war", "judged", ASSUME,
         LOGU(0.0001, 0.003, "a long European-Russian battle is a step from war; a clash is not")),
    REAL("russia.war_per_loss_us", war_per_loss_us, 0.002, 0, 1, 0, "",
         "the same while US air power is engaged (added)", "judged", ASSUME,
         LOGU(0.0005, 0.01, "US aircraft over Ukraine and their bases are targets Russia may "
              "strike")),
    REAL("russia.deterrence_troops_half", deterrence_troops_half, 25000, 0, 1e6, 1, "troops",
         "v1 only: force size at which its size counts half in perceived deterrence", SRC_V1,
         ASSUME, UNI(10000, 40000, "v1 judgement after RAND's 30-35k")),
    REAL("russia.deterrence_response_days", deterrence_response_days, 3, 0, 365, 1, "days",
         "v1 only: response time at which the force's deterrence is halved", SRC_V1, ASSUME,
         LOGU(1, 30, "v1 judgement after RAND's 36-60 hours")),

    INT("ukraine.holding_battalions", holding_battalions, 30, 1, 5000, "battalions",
        "Ukrainian defenders in the sector of a large offensive", "judged", ASSUME,
        TRI(20, 30, 45, "a corps-sized sector of the line")),
    INT("ukraine.local_battalions", local_battalions, 2, 0, 500, "battalions",
        "Ukrainian defenders at the site of a probe", "judged", ASSUME,
        TRI(1, 2, 5, "a town's garrison; Debaltseve held 2,500-5,000 Ukrainian troops")),

    REAL("combat.attacker_kill_rate", attacker_kill_rate, 0.0055, 0, 10, 1, "1/day",
         "defender battalions an attacking battalion destroys per day (Lanchester a)", SRC_QJM,
         CALIB, UNI(0.004, 0.007, "within the QJM's typical loss rates")),
    REAL("combat.defender_kill_rate", defender_kill_rate, 0.08, 0, 10, 1, "1/day",
         "attacker battalions a defending battalion destroys per day (Lanchester b)", SRC_QJM,
         CALIB, UNI(0.06, 0.1, "within the QJM's typical loss rates")),
    REAL("combat.attacker_break_fraction", attacker_break_fraction, 0.33, 0, 1, 1, "",
         "share of its battalions an attack loses before it culminates", SRC_QJM, CALIB,
         UNI(0.25, 0.45, "attacks culminate after losing a quarter to nearly half their units")),
    REAL("combat.defender_break_fraction", defender_break_fraction, 0.2, 0, 1, 1, "",
         "share of its battalions a defence loses before it breaks", SRC_QJM, CALIB,
         UNI(0.15, 0.3, "defences break after losing a sixth to nearly a third")),

    REAL("violations.high_mean_per_day", high_mean_per_day, 900, 0, 1e6, 0, "1/day",
         "mean daily ceasefire violations in the high regime", SRC_OSCE_HIGH, EVID, NOPRIOR),
    REAL("violations.high_dispersion", high_dispersion, 8, 0, 1e6, 1, "",
         "negative-binomial size of daily counts, high regime (smaller: more spread)",
         SRC_OSCE_HIGH, EVID, NOPRIOR),
    REAL("violations.low_mean_per_day", low_mean_per_day, 47, 0, 1e6, 0, "1/day",
         "mean daily ceasefire violations after a recommitment", SRC_OSCE_LOW, EVID, NOPRIOR),
    REAL("violations.low_dispersion", low_dispersion, 0.5, 0, 1e6, 1, "",
         "negative-binomial size of daily counts, low regime (0.5: about 10% zero days)",
         SRC_OSCE_LOW, EVID, NOPRIOR),
    REAL("violations.recommitment_rate_per_day", recommitment_rate_per_day, 0.011, 0, 10, 0,
         "1/day", "rate of recommitment events (high to low regime)",
         "OSCE SMM (Hug, August 2018): 12 recommitments in three years", EVID, NOPRIOR),
    REAL("violations.relapse_rate_per_day", relapse_rate_per_day, 0.02, 0, 10, 0, "1/day",
         "rate of relapse from the low to the high regime",
         "OSCE SMM: recommitments held about two weeks (Hug 2018), the July 2020 one about "
         "eight months; mean judged at 50 days", ASSUME,
         LOGU(0.004, 0.07, "a recommitment holds from two weeks to eight months")),
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
