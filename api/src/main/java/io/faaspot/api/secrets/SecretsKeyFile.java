package io.faaspot.api.secrets;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key file in the data directory, used when {@code faaspot.secrets-key} is unset: made once, so
 * that servers sharing the directory, started at once, end up with one key between them.
 */
final class SecretsKeyFile {
  private static final Logger log = LoggerFactory.getLogger(SecretsKeyFile.class);

  private SecretsKeyFile() {}

  /**
   * The key in {@code file}, made at the first start: written to a temporary file of the owner's
   * alone, flushed to the disk, then linked under its name, which fails if a second server sharing
   * the directory got there first (its key is then the one read). A reader never sees half a key.
   */
  static ContextKey read(Path file) {
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
      return ContextKeys.decode(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the secrets key file " + file, e);
    }
  }

  private static Path ownerOnlyTempFile(Path dir) throws IOException {
    try {
      return Files.createTempFile(
          dir,
          "." + ContextKeys.KEY_FILE,
          ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      return Files.createTempFile(dir, "." + ContextKeys.KEY_FILE, ".tmp");
    }
  }
}
