package io.basalt.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RESP2 client over one socket for the fault tests: every reply is parsed into a Java value
 * — a bulk or simple string as {@link String}, an integer as {@link Long}, a nil as {@code null}, an
 * array as {@link List}, an error as {@link Err} — so a test tells a successful read from a refusal.
 * Connect and read timeouts make a silent (partitioned) server an {@link IOException}.
 */
final class Resp implements AutoCloseable {
    /** An error reply, e.g. {@code MOVED 1234 127.0.0.1:7001}. */
    record Err(String message) {
        boolean is(String prefix) {
            return message.startsWith(prefix);
        }

        @Override
        public String toString() {
            return "-" + message;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final String host;
    final int port;

    Resp(String host, int port, int timeoutMs) throws IOException {
        this.host = host;
        this.port = port;
        socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** One command on a fresh connection; an I/O failure is returned as an {@link Err} starting with "IO ". */
    static Object once(String host, int port, String... args) {
        try (Resp r = new Resp(host, port, 5_000)) {
            return r.call(args);
        } catch (IOException e) {
            return new Err("IO " + e);
        }
    }

    Object call(String... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(bytes);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(b.toByteArray());
        out.flush();
        return read();
    }

    private Object read() throws IOException {
        String line = line();
        if (line.isEmpty()) {
            throw new IOException("empty reply line");
        }
        String rest = line.substring(1);
        switch (line.charAt(0)) {
            case '+':
                return rest;
            case '-':
                return new Err(rest);
            case ':':
                return Long.parseLong(rest);
            case '$': {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(n + 2);
                if (data.length != n + 2) {
                    throw new IOException("connection closed in a bulk reply");
                }
                return new String(data, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply: " + line);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
