package io.faaspot.api.cost;

import io.faaspot.api.config.CostsProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.springframework.stereotype.Component;

/**
 * Prices per hour: the on-demand price of each instance type (the table shipped with the product,
 * or the operator's, with per-type overrides), and the notional spot price of a local spot.
 */
@Component
public class PriceTable {
  static final String SHIPPED = "/prices/on-demand.properties";

  private final Map<String, BigDecimal> onDemand;
  private final BigDecimal localHourly;

  PriceTable(CostsProperties props) {
    Map<String, BigDecimal> table = new HashMap<>(load(props));
    table.putAll(props.onDemandPrices());
    this.onDemand = Map.copyOf(table);
    this.localHourly = props.localHourlyPrice();
  }

  /** The on-demand price per hour of the instance type, when the table knows it. */
  public Optional<BigDecimal> onDemand(String instanceType) {
    return instanceType == null
        ? Optional.empty()
        : Optional.ofNullable(onDemand.get(instanceType));
  }

  /**
   * What a spot costs per hour: the price its provider reported at launch, else the notional price
   * of a local spot (null when neither is known: such a spot counts as free).
   */
  public BigDecimal spotPrice(String provider, BigDecimal reported) {
    if (reported != null) {
      return reported;
    }
    return "local".equals(provider) ? localHourly : null;
  }

  private static Map<String, BigDecimal> load(CostsProperties props) {
    Properties p = new Properties();
    try {
      if (props.priceTable() != null) {
        try (Reader r = Files.newBufferedReader(props.priceTable(), StandardCharsets.UTF_8)) {
          p.load(r);
        }
      } else {
        try (InputStream in = PriceTable.class.getResourceAsStream(SHIPPED)) {
          p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the price table: " + e.getMessage(), e);
    }
    Map<String, BigDecimal> table = new HashMap<>();
    for (String type : p.stringPropertyNames()) {
      try {
        table.put(type.strip(), new BigDecimal(p.getProperty(type).strip()));
      } catch (NumberFormatException e) {
        throw new IllegalStateException(
            "the price table gives " + type + " a price that is no number: " + p.getProperty(type));
      }
    }
    return table;
  }
}
