package io.faaspot.bench.sim;

/** The autoscaled strategy on the same day with one knob turned, as the report's table shows. */
record KnobVariant(String setting, Simulation day) {}
