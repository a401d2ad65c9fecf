package io.faaspot.api.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.stereotype.Controller;

/**
 * A controller of the web console ({@code /console/}): it answers HTML pages, and its failures
 * become an error page rather than the API's JSON body. Each feature package has its own pages, as
 * it has its own API controller, over the same services.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Controller
public @interface ConsoleController {}
