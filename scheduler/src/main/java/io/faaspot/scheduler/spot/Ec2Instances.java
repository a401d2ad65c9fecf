package io.faaspot.scheduler.spot;

import static io.faaspot.scheduler.spot.Ec2SpotProvider.TAG_CLUSTER;
import static io.faaspot.scheduler.spot.Ec2SpotProvider.TAG_SPOT;

import io.faaspot.scheduler.spot.SpotProvider.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The cluster's instances as EC2 describes them, found by the cluster tag. Read at most every few
 * seconds: the reconciler asks about each spot in turn, and one description answers them all.
 */
final class Ec2Instances {
  private static final Duration CACHE = Duration.ofSeconds(5);

  private final Ec2Client ec2;
  private final String cluster;
  private final Clock clock;
  private final Object cacheLock = new Object();
  private Map<String, Instance> cached = Map.of();
  private Instant cachedAt = Instant.EPOCH;

  Ec2Instances(Ec2Client ec2, String cluster, Clock clock) {
    this.ec2 = ec2;
    this.cluster = cluster;
    this.clock = clock;
  }

  /** All of the cluster's instances, by id, re-read at most every few seconds. */
  Map<String, Instance> snapshot() {
    synchronized (cacheLock) {
      if (Duration.between(cachedAt, clock.instant()).compareTo(CACHE) < 0) {
        return cached;
      }
      Map<String, Instance> found = new HashMap<>();
      ec2.describeInstancesPaginator(
              b -> b.filters(Filter.builder().name("tag:" + TAG_CLUSTER).values(cluster).build()))
          .reservations()
          .forEach(
              res ->
                  res.instances()
                      .forEach(
                          i -> {
                            UUID spot =
                                i.tags().stream()
                                    .filter(t -> t.key().equals(TAG_SPOT))
                                    .findFirst()
                                    .map(t -> UUID.fromString(t.value()))
                                    .orElse(null);
                            found.put(
                                i.instanceId(),
                                new Instance(i.instanceId(), spot, i.state().nameAsString()));
                          }));
      cached = found;
      cachedAt = clock.instant();
      return cached;
    }
  }

  /** The next {@link #snapshot} reads afresh: an instance was launched, changed or terminated. */
  void invalidate() {
    synchronized (cacheLock) {
      cachedAt = Instant.EPOCH;
    }
  }
}
