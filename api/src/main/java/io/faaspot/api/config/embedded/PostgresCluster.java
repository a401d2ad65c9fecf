package io.faaspot.api.config.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * The data directory of the embedded PostgreSQL, made ready for a postmaster: what an earlier run
 * left running is stopped, a new directory is made with a password, and one made by an earlier
 * version (trust authentication, owned by root) gets a password and its owner before any postmaster
 * listens on it.
 */
final class PostgresCluster {
  private static final Logger log = LoggerFactory.getLogger(PostgresCluster.class);
  static final String SUPERUSER = "postgres";
  static final String HBA_MARKER =
      "# Written by the FaaSpot server at each start of its embedded PostgreSQL; edits are lost.";
  private static final String HBA =
      HBA_MARKER
          + "\n"
          + "local all all scram-sha-256\n"
          + "host all all 127.0.0.1/32 scram-sha-256\n"
          + "host all all ::1/128 scram-sha-256\n";
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(10);

  private final Path dir;
  private final Path binaries;
  private final DbUser user;

  PostgresCluster(Path dir, Path binaries, DbUser user) {
    this.dir = dir;
    this.binaries = binaries;
    this.user = user;
  }

  void prepare(PasswordFile password) throws IOException {
    LeftPostmaster.stopIfRunning(dir);
    Path fresh = dir.resolveSibling(dir.getFileName() + ".initdb");
    FileSystemUtils.deleteRecursively(fresh);
    if (!Files.exists(dir.resolve("PG_VERSION"))) {
      if (Files.isDirectory(dir) && isEmpty(dir)) {
        Files.delete(dir);
      } else if (Files.exists(dir)) {
        throw new IOException(dir + " is neither empty nor a PostgreSQL data directory");
      }
      // Made beside and renamed into place: a start cut short never leaves half a cluster.
      initdb(fresh, password.value());
      writeHba(fresh);
      Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
      log.info(
          "created the embedded PostgreSQL's data directory {} (superuser {}, password in {})",
          dir,
          SUPERUSER,
          dir.resolveSibling("postgres-password"));
      return;
    }
    if (user.separate() && !user.owns(dir)) {
      int changed = user.ownTree(dir);
      log.warn("gave the data directory {} ({} files) to the user {}", dir, changed, user.name());
    }
    boolean ourHba = hbaIsOurs();
    if (!ourHba || password.created()) {
      setPassword(password.value());
      log.warn(
          ourHba
              ? "{} was missing: gave the PostgreSQL superuser a new password"
              : "the data directory of an earlier version trusted every local connection: gave"
                  + " the PostgreSQL superuser the password in {} before it listens, and"
                  + " password authentication only (scram-sha-256)",
          dir.resolveSibling("postgres-password"));
    }
    writeHba(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  private void initdb(Path into, String password) throws IOException {
    Files.createDirectory(
        into, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    user.own(into);
    // initdb reads the password from a file: a copy only the database's user can read, deleted
    // as soon as initdb has hashed it into the catalog.
    Path pwfile =
        Files.createTempFile(
            into.getParent(),
            ".initdb-password",
            "",
            PosixFilePermissions.asFileAttribute(PasswordFile.OWNER_ONLY));
    try {
      Files.writeString(pwfile, password + "\n");
      user.own(pwfile);
      Commands.Result r =
          Commands.run(
              user.command(
                  List.of(
                      binaries.resolve("bin/initdb").toString(),
                      "-D",
                      into.toString(),
                      "-U",
                      SUPERUSER,
                      "--auth=scram-sha-256",
                      "--pwfile=" + pwfile,
                      "--encoding=UTF8",
                      "--no-locale",
                      "--no-instructions"),
                  false),
              binaries,
              null,
              TOOL_TIMEOUT);
      if (!r.ok()) {
        throw new IOException("initdb failed (exit " + r.exitCode() + "):\n" + r.output());
      }
    } finally {
      Files.deleteIfExists(pwfile);
    }
  }

  /**
   * Sets the superuser's password in single-user mode: no postmaster runs, so nothing can connect
   * while the old trust rules are still in pg_hba.conf.
   */
  private void setPassword(String password) throws IOException {
    Commands.Result r =
        Commands.run(
            user.command(
                List.of(
                    binaries.resolve("bin/postgres").toString(),
                    "--single",
                    "-D",
                    dir.toString(),
                    "-c",
                    "password_encryption=scram-sha-256",
                    // An error ends the backend with a non-zero exit, and never logs the statement.
                    "-c",
                    "exit_on_error=on",
                    "-c",
                    "log_min_error_statement=panic",
                    "postgres"),
                false),
            binaries,
            // The password is base64url: nothing in it can end the quoted literal.
            "ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'\n",
            TOOL_TIMEOUT);
    if (!r.ok()) {
      throw new IOException(
          "setting the PostgreSQL password in single-user mode failed (exit "
              + r.exitCode()
              + "):\n"
              + r.output().replace(password, "<password>"));
    }
  }

  private boolean hbaIsOurs() throws IOException {
    Path hba = dir.resolve("pg_hba.conf");
    return Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARKER);
  }

  private void writeHba(Path into) throws IOException {
    Path tmp = into.resolve("pg_hba.conf.tmp");
    Files.deleteIfExists(tmp);
    Files.writeString(tmp, HBA);
    Files.setPosixFilePermissions(tmp, PasswordFile.OWNER_ONLY);
    user.own(tmp);
    Files.move(
        tmp,
        into.resolve("pg_hba.conf"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
