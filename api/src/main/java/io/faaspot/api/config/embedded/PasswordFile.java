package io.faaspot.api.config.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The superuser password of the embedded PostgreSQL, in {@code <data-dir>/postgres-password}:
 * readable by the server's user only, made at first start.
 *
 * @param value the password: 32 random bytes, base64url
 * @param created whether this start made it (so the database does not know it yet)
 */
record PasswordFile(String value, boolean created) {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  static PasswordFile readOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      String value = Files.readString(file).strip();
      if (!value.isEmpty()) {
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
          Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        return new PasswordFile(value, false);
      }
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    write(file, value);
    return new PasswordFile(value, true);
  }

  /**
   * Writes a secret file atomically (a crash leaves the old file or the new one, never a part),
   * mode 0600 from its creation on, flushed to the disk before it replaces the old one.
   */
  static void write(Path file, String value) throws IOException {
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            "." + file.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public String toString() {
    return "PasswordFile[created=" + created + "]";
  }
}
