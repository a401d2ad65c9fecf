package io.faaspot.bench.sim;

import static io.faaspot.bench.sim.ReportText.fmt;

import java.util.ArrayList;
import java.util.List;

/** The autoscaled strategy on the same day with one knob turned, as the report's table shows. */
record KnobVariant(String setting, Simulation day) {

  /**
   * The knobs the report turns, one at a time: first the day as simulated, then a shorter and a
   * longer idle time, then a faster launch (an image with the agent) and a slower one.
   */
  static List<KnobVariant> of(Scenario scenario, Simulation day) {
    List<KnobVariant> variants = new ArrayList<>();
    Scaling sc = scenario.scaling();
    Fleet f = scenario.fleet();
    variants.add(
        new KnobVariant(
            fmt(
                "idle %.0f min, launch in %.0f-%.0f s (as above)",
                sc.idleSeconds() / 60, f.launchMin(), f.launchMax()),
            day));
    for (double idle : new double[] {1, 30}) {
      variants.add(
          autoscaled(fmt("idle %.0f min", idle), scenario.withScaling(sc.withIdle(60 * idle))));
    }
    variants.add(
        autoscaled("launch in 20-30 s (an image with the agent)", scenario.withLaunch(20, 30)));
    variants.add(autoscaled("launch in 120-180 s", scenario.withLaunch(120, 180)));
    return variants;
  }

  private static KnobVariant autoscaled(String setting, Scenario scenario) {
    return new KnobVariant(setting, Simulation.run(scenario, List.of(Strategy.AUTOSCALED)));
  }
}
