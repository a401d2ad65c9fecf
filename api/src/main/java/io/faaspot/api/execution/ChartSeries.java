package io.faaspot.api.execution;

import java.util.List;
import java.util.Map;

/**
 * The console's chart data as its page reads it, columns for uPlot: {@code t} bucket starts (epoch
 * seconds); per status the calls created per minute (averaged over the bucket); latency percentiles
 * in milliseconds of the calls finished in the bucket (null where none); calls waiting at the
 * bucket's end.
 */
record ChartSeries(
    List<Long> t,
    Map<String, List<Double>> perMinute,
    Map<String, List<Double>> latencyMs,
    List<Long> queueDepth) {}
