package io.faaspot.api.cost;

import io.faaspot.api.config.CostsProperties;
import io.faaspot.scheduler.loop.PeriodicJob;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Recomputes the spend gauges in the background. */
@Configuration(proxyBeanMethods = false)
class CostJobs {
  @Bean(destroyMethod = "close")
  PeriodicJob spendGauges(CostMetrics metrics, CostsProperties props) {
    return new PeriodicJob("spend-gauges", props.metricsInterval(), metrics::refresh);
  }
}
