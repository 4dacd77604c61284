package dev.bluepost.platform;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The local folder for development keys (created owner-only on first use). */
@ApplicationScoped
public class DataDirectory {

    private final Path root;

    public DataDirectory(PlatformConfig config) {
        this.root = Path.of(config.dataDir()).toAbsolutePath().normalize();
    }

    /** A sub-folder of the data directory, created with owner-only permissions if missing. */
    public Path folder(String name) {
        Path dir = root.resolve(name);
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                restrictToOwner(dir, "rwx------");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data folder " + dir, e);
        }
    }

    public static void restrictToOwner(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: the folder keeps the platform's default permissions
        }
    }
}
