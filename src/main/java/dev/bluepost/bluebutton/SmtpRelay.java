package dev.bluepost.bluebutton;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small SMTP client for handing one finished message (its exact bytes: S/MIME must not be
 * re-encoded) to the practice's HISP relay: EHLO, STARTTLS or implicit TLS, AUTH PLAIN, MAIL,
 * RCPT, DATA (dot-stuffed), QUIT. It throws {@link RelayException} with the relay's reply code,
 * never an address.
 */
final class SmtpRelay {

    /** The relay refused or could not be reached; {@code code} is the SMTP reply code (0: no reply). */
    static final class RelayException extends Exception {
        final int code;

        RelayException(int code, String what) {
            super(what + (code > 0 ? " (reply " + code + ")" : ""));
            this.code = code;
        }
    }

    record Settings(String host, int port, String tls, String username, String password) {}

    private static final int TIMEOUT_MILLIS = 30_000;

    private SmtpRelay() {}

    static void send(Settings relay, String from, String to, byte[] message) throws RelayException {
        Socket socket = null;
        try {
            socket =
                    "tls".equals(relay.tls())
                            ? SSLSocketFactory.getDefault().createSocket()
                            : new Socket();
            socket.connect(new InetSocketAddress(relay.host(), relay.port()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            Conversation smtp = new Conversation(socket);
            smtp.expect(220, "greeting");
            String ehlo = smtp.command("EHLO bluepost", 250, "EHLO");
            if ("starttls".equals(relay.tls())) {
                if (!ehlo.toUpperCase(java.util.Locale.ROOT).contains("STARTTLS")) {
                    throw new RelayException(0, "the relay does not offer STARTTLS");
                }
                smtp.command("STARTTLS", 220, "STARTTLS");
                SSLSocket tls =
                        (SSLSocket)
                                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                                        .createSocket(socket, relay.host(), relay.port(), true);
                tls.startHandshake();
                socket = tls;
                smtp = new Conversation(socket);
                smtp.command("EHLO bluepost", 250, "EHLO");
            }
            if (relay.username() != null && !relay.username().isEmpty()) {
                String plain =
                        Base64.getEncoder()
                                .encodeToString(
                                        ("\0" + relay.username() + "\0" + relay.password())
                                                .getBytes(StandardCharsets.UTF_8));
                smtp.command("AUTH PLAIN " + plain, 235, "AUTH");
            }
            smtp.command("MAIL FROM:<" + from + ">", 250, "MAIL FROM");
            smtp.command("RCPT TO:<" + to + ">", 250, "RCPT TO");
            smtp.command("DATA", 354, "DATA");
            smtp.data(message);
            smtp.expect(250, "message");
            smtp.write("QUIT");
        } catch (IOException e) {
            throw new RelayException(
                    0, "the relay could not be reached: " + e.getClass().getSimpleName());
        } finally {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing after QUIT or a failure: nothing more to do
                }
            }
        }
    }

    /** One SMTP exchange over a socket: commands and multi-line replies. */
    static final class Conversation {
        private final InputStream in;
        private final OutputStream out;

        Conversation(Socket socket) throws IOException {
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        String command(String line, int expected, String what) throws IOException, RelayException {
            write(line);
            return expect(expected, what);
        }

        void write(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        String expect(int expected, String what) throws IOException, RelayException {
            StringBuilder reply = new StringBuilder();
            int code;
            while (true) {
                String line = readLine(in);
                if (line == null || line.length() < 3) {
                    throw new RelayException(0, "the relay closed the connection at " + what);
                }
                reply.append(line).append('\n');
                if (line.length() == 3 || line.charAt(3) != '-') {
                    code = parse(line);
                    break;
                }
            }
            if (code != expected && !(expected == 250 && code == 251)) {
                throw new RelayException(code, "the relay refused " + what);
            }
            return reply.toString();
        }

        /** The message, dot-stuffed, ended by CRLF.CRLF. */
        void data(byte[] message) throws IOException {
            ByteArrayOutputStream stuffed = new ByteArrayOutputStream(message.length + 64);
            boolean lineStart = true;
            for (byte b : message) {
                if (lineStart && b == '.') {
                    stuffed.write('.');
                }
                stuffed.write(b);
                lineStart = b == '\n';
            }
            if (!lineStart) {
                stuffed.write('\r');
                stuffed.write('\n');
            }
            stuffed.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(stuffed.toByteArray());
            out.flush();
        }

        private static int parse(String line) {
            try {
                return Integer.parseInt(line.substring(0, 3));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }

    /** One CRLF- (or LF-) terminated line in US-ASCII, without its end; null at the end of the stream. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length =
                        bytes.length > 0 && bytes[bytes.length - 1] == '\r'
                                ? bytes.length - 1
                                : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.US_ASCII);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }
}
