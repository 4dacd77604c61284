package dev.bluepost.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md shows the access matrix generated from docs/access-matrix.csv (which
 * AuthorizationProofIT proves against the running application), so the two cannot drift. Run with
 * {@code -Dwrite-access-matrix=true} to rewrite the section after editing the CSV.
 */
class AccessMatrixDocTest {

    private static final Path DOC = Path.of("docs/security.md");

    @Test
    void securityDocShowsTheMatrixTheProofTestChecks() throws Exception {
        AccessMatrix matrix = AccessMatrix.read();
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(AccessMatrix.BEGIN);
        int end = doc.indexOf(AccessMatrix.END);
        assertThat(begin)
                .as("docs/security.md has the generated access-matrix section")
                .isGreaterThanOrEqualTo(0);
        assertThat(end).isGreaterThan(begin);
        String generated =
                AccessMatrix.BEGIN + "\n\n" + matrix.markdown() + "\n" + AccessMatrix.END;
        String current = doc.substring(begin, end + AccessMatrix.END.length());
        if (Boolean.getBoolean("write-access-matrix") && !current.equals(generated)) {
            Files.writeString(
                    DOC,
                    doc.substring(0, begin)
                            + generated
                            + doc.substring(end + AccessMatrix.END.length()),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(current)
                .as(
                        "docs/security.md's access matrix equals docs/access-matrix.csv "
                                + "(regenerate: ./mvnw test -Dtest=AccessMatrixDocTest -Dwrite-access-matrix=true)")
                .isEqualTo(generated);
    }
}
