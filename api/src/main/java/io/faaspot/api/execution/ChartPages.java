package io.faaspot.api.execution;

import io.faaspot.api.account.Caller;
import io.faaspot.api.web.ConsoleController;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The console's Charts page and the data it draws (polled every ten seconds): the signed-in
 * account's calls only, as everywhere else.
 */
@ConsoleController
class ChartPages {
  private final ExecutionCharts charts;

  ChartPages(ExecutionCharts charts) {
    this.charts = charts;
  }

  @GetMapping("/console/charts")
  String page() {
    return "console/charts";
  }

  @GetMapping("/console/charts/data")
  @ResponseBody
  ChartSeries data(
      @AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "hour") String range) {
    ChartRange r = "day".equals(range) ? ChartRange.DAY : ChartRange.HOUR;
    return charts.series(caller.accountId(), r);
  }
}
