package dev.bluepost.platform.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The stand-in mail server speaks enough SMTP for the mail client, and serves clients side by side. */
class LoopbackSmtpServerTest {

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    @Test
    void shouldReceiveAMessageWithItsRecipientsAndHeaders() throws IOException {
        List<LoopbackSmtpServer.Received> received = new CopyOnWriteArrayList<>();
        try (LoopbackSmtpServer server = LoopbackSmtpServer.start("smtp-test", received::add);
                Client client = new Client(server.port())) {
            client.expect("220");
            client.send("EHLO client", "250");
            client.send("MAIL FROM:<from@example.org>", "250");
            client.send("RCPT TO:<to@example.org>", "250");
            client.send("DATA", "354");
            client.send(
                    "Message-ID: <one@example.org>\r\nSubject: hello\r\n\r\n..dot-stuffed line\r\n.",
                    "250");
            client.send("QUIT", "221");
        }
        assertEquals(1, received.size());
        assertEquals(List.of("to@example.org"), received.get(0).recipients());
        assertEquals("<one@example.org>", received.get(0).header("message-id"));
        assertTrue(received.get(0).text().contains("\r\n.dot-stuffed line\r\n"));
    }

    @Test
    void shouldServeASecondClientWhileTheFirstKeepsItsConnectionOpen() throws IOException {
        List<LoopbackSmtpServer.Received> received = new CopyOnWriteArrayList<>();
        try (LoopbackSmtpServer server = LoopbackSmtpServer.start("smtp-test", received::add);
                Client keepsOpen = new Client(server.port());
                Client second = new Client(server.port())) {
            keepsOpen.expect("220");
            keepsOpen.send("EHLO pooled", "250");
            // the first client stays connected, as a pooled mail client does between e-mails
            second.expect("220");
            second.send("EHLO second", "250");
            second.send("MAIL FROM:<from@example.org>", "250");
            second.send("RCPT TO:<to@example.org>", "250");
            second.send("DATA", "354");
            second.send("Message-ID: <two@example.org>\r\n\r\nbody\r\n.", "250");
            second.send("QUIT", "221");
        }
        assertEquals(1, received.size());
        assertEquals("<two@example.org>", received.get(0).header("Message-ID"));
    }

    /** A client that writes lines and reads the server's answers (multi-line answers read whole). */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            in =
                    new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        void send(String line, String expectedCode) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(expectedCode);
        }

        void expect(String code) throws IOException {
            String answer = in.readLine();
            while (answer != null && answer.length() > 3 && answer.charAt(3) == '-') {
                answer = in.readLine();
            }
            assertTrue(
                    answer != null && answer.startsWith(code),
                    "expected " + code + ", the server answered " + answer);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
