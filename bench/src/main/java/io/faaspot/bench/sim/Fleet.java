package io.faaspot.bench.sim;

/**
 * The machines of a {@link Scenario}: spot size, launch delay, interruptions, sizing headroom.
 *
 * @param spotWorkers workers per spot (an m5.large, one worker per vCPU)
 * @param launchMin the shortest time from a spot's launch to its agent taking work, seconds
 * @param launchMax the longest (uniform between: EC2 boot, the agent's download and start)
 * @param band the Spot Instance Advisor band the spots' interruptions are drawn from
 * @param interruptionScale a multiplier on that band's rate (1 for the published rate)
 * @param noticeSeconds the interruption notice: the spot stops taking work and is replaced
 * @param handBackSeconds how long before the end the spot hands back what it has not finished
 * @param targetUtilisation the share of a fleet sized for a load that the load may use
 * @param billingMinimumSeconds EC2's per-second billing has a minimum of one minute
 */
record Fleet(
    int spotWorkers,
    double launchMin,
    double launchMax,
    InterruptionBand band,
    double interruptionScale,
    double noticeSeconds,
    double handBackSeconds,
    double targetUtilisation,
    double billingMinimumSeconds) {}
