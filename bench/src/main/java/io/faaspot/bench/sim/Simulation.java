package io.faaspot.bench.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A day for every account under every strategy. Accounts share nothing (each has its own queue and
 * machines, as in the product), so each is simulated alone and the outcomes are summed.
 *
 * @param outcomes per strategy, in the order given
 * @param offered the work submitted per five-minute bin, all accounts, in busy workers
 * @param onDemandSizes how many accounts' peaks took each m5 size, by vCPUs
 * @param onDemandShort accounts whose peak needs more workers than the largest m5 has
 */
record Simulation(
    Scenario scenario,
    Map<Strategy, AccountOutcome> outcomes,
    double[] offered,
    SortedMap<Integer, Integer> onDemandSizes,
    int onDemandShort) {

  static Simulation run(Scenario scenario, List<Strategy> strategies) {
    Map<Strategy, AccountOutcome> outcomes = new LinkedHashMap<>();
    for (Strategy s : strategies) {
      outcomes.put(s, AccountOutcome.empty(s));
    }
    double[] offered = new double[Workload.BINS];
    SortedMap<Integer, Integer> sizes = new TreeMap<>();
    int shortOf = 0;
    for (int a = 0; a < scenario.accounts(); a++) {
      AccountLoad load = Workload.account(scenario, a);
      int peak = AccountLoad.workersFor(load.peak(), scenario.fleet().targetUtilisation());
      sizes.merge(Prices.onDemandVcpus(peak), 1, Integer::sum);
      if (peak > Prices.onDemandVcpus(peak)) {
        shortOf++;
      }
      for (int b = 0; b < offered.length; b++) {
        offered[b] += load.offered()[b];
      }
      for (Strategy s : strategies) {
        outcomes.merge(s, FleetRun.run(scenario, s, load), AccountOutcome::plus);
      }
    }
    return new Simulation(scenario, outcomes, offered, sizes, shortOf);
  }

  AccountOutcome of(Strategy s) {
    AccountOutcome o = outcomes.get(s);
    if (o == null) {
      throw new IllegalArgumentException("not simulated: " + s.key());
    }
    return o;
  }

  List<AccountOutcome> all() {
    return new ArrayList<>(outcomes.values());
  }
}
