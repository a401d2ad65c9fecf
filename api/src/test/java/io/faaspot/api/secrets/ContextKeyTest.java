package io.faaspot.api.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The sealed format: what opens, what does not, and what counts as plain text. */
class ContextKeyTest {
  final ContextKey key = ContextKeys.decode(ContextKey.generate(), "test");
  final ContextKey other = ContextKeys.decode(ContextKey.generate(), "test");

  @Test
  void aSealedValueOpensForWhatItWasSealedForAndTwoSealsOfOneValueDiffer() {
    // given a context with characters beyond ASCII
    String context = "TOKEN=\"h\u00e9llo \ud83d\udca1\"\n";

    // when it is sealed twice for one version
    String first = key.seal(context, Contexts.boundTo(1, 2));
    String second = key.seal(context, Contexts.boundTo(1, 2));

    // then each opens to it, and the random IVs make them differ
    assertThat(first).startsWith("v1:" + key.id() + ":").doesNotContain("TOKEN");
    assertThat(key.open(first, Contexts.boundTo(1, 2))).isEqualTo(context);
    assertThat(key.open(second, Contexts.boundTo(1, 2))).isEqualTo(context);
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void aValueSealedForAnotherVersionWithAnotherKeyOrChangedDoesNotOpen() {
    // given a sealed value
    String sealed = key.seal("A=1", Contexts.boundTo(1, 1));
    byte[] bytes = Base64.getDecoder().decode(sealed.substring(12));
    bytes[bytes.length - 1] ^= 1;
    String changed = sealed.substring(0, 12) + Base64.getEncoder().encodeToString(bytes);
    String sameIdOtherKey = "v1:" + key.id() + other.seal("A=1", "x").substring(11);

    // when it is opened as another version's, changed, or sealed by another key under this id
    // then none opens
    assertThatThrownBy(() -> key.open(sealed, Contexts.boundTo(2, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> key.open(changed, Contexts.boundTo(1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> key.open(sameIdOtherKey, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> other.open(sealed, Contexts.boundTo(1, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sealed with key " + key.id());
  }

  @Test
  void plainTextIsNeverTakenForASealedValue() {
    // given contexts an older server stored in plain text
    // when their key ids are read, then there are none
    assertThat(ContextKey.keyIdOf("")).isNull();
    assertThat(ContextKey.keyIdOf("A=1\n")).isNull();
    assertThat(ContextKey.keyIdOf("v1:A=1")).isNull();
    assertThat(ContextKey.keyIdOf("v1:deadbeef")).isNull();
    assertThat(ContextKey.keyIdOf("v1:DEADBEEF:x")).isNull();
    assertThat(ContextKey.keyIdOf("v1:deadbeefx:x")).isNull();
    assertThat(ContextKey.keyIdOf("v1:deadbeef:x")).isEqualTo("deadbeef");
  }

  @Test
  void contextsOpenPlainTextRowsAsTheyAreAndSealedOnesForTheirVersionOnly() {
    // given the contexts of a server with a key
    Contexts contexts = new Contexts(new ContextKeys(key, "test", null));
    String sealed = contexts.seal(7, 3, "S=1");

    // when a plain-text row, its own sealed row and a copy in another version are opened
    // then the first two read, the copy does not
    assertThat(contexts.open(7, 3, "P=1")).isEqualTo("P=1");
    assertThat(contexts.open(7, 3, sealed)).isEqualTo("S=1");
    assertThatThrownBy(() -> contexts.open(8, 3, sealed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("deployment 8 version 3");
  }
}
