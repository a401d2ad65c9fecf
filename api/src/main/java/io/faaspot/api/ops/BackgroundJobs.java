package io.faaspot.api.ops;

import io.faaspot.scheduler.loop.PeriodicJob;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Starts the background loops ({@link PeriodicJob} beans: the spot reconciler, the lease reaper,
 * retention, the gauges) once the server is ready, not as each bean is made. A loop's first pass
 * (on a restart, launching the local spots' agents again: a JVM and its Python workers each) then
 * no longer takes the two cores of a small machine from the server's own start; the loops begin a
 * moment later, after the takeover of agents left running has renewed their leases (its listener
 * comes first).
 */
@Component
class BackgroundJobs {
  private final ObjectProvider<PeriodicJob> jobs;

  BackgroundJobs(ObjectProvider<PeriodicJob> jobs) {
    this.jobs = jobs;
  }

  @EventListener(ApplicationReadyEvent.class)
  @Order(Ordered.LOWEST_PRECEDENCE)
  void startAll() {
    jobs.orderedStream().forEach(PeriodicJob::start);
  }
}
