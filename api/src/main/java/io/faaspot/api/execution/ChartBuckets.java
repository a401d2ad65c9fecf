package io.faaspot.api.execution;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The time axis of a chart: buckets of {@code step} seconds from {@code start} to {@code end}
 * (epoch seconds, the last bucket holding now), and where a bucket start PostgreSQL's {@code
 * date_bin} answers falls among them. Every series of {@link ExecutionCharts} shares it.
 */
record ChartBuckets(long start, long end, long step) {
  static ChartBuckets of(ChartRange range, Instant now) {
    long step = range.bucket.toSeconds();
    long end = Math.floorDiv(now.getEpochSecond(), step) * step + step;
    return new ChartBuckets(end - range.span.toSeconds(), end, step);
  }

  /** The buckets' starts, in order. */
  List<Long> starts() {
    List<Long> t = new ArrayList<>();
    for (long s = start; s < end; s += step) {
      t.add(s);
    }
    return t;
  }

  int count() {
    return (int) ((end - start) / step);
  }

  /** The index of the bucket starting at {@code bucketStart}, or -1 when outside the axis. */
  int index(long bucketStart) {
    int i = (int) ((bucketStart - start) / step);
    return i >= 0 && i < count() ? i : -1;
  }

  /** The width of a bucket as a PostgreSQL interval. */
  String interval() {
    return step + " seconds";
  }

  OffsetDateTime from() {
    return Instant.ofEpochSecond(start).atOffset(ZoneOffset.UTC);
  }

  OffsetDateTime to() {
    return Instant.ofEpochSecond(end).atOffset(ZoneOffset.UTC);
  }

  /** One value per bucket, all {@code value} (null allowed), to be set per bucket. */
  <T> List<T> filled(T value) {
    return new ArrayList<>(Collections.nCopies(count(), value));
  }
}
