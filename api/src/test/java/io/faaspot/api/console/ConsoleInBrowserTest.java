package io.faaspot.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.api.testing.ServerTest;
import io.faaspot.api.web.PercentCoding;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console in a real browser (Debian's headless Chromium, driven by Selenium) against the real
 * server with local spots running real agents and python3: sign in, add a spot, create a
 * deployment, run it and watch the execution succeed without reloading, cancel a long one, remove
 * the spot, sign out; the admin's Accounts page. Each page's screenshot is written to {@code
 * target/console-screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(300)
class ConsoleInBrowserTest {
  static final String ADMIN_TOKEN = "fst_console-browser-test-admin-token";
  static final Path SHOTS = Path.of("target/console-screenshots").toAbsolutePath();
  static final Duration WAIT = Duration.ofSeconds(90);

  static WebDriver browser;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) throws IOException {
    // World-readable, as an operator's is: functions run as other users.
    Path data =
        Files.createTempDirectory(
            "faaspot-console",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    r.add("faaspot.data-dir", data::toString);
    r.add("faaspot.embedded-db.binaries-dir", ServerTest.PG_BINARIES::toString);
    r.add("faaspot.admin-token", () -> ADMIN_TOKEN);
    r.add("faaspot.spots.provider", () -> "local");
    r.add("faaspot.spots.reconcile-interval", () -> "200ms");
    r.add("faaspot.spots.drain-timeout", () -> "10s");
    r.add("faaspot.queue.agent-heartbeat", () -> "1s");
    r.add("faaspot.api.sync-wait", () -> "30s");
  }

  @BeforeAll
  static void startBrowser() throws IOException {
    File chromium = new File("/usr/bin/chromium");
    File driver = new File("/usr/bin/chromedriver");
    assertThat(chromium)
        .as("Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
        .exists();
    assertThat(driver).exists();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder().usingDriverExecutable(driver).build(), options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void aUserSignsInRunsADeploymentOnASpotCancelsALongCallAndSignsOut() throws IOException {
    Http.User user = new Http(base()).newUser(ADMIN_TOKEN, "browser");

    // Sign in with the account's username and password.
    open("/console/executions");
    assertThat(browser.getCurrentUrl()).contains("/console/sign-in");
    shot("01-sign-in");
    browser.findElement(By.id("username")).sendKeys(user.username());
    browser.findElement(By.id("password")).sendKeys(user.password());
    browser.findElement(By.id("sign-in")).click();
    waitFor().until(ExpectedConditions.urlContains("/console/executions"));
    assertThat(browser.findElement(By.id("sign-out")).isDisplayed()).isTrue();

    // Add a spot: a local one, with a real agent, until it is Ready.
    open("/console/spots");
    browser.findElement(By.id("add-spot")).click();
    // The click's answer is a new page: wait for it rather than read the old one.
    waitFor()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".notice"), "Adding a spot"));
    // The page is not live: reloading shows the state as it is now.
    waitFor()
        .until(
            b -> {
              b.navigate().refresh();
              return b.findElement(By.id("spots")).getText().contains("Ready");
            });
    shot("02-spots");

    // Create a deployment through the form.
    open("/console/deployments");
    browser.findElement(By.id("name")).sendKeys("hello");
    setValue(
        "code",
        "def main(args, context):\n    # Greets whoever is named\n"
            + "    return \"Hello \" + args.get(\"name\", \"world\")\n");
    setValue("context", "GREETING=secret-greeting\n");
    browser.findElement(By.id("create")).click();
    waitFor().until(ExpectedConditions.urlContains("/console/deployments/hello"));
    assertThat(browser.findElement(By.id("context-keys")).getText()).isEqualTo("GREETING");
    assertThat(browser.getPageSource()).doesNotContain("secret-greeting");
    assertThat(browser.findElements(By.cssSelector("code.python .tok-kw"))).isNotEmpty();
    waitFor()
        .until(
            b -> {
              b.navigate().refresh();
              return b.findElement(By.id("build-status")).getText().equals("Success");
            });
    shot("03-deployment");

    // Run it synchronously: the result is on the page.
    setValue("args", "{\"name\": \"Grace\"}");
    browser.findElement(By.cssSelector("label[for=mode-sync]")).click();
    browser.findElement(By.id("run")).click();
    waitFor().until(ExpectedConditions.presenceOfElementLocated(By.id("result")));
    assertThat(browser.findElement(By.id("result")).getText())
        .contains("Success")
        .contains("Hello Grace");

    // Run it asynchronously: the execution's page follows it to Success without a reload.
    setValue("args", "{\"name\": \"Ada\"}");
    browser.findElement(By.cssSelector("label[for=mode-async]")).click();
    browser.findElement(By.id("run")).click();
    waitFor().until(ExpectedConditions.urlContains("/console/executions/"));
    String id = browser.getCurrentUrl().replaceAll(".*/console/executions/", "");
    waitFor().until(ExpectedConditions.textToBe(By.id("status"), "Success"));
    assertThat(browser.findElement(By.id("output")).getText()).isEqualTo("Hello Ada");
    shot("04-execution");

    // The live list: it shows that execution, and one started elsewhere appears without a reload.
    open("/console/executions");
    assertThat(browser.findElement(By.cssSelector("tr[data-id='" + id + "']")).getText())
        .contains("Success");
    String fromApi = user.get("/api/deployments/hello/rpc/?name=Linus").json().asString();
    waitFor()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("tr[data-id='" + fromApi + "']"), "Success"));
    shot("05-executions");

    // A long call, cancelled from its page.
    Http.Response sleepy =
        user.put(
            "/api/deployments/",
            "{\"name\": \"sleepy\", \"code\": \""
                + PercentCoding.quote(
                    "import time\n\ndef main(args, context):\n    time.sleep(120)\n    return 1\n")
                + "\"}");
    assertThat(sleepy.status()).as(sleepy.body()).isEqualTo(200);
    open("/console/deployments/sleepy");
    browser.findElement(By.id("run")).click();
    waitFor().until(ExpectedConditions.textToBe(By.id("status"), "Started"));
    browser.findElement(By.id("cancel")).click();
    waitFor().until(ExpectedConditions.textToBe(By.id("status"), "Cancelled"));
    assertThat(browser.findElements(By.id("cancel"))).isEmpty();

    // Charts: drawn from the server's data.
    open("/console/charts");
    waitFor().until(ExpectedConditions.attributeToBe(By.id("charts"), "data-drawn", "hour"));
    assertThat(browser.findElements(By.cssSelector("#charts canvas"))).hasSize(3);
    // Spend against on demand, from the same costs as GET /api/account/costs.
    waitFor()
        .until(
            ExpectedConditions.textMatches(
                By.cssSelector("#spend-vs-on-demand [data-spend-summary]"),
                java.util.regex.Pattern.compile(
                    "\\$[0-9.]+ on spots; the same hours on demand: \\$[0-9.]+; saved .*")));
    shot("06-charts");

    // The spot's price per hour, and the on-demand price of its type (the shipped table's).
    open("/console/spots");
    assertThat(browser.findElement(By.id("spots")).getText()).contains("$0.0416");

    // Remove the spot from its page: it drains, then is gone.
    browser.findElement(By.cssSelector("#spots tbody a")).click();
    waitFor().until(ExpectedConditions.presenceOfElementLocated(By.id("remove")));
    shot("07-spot");
    browser.findElement(By.id("remove")).click();
    waitFor().until(ExpectedConditions.urlMatches(".*/console/spots$"));
    waitFor()
        .until(
            b -> {
              b.navigate().refresh();
              return b.findElements(By.cssSelector("#spots tbody tr[data-id]")).isEmpty();
            });

    // On a phone: the same pages, narrow.
    browser.manage().window().setSize(new Dimension(390, 844));
    open("/console/executions");
    assertThat(browser.findElement(By.id("sign-out")).isDisplayed()).isTrue();
    shot("08-executions-phone");
    browser.manage().window().setSize(new Dimension(1280, 1000));

    // Sign out: the session is over.
    browser.findElement(By.id("sign-out")).click();
    waitFor().until(ExpectedConditions.urlContains("/console/sign-in?signed-out"));
    open("/console/executions");
    assertThat(browser.getCurrentUrl()).contains("/console/sign-in");
  }

  @Test
  void theAdminCreatesAnAccountAndSeesItsTokenOnce() throws IOException {
    open("/console/sign-in");
    browser.findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
    browser.findElement(By.id("sign-in")).click();
    waitFor().until(ExpectedConditions.urlContains("/console/executions"));

    open("/console/accounts");
    browser.findElement(By.id("new-username")).sendKeys("carol");
    browser.findElement(By.cssSelector("#create-account button")).click();
    waitFor().until(ExpectedConditions.presenceOfElementLocated(By.id("new-token")));
    String token = browser.findElement(By.cssSelector("#new-token code")).getText();
    shot("09-accounts");

    assertThat(token).startsWith("fst_");
    assertThat(new Http.User(new Http(base()), "carol", token).get("/api/spots/").status())
        .isEqualTo(200);
    List<WebElement> revoke = browser.findElements(By.cssSelector("button[aria-label^=Revoke]"));
    assertThat(revoke).isNotEmpty();
    browser.findElement(By.id("sign-out")).click();
    waitFor().until(ExpectedConditions.urlContains("/console/sign-in"));
  }

  @Test
  void signingOutWhileTheLiveListPollsLandsOnTheSignedOutPage() {
    open("/console/sign-in");
    browser.findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
    browser.findElement(By.id("sign-in")).click();
    waitFor().until(ExpectedConditions.urlContains("/console/executions"));
    assertThat(browser.findElements(By.cssSelector("[data-poll]"))).isNotEmpty();

    // The sign-out's answer is held back for longer than two of the list's polls: each poll then
    // finds the session already over while the browser waits for the signed-out page.
    HoldSignOut.millis = 5_000;
    try {
      browser.findElement(By.id("sign-out")).click();
      waitFor().until(ExpectedConditions.urlContains("/console/sign-in?signed-out"));
    } finally {
      HoldSignOut.millis = 0;
    }
    assertThat(HoldSignOut.pollsWhileHeld.get()).isPositive();
    assertThat(browser.findElement(By.cssSelector(".notice")).getText())
        .isEqualTo("You are signed out.");
  }

  /**
   * Holds the answer to a sign-out, once the server has ended the session, for as long as a test
   * asks, and counts the polls that arrive meanwhile.
   */
  @TestConfiguration
  static class HoldSignOut {
    static volatile long millis;
    static volatile boolean holding;
    static final AtomicInteger pollsWhileHeld = new AtomicInteger();

    @Bean
    FilterRegistrationBean<Filter> holdSignOut() {
      FilterRegistrationBean<Filter> bean =
          new FilterRegistrationBean<>(
              (request, response, chain) -> {
                String path = ((HttpServletRequest) request).getRequestURI();
                if (holding && path.startsWith("/console/executions/rows")) {
                  pollsWhileHeld.incrementAndGet();
                }
                chain.doFilter(request, response);
                if (millis > 0 && path.equals("/console/sign-out")) {
                  holding = true;
                  try {
                    Thread.sleep(millis);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    holding = false;
                  }
                }
              });
      bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return bean;
    }
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  private void open(String path) {
    browser.get(base() + path);
  }

  private static WebDriverWait waitFor() {
    return new WebDriverWait(browser, WAIT, Duration.ofMillis(250));
  }

  /** Sets a field as pasting would (typing a function would meet the browser's auto-indent). */
  private static void setValue(String id, String value) {
    ((JavascriptExecutor) browser)
        .executeScript("arguments[0].value = arguments[1]", browser.findElement(By.id(id)), value);
  }

  private static void shot(String name) throws IOException {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name + ".png"), png);
  }
}
