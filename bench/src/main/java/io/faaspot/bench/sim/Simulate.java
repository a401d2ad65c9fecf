package io.faaspot.bench.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The spot-savings simulation (issue 21): a day of bursty load for many accounts, under each
 * provisioning strategy. Prints the markdown report; with {@code --out DIR} also writes {@code
 * simulation.md}, {@code simulation.csv} (workers per five minutes) and {@code
 * simulation-summary.csv} there, for {@code bench/sim_chart.py}. Deterministic for a seed.
 */
public final class Simulate {
  static final String USAGE =
      """
      usage: Simulate [--out DIR] [--seed N] [--accounts N] [--band <5%|5-10%|10-15%|15-20%|>20%]
                      [--idle-minutes M] [--stress-scale X]
                      [--spot-price USD] [--on-demand-per-vcpu USD] [--no-knobs]
        --stress-scale X   also simulate the day with interruptions X times the band's, without
                           the notice (0: not)
        --no-knobs         without the autoscaler's variants (idle time, launch time)
      """;

  /** The stress day's interruptions, as a multiple of the band's published rate. */
  static final double STRESS_SCALE = 100;

  private Simulate() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    Scenario scenario = Scenario.standard();
    InterruptionBand band = scenario.fleet().band();
    double stressScale = STRESS_SCALE;
    boolean knobs = true;
    Prices prices = scenario.prices();
    Path out = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--out" -> out = Path.of(required(args[i], value));
          case "--seed" -> scenario = scenario.withSeed(Long.parseLong(required(args[i], value)));
          case "--accounts" ->
              scenario = scenario.withAccounts(Integer.parseInt(required(args[i], value)));
          case "--band" -> band = InterruptionBand.parse(required(args[i], value));
          case "--idle-minutes" ->
              scenario =
                  scenario.withScaling(
                      scenario
                          .scaling()
                          .withIdle(60 * Double.parseDouble(required(args[i], value))));
          case "--no-knobs" -> {
            knobs = false;
            i--; // takes no value
          }
          case "--stress-scale" -> stressScale = Double.parseDouble(required(args[i], value));
          case "--spot-price" ->
              prices =
                  new Prices(
                      Double.parseDouble(required(args[i], value)), prices.onDemandPerVcpuHour());
          case "--on-demand-per-vcpu" ->
              prices =
                  new Prices(prices.spotPerHour(), Double.parseDouble(required(args[i], value)));
          case "--help" -> {
            System.out.print(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
        i++;
      }
      if (scenario.accounts() < 1 || stressScale < 0) {
        throw new IllegalArgumentException("--accounts must be at least 1, --stress-scale >= 0");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("simulate: " + e.getMessage());
      System.err.print(USAGE);
      return 2;
    }
    scenario = scenario.withPrices(prices).withInterruptions(band, 1);

    long t0 = System.nanoTime();
    Simulation day = Simulation.run(scenario, Strategy.ALL);
    Simulation stress =
        stressScale > 0
            ? Simulation.run(
                scenario.withInterruptions(band, stressScale).withoutNotice(),
                List.of(Strategy.FIXED_FOR_PEAK, Strategy.AUTOSCALED, Strategy.AUTOSCALED_MIN_1))
            : null;
    List<KnobVariant> variants = knobs ? KnobVariant.of(scenario, day) : List.of();
    String command = String.join(" ", args).replaceAll("--out \\S+ ?", "").strip();
    String markdown =
        SimulationReport.markdown(
            day, stress, variants, ("bash bench/simulate.sh " + command).strip());
    System.out.print(markdown);
    System.err.printf("simulate: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    if (out != null) {
      try {
        Files.createDirectories(out);
        Files.writeString(out.resolve("simulation.md"), markdown);
        Files.writeString(out.resolve("simulation.csv"), SimulationReport.csv(day));
        Files.writeString(out.resolve("simulation-summary.csv"), SimulationReport.summaryCsv(day));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return 0;
  }

  private static String required(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
