package io.faaspot.api.config.embedded;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * The PostgreSQL binaries (initdb, postgres and their libraries), shipped as the {@code .txz} of
 * the io.zonky.test.postgres binaries jar and unpacked once into {@code <base>/<version>}: a
 * directory of the server's user, mode 0755, that the database's user can read and run but not
 * change.
 *
 * <p>The version is the archive's CRC-32 and size as its jar's directory records them, so that a
 * start that finds its binaries reads nothing of the archive (hashing its 10 MB cost every start a
 * few hundred milliseconds); an archive met outside a jar is hashed instead.
 */
final class PostgresBinaries {
  private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);
  private static final String ARCHIVE = "postgres-linux-x86_64.txz";
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwxr-xr-x");

  private PostgresBinaries() {}

  /**
   * The directory holding {@code bin/postgres}, unpacked now unless an earlier start did.
   *
   * @param own whether {@code base} belongs to this data directory alone, so that the binaries of
   *     earlier versions in it are no longer used and can go
   */
  static Path unpack(Path base, boolean own) throws IOException {
    URL url = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
    if (url == null) {
      throw new IOException(
          ARCHIVE + " is not on the classpath (io.zonky.test.postgres binaries for linux-amd64)");
    }
    String version = recordedVersion(url);
    byte[] archive = version == null ? read(url) : null;
    String name = version != null ? version : digest(archive);
    Path target = base.resolve(name);
    if (Files.isExecutable(target.resolve("bin/postgres"))) {
      return target;
    }
    if (archive == null) {
      archive = read(url);
    }
    Files.createDirectories(base);
    if (own) {
      Files.setPosixFilePermissions(base, DIR);
    }
    // Unpacked beside the target and renamed into place: a start cut short leaves no half tree.
    Path tmp = base.resolve(name + ".tmp-" + UUID.randomUUID());
    Files.createDirectory(tmp, PosixFilePermissions.asFileAttribute(DIR));
    try {
      extract(archive, tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileSystemException e) {
      // Another server sharing the directory unpacked the same binaries first.
      if (!Files.isExecutable(target.resolve("bin/postgres"))) {
        throw e;
      }
    } finally {
      FileSystemUtils.deleteRecursively(tmp);
    }
    if (own) {
      removeOthers(base, name);
    }
    log.info("unpacked the PostgreSQL binaries into {}", target);
    return target;
  }

  private static byte[] read(URL url) throws IOException {
    try (InputStream in = url.openStream()) {
      return in.readAllBytes();
    }
  }

  /** The archive's CRC-32 and size from its jar's directory, or null outside a jar. */
  private static String recordedVersion(URL url) throws IOException {
    if (!(url.openConnection() instanceof JarURLConnection jar)) {
      return null;
    }
    JarEntry entry = jar.getJarEntry();
    if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
      return null;
    }
    return String.format("crc%08x-%d", entry.getCrc(), entry.getSize());
  }

  private static void extract(byte[] archive, Path into) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZCompressorInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = into.resolve(entry.getName()).normalize();
        if (!path.startsWith(into)) {
          throw new IOException("refusing an archive entry outside its directory: " + entry);
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          Files.setPosixFilePermissions(path, DIR);
        } else if (entry.isSymbolicLink()) {
          Path link = Path.of(entry.getLinkName());
          if (link.isAbsolute() || !path.getParent().resolve(link).normalize().startsWith(into)) {
            throw new IOException("refusing a link outside the archive: " + entry);
          }
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, link);
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path);
          // Readable by all, executable where the archive says so, writable by the owner only.
          boolean executable = (entry.getMode() & 0111) != 0;
          Files.setPosixFilePermissions(
              path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
  }

  /** Binaries of earlier versions: no server runs them any more (one server per data dir). */
  private static void removeOthers(Path base, String keep) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base)) {
      for (Path dir : dirs) {
        if (!dir.getFileName().toString().equals(keep)) {
          FileSystemUtils.deleteRecursively(dir);
        }
      }
    } catch (IOException e) {
      log.warn("could not remove old PostgreSQL binaries in {}: {}", base, e.toString());
    }
  }

  private static String digest(byte[] archive) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(archive);
      return HexFormat.of().formatHex(sha, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
