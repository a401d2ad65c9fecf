package io.faaspot.api.account;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The key a client address's failed logins count under: the address itself, or for IPv6 its /64
 * network, which one host usually holds whole (else a guesser would change address per guess).
 */
final class AddressKey {
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  private AddressKey() {}

  static String of(String address) {
    if (address == null || address.indexOf(':') < 0 || !IPV6_LITERAL.matcher(address).matches()) {
      return String.valueOf(address);
    }
    try {
      // Only a literal gets here (a forwarded header could hold anything), so nothing resolves.
      InetAddress parsed = InetAddress.getByName(address);
      if (parsed instanceof Inet6Address) {
        return HexFormat.of().formatHex(Arrays.copyOf(parsed.getAddress(), 8)) + "/64";
      }
      return parsed.getHostAddress();
    } catch (UnknownHostException e) {
      return address;
    }
  }
}
