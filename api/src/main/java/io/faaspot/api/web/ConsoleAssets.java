package io.faaspot.api.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * The console's script and style ({@code src/main/resources/console-assets}) and its chart library
 * (uPlot, from its WebJar), under {@code /console/assets/}: the console's own path, which its
 * security rules open to everyone.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleAssets implements WebMvcConfigurer {
  /** The WebJar's version (the parent POM's {@code uplot.version}); the browser test loads it. */
  static final String UPLOT = "classpath:/META-INF/resources/webjars/uplot/1.6.30/dist/";

  /**
   * The resource chain's link rewriting, which Boot puts in front of every request once a WebJar is
   * on the class path, for the console's pages only: the API's calls, each of which paid for its
   * request wrapper, link to no asset.
   */
  @Bean
  FilterRegistrationBean<ResourceUrlEncodingFilter> resourceUrlEncodingFilter() {
    FilterRegistrationBean<ResourceUrlEncodingFilter> r =
        new FilterRegistrationBean<>(new ResourceUrlEncodingFilter());
    r.addUrlPatterns("/console", "/console/*");
    return r;
  }

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry.addResourceHandler("/console/assets/uplot/**").addResourceLocations(UPLOT);
    registry
        .addResourceHandler("/console/assets/**")
        .addResourceLocations("classpath:/console-assets/");
  }
}
