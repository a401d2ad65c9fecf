package io.faaspot.api.web;

import io.faaspot.api.config.ApiProperties;
import io.faaspot.api.config.embedded.EmbeddedPostgresServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class WebConfig {
  /** Runs before Spring Security, so that its rules see canonical paths too. */
  @Bean
  FilterRegistrationBean<ApiPathFilter> apiPathFilter(JsonMapper json, ApiProperties props) {
    var registration =
        new FilterRegistrationBean<>(
            new ApiPathFilter(json, props.maxRequestBytes(), props.maxAgentRequestBytes()));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /** Finds the controller method for a request among those that can match its path only. */
  @Bean
  WebMvcRegistrations pathIndexedHandlerMapping() {
    return new WebMvcRegistrations() {
      @Override
      public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
        return new PathIndexedHandlerMapping();
      }
    };
  }

  /**
   * On the embedded default only, and before authentication, so that nothing waits on the database
   * while it restarts.
   */
  @Bean
  FilterRegistrationBean<DatabaseAway> databaseAway(
      ObjectProvider<EmbeddedPostgresServer> embedded, JsonMapper json) {
    EmbeddedPostgresServer pg = embedded.getIfAvailable();
    var registration =
        new FilterRegistrationBean<>(new DatabaseAway(pg == null ? () -> true : pg::running, json));
    registration.setEnabled(pg != null);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }
}
