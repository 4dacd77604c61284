package dev.bluepost.platform.mail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A minimal SMTP receiver on 127.0.0.1 (a free port) for the demo's and the tests' stand-in mail
 * servers: it accepts every message (no authentication, no TLS, nothing relayed) and hands each
 * one, with its envelope recipients, to a consumer (called from several threads at once, so it must
 * be thread-safe). Each connection is served on a daemon thread of its own, as a real mail server
 * serves its clients side by side: a client that keeps its connection open between e-mails (as the
 * application's mail client does) never holds another client up. Nothing leaves the machine.
 */
public final class LoopbackSmtpServer implements AutoCloseable {

    /** One message as received: the envelope recipients and the raw bytes (dot-unstuffed, CRLF line ends). */
    public record Received(List<String> recipients, byte[] raw) {

        /** The raw message as text (headers and body, ISO-8859-1 so every byte maps to one character). */
        public String text() {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }

        /** The first value of a header (case-insensitive name), unfolded; null when absent. */
        public String header(String name) {
            String[] lines = text().split("\r\n", -1);
            for (int i = 0; i < lines.length && !lines[i].isEmpty(); i++) {
                if (lines[i].regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    StringBuilder value =
                            new StringBuilder(lines[i].substring(name.length() + 1).strip());
                    while (i + 1 < lines.length
                            && !lines[i + 1].isEmpty()
                            && Character.isWhitespace(lines[i + 1].charAt(0))) {
                        value.append(' ').append(lines[++i].strip());
                    }
                    return value.toString();
                }
            }
            return null;
        }
    }

    private final ServerSocket server;
    private final Consumer<Received> onMessage;

    private LoopbackSmtpServer(String name, Consumer<Received> onMessage) throws IOException {
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.onMessage = onMessage;
        Thread listener = new Thread(this::listen, name);
        listener.setDaemon(true);
        listener.start();
    }

    /** Starts listening; {@code name} names the thread (and the greeting). */
    public static LoopbackSmtpServer start(String name, Consumer<Received> onMessage) {
        try {
            return new LoopbackSmtpServer(name, onMessage);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing a listening socket: nothing left to do
        }
    }

    private void listen() {
        String name = Thread.currentThread().getName();
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                continue; // the server closed (the loop ends) or one accept failed: wait for the
                // next
            }
            Thread connection = new Thread(() -> serve(socket, name), name + "-connection");
            connection.setDaemon(true);
            connection.start();
        }
    }

    private void serve(Socket socket, String name) {
        try (socket) {
            converse(socket, name);
        } catch (IOException e) {
            // the client went away mid-conversation (or the server closed): nothing to answer
        }
    }

    private void converse(Socket socket, String name) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        reply(out, "220 " + name + " ESMTP");
        List<String> recipients = new java.util.ArrayList<>();
        String line;
        while ((line = readLine(in)) != null) {
            String verb =
                    (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
            switch (verb) {
                case "EHLO", "HELO" -> reply(out, "250-" + name + "\r\n250 8BITMIME");
                case "MAIL", "RSET" -> {
                    recipients.clear();
                    reply(out, "250 OK");
                }
                case "NOOP" -> reply(out, "250 OK");
                case "RCPT" -> {
                    recipients.add(line.substring(line.indexOf('<') + 1, line.lastIndexOf('>')));
                    reply(out, "250 OK");
                }
                case "DATA" -> {
                    reply(out, "354 end with <CRLF>.<CRLF>");
                    byte[] message = readData(in);
                    onMessage.accept(new Received(List.copyOf(recipients), message));
                    recipients.clear();
                    reply(out, "250 OK queued");
                }
                case "QUIT" -> {
                    reply(out, "221 bye");
                    return;
                }
                default -> reply(out, "502 not implemented");
            }
        }
    }

    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        String line;
        while ((line = readLine(in)) != null) {
            if (line.equals(".")) {
                break;
            }
            String unstuffed = line.startsWith("..") ? line.substring(1) : line;
            data.writeBytes(unstuffed.getBytes(StandardCharsets.ISO_8859_1));
            data.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return data.toByteArray();
    }

    /** One line without its CRLF (or LF), bytes as ISO-8859-1; null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length =
                        bytes.length > 0 && bytes[bytes.length - 1] == '\r'
                                ? bytes.length - 1
                                : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
