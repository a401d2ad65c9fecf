package io.faaspot.api.config.embedded;

import io.faaspot.api.config.FaaspotProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.env.Environment;

/**
 * Starts the embedded PostgreSQL on a thread of its own as the context begins to refresh, before
 * Spring reads the configuration classes: the postmaster's start and the server's own start then
 * overlap instead of following one another (issue 19: about half a second of a restart). {@link
 * EmbeddedDatabaseConfig} takes the started server; a context that closes without taking it stops
 * it. Registered in {@code META-INF/spring.factories}; it does nothing when {@code
 * spring.datasource.url} is set or while the build processes the server ahead of time, and leaves
 * the start to the bean (and its errors to the binder's validation) when the settings do not bind.
 */
public final class EarlyEmbeddedPostgres
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {
  static final String BEAN = "faaspotEarlyEmbeddedPostgres";
  private static final Logger log = LoggerFactory.getLogger(EarlyEmbeddedPostgres.class);

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    // At refresh, not now: a test's dynamic properties are added after the initializers run.
    context.addBeanFactoryPostProcessor(
        (BeanDefinitionRegistryPostProcessor)
            registry -> start(context.getEnvironment(), registry));
  }

  private static void start(Environment env, BeanDefinitionRegistry registry) {
    // Nor while the build reads the configuration ahead of time (Spring's AOT processing).
    if (!EmbeddedDatabaseConfig.embedded(env)
        || Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)
        || !(registry instanceof DefaultListableBeanFactory beans)) {
      return;
    }
    Starting starting;
    try {
      Binder binder = Binder.get(env);
      starting =
          new Starting(
              binder.bindOrCreate("faaspot", FaaspotProperties.class).dataDir().toAbsolutePath(),
              binder.bindOrCreate("faaspot.embedded-db", EmbeddedDbProperties.class));
    } catch (RuntimeException e) {
      log.debug("the embedded PostgreSQL starts with its bean: {}", e.toString());
      return;
    }
    beans.registerSingleton(BEAN, starting);
    beans.registerDisposableBean(BEAN, starting);
  }

  /** A start under way, for the settings it was given. */
  static final class Starting implements DisposableBean {
    private final Path dataDir;
    private final EmbeddedDbProperties props;
    private final CompletableFuture<EmbeddedPostgresServer> server = new CompletableFuture<>();
    private volatile boolean taken;

    Starting(Path dataDir, EmbeddedDbProperties props) {
      this.dataDir = dataDir;
      this.props = props;
      log.info("no spring.datasource.url: starting the embedded PostgreSQL in {}", dataDir);
      Thread.ofPlatform()
          .name("embedded-postgres-start")
          .daemon(true)
          .start(
              () -> {
                try {
                  server.complete(EmbeddedPostgresServer.start(dataDir, props));
                } catch (Throwable e) {
                  server.completeExceptionally(e);
                }
              });
    }

    /**
     * The started server, once it accepts connections; null when the bean's settings differ from
     * the ones it was started with (the caller starts its own then; this one stops at close).
     */
    EmbeddedPostgresServer take(Path dataDir, EmbeddedDbProperties props) throws Exception {
      if (!this.dataDir.equals(dataDir) || !this.props.equals(props)) {
        return null;
      }
      try {
        EmbeddedPostgresServer started = server.get();
        taken = true;
        return started;
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    }

    /** Whether the bean took the server this start gave. */
    boolean taken() {
      return taken;
    }

    /** Stops a server nobody took: the context failed, or chose another database. */
    @Override
    public void destroy() throws Exception {
      if (taken) {
        return;
      }
      try {
        server
            .get(
                props.startTimeout().plus(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS)
            .close();
      } catch (ExecutionException | TimeoutException e) {
        log.debug("the early embedded PostgreSQL did not start: {}", e.toString());
      }
    }
  }
}
