package io.faaspot.api.secrets;

import io.faaspot.api.config.SecretsProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys contexts are sealed with: {@code faaspot.secrets-key}, or else the key file in the data
 * directory (written at the first start), and the key before a rotation, {@code
 * faaspot.secrets-previous-key}, which only opens.
 *
 * @param currentSource where the current key came from, for messages: the property or the file
 * @param previous null when no rotation is under way
 */
record ContextKeys(ContextKey current, String currentSource, ContextKey previous) {
  static final String KEY_FILE = "secrets-key";
  private static final Logger log = LoggerFactory.getLogger(ContextKeys.class);

  /** The key with this id, or null when it is neither of these. */
  ContextKey withId(String id) {
    if (current.id().equals(id)) {
      return current;
    }
    return previous != null && previous.id().equals(id) ? previous : null;
  }

  static ContextKeys load(SecretsProperties props, Path dataDir) {
    Path file = dataDir.toAbsolutePath().resolve(KEY_FILE);
    String source =
        props.secretsKey() != null
            ? "faaspot.secrets-key"
            : "faaspot.secrets-key (unset, so the key file " + file + ")";
    ContextKey current =
        props.secretsKey() != null
            ? decode(props.secretsKey(), "faaspot.secrets-key")
            : fromFile(file);
    ContextKey previous =
        props.secretsPreviousKey() == null
            ? null
            : decode(props.secretsPreviousKey(), "faaspot.secrets-previous-key");
    if (previous != null && previous.id().equals(current.id())) {
      previous = null;
    }
    return new ContextKeys(current, source, previous);
  }

  /**
   * A key as configured. The messages never quote the value: it would end up in the log.
   *
   * @param where the property or file it came from
   */
  static ContextKey decode(String base64, String where) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          where
              + " is not base64; it must be the base64 of 32 random bytes (e.g. `openssl rand"
              + " -base64 32`); see README, Secrets");
    }
    if (bytes.length != ContextKey.KEY_BYTES) {
      throw new IllegalStateException(
          where
              + " must be the base64 of 32 random bytes (e.g. `openssl rand -base64 32`), but it"
              + " holds "
              + bytes.length
              + " bytes; see README, Secrets");
    }
    return new ContextKey(bytes);
  }

  /**
   * The key in {@code file}, made at the first start: written to a temporary file of the owner's
   * alone, flushed to the disk, then linked under its name, which fails if a second server sharing
   * the directory got there first (its key is then the one read). A reader never sees half a key.
   */
  private static ContextKey fromFile(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        Path tmp = ownerOnlyTempFile(file.getParent());
        try {
          try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            out.write(
                ByteBuffer.wrap((ContextKey.generate() + "\n").getBytes(StandardCharsets.UTF_8)));
            out.force(true);
          }
          Files.createLink(file, tmp);
          log.warn(
              "generated the key that encrypts deployment contexts into {}: back it up (apart"
                  + " from the database), the contexts cannot be read without it; see README,"
                  + " Secrets",
              file);
        } catch (FileAlreadyExistsException e) {
          // Another server made it a moment ago.
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      return decode(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the secrets key file " + file, e);
    }
  }

  private static Path ownerOnlyTempFile(Path dir) throws IOException {
    try {
      return Files.createTempFile(
          dir,
          "." + KEY_FILE,
          ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      return Files.createTempFile(dir, "." + KEY_FILE, ".tmp");
    }
  }
}
