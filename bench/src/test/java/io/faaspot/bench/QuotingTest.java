package io.faaspot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotingTest {
  @Test
  void quotesCodeAsPythonDoes() {
    // python3 -c "from urllib.parse import quote; print(quote(CODE))"
    assertThat(Quoting.quote("import six\ndef main(args, context):\n    return args"))
        .isEqualTo(
            "import%20six%0Adef%20main%28args%2C%20context%29%3A%0A%20%20%20%20return%20args");
  }

  @Test
  void keepsUnreservedAndSlashAndEncodesUtf8Bytes() {
    assertThat(Quoting.quote("a b/c~d_e.f-g+h&=?é€😀"))
        .isEqualTo("a%20b/c~d_e.f-g%2Bh%26%3D%3F%C3%A9%E2%82%AC%F0%9F%98%80");
    assertThat(Quoting.quote("AZaz09")).isEqualTo("AZaz09");
    assertThat(Quoting.quote("%\t\"'\\")).isEqualTo("%25%09%22%27%5C");
    assertThat(Quoting.quote("")).isEmpty();
  }
}
