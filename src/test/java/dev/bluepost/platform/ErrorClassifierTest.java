package dev.bluepost.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorClassifier;
import dev.bluepost.platform.errors.ErrorInfo;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.errors.SafeThrowables;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

    private final ErrorClassifier classifier = new ErrorClassifier();

    @Test
    void shouldTurnUnreachableDatabaseInto503WithRetryAfter() {
        ErrorInfo info =
                classifier.classify(
                        new PersistenceException(
                                "x",
                                new SQLException("Connection to localhost:5432 refused", "08001")));
        assertThat(info.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(info.retryAfterSeconds()).isPositive();
        assertThat(
                        classifier
                                .classify(
                                        new RuntimeException(
                                                new SQLException(
                                                        "Acquisition timeout while waiting for new connection")))
                                .kind())
                .isEqualTo(ErrorKind.UNAVAILABLE);
        // what Agroal 3.2 throws when the pool stays exhausted for the acquisition timeout (seen
        // under load)
        assertThat(
                        classifier
                                .classify(
                                        new RuntimeException(
                                                new SQLException("Sorry, acquisition timeout!")))
                                .kind())
                .isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(
                        ErrorClassifier.isDatabaseUnavailable(
                                new RuntimeException(
                                        new SQLException("Sorry, acquisition timeout!"))))
                .isTrue();
        assertThat(
                        classifier
                                .classify(
                                        new SQLException(
                                                "terminating connection due to administrator command",
                                                "57P01"))
                                .kind())
                .isEqualTo(ErrorKind.UNAVAILABLE);
    }

    @Test
    void shouldTreatAClientThatHungUpMidRequestAsABadRequestNotAServerError() {
        // what Vert.x reports when the client closes the connection while the body is read
        java.io.IOException closed =
                new java.io.IOException(new java.nio.channels.ClosedChannelException());
        assertThat(classifier.classify(closed).kind()).isEqualTo(ErrorKind.MALFORMED);
        assertThat(classifier.classify(new java.io.IOException("Connection reset by peer")).kind())
                .isEqualTo(ErrorKind.MALFORMED);
        assertThat(classifier.classify(new java.io.IOException("disk full")).kind())
                .isEqualTo(ErrorKind.INTERNAL);
    }

    @Test
    void shouldNotPassLibraryMessagesToClients() {
        ErrorInfo info =
                classifier.classify(
                        new IllegalStateException(
                                "Key (mrn)=(12345) for dev.bluepost.directory.Patient"));
        assertThat(info.kind()).isEqualTo(ErrorKind.INTERNAL);
        assertThat(info.detail()).doesNotContain("12345").doesNotContain("dev.bluepost");
    }

    @Test
    void shouldKeepOwnMessages() {
        ErrorInfo info = classifier.classify(BluepostException.notFound("Patient", "42"));
        assertThat(info.status()).isEqualTo(404);
        assertThat(info.detail()).isEqualTo("Patient/42 is not known");
    }

    @Test
    void shouldTurnCharactersAndLengthsTheDatabaseRefusesInto400() {
        for (String state : new String[] {"22021", "22P05", "54000", "22001"}) {
            ErrorInfo info =
                    classifier.classify(
                            new PersistenceException(
                                    "x", new SQLException("invalid byte sequence 0x00", state)));
            assertThat(info.kind()).as(state).isEqualTo(ErrorKind.MALFORMED);
            assertThat(info.detail()).doesNotContain("0x00");
        }
    }

    @Test
    void shouldDescribeFailuresForTheLogWithoutTheirMessages() {
        String description =
                SafeThrowables.describe(
                        new PersistenceException(
                                "Detail: Key (email)=(ann@example.org) exists",
                                new SQLException(
                                        "duplicate key value (ann@example.org)", "23505")));
        assertThat(description)
                .contains("jakarta.persistence.PersistenceException")
                .contains("sqlState=23505")
                .doesNotContain("ann@example.org");
    }
}
