package io.basalt.coordinator;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One command to a server over RESP on a fresh connection: what the coordinator needs to drive a
 * group's leader (BASALT RAFT STATUS/ADD/REMOVE/TRANSFER) and to read INFO for the dashboard.
 */
final class RespCall {
    private RespCall() {}

    /** The server answered with an error reply. */
    static final class ErrorReply extends IOException {
        ErrorReply(String message) {
            super(message);
        }
    }

    /** Sends {@code args} and returns the reply as text (status, bulk, verbatim or integer). */
    static String call(String host, int port, int timeoutMs, String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), Math.min(timeoutMs, 2_000));
            s.setSoTimeout(timeoutMs);
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            req.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                req.write(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                req.write(b);
                req.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            OutputStream o = s.getOutputStream();
            req.writeTo(o);
            o.flush();
            return read(new BufferedInputStream(s.getInputStream()));
        }
    }

    private static String read(InputStream in) throws IOException {
        String head = line(in);
        if (head.isEmpty()) {
            throw new IOException("empty reply");
        }
        char t = head.charAt(0);
        String rest = head.substring(1);
        switch (t) {
            case '+', ':' -> {
                return rest;
            }
            case '-' -> throw new ErrorReply(rest);
            case '$', '=' -> {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                byte[] body = in.readNBytes(n);
                in.readNBytes(2);
                String v = new String(body, StandardCharsets.UTF_8);
                return t == '=' && v.length() >= 4 ? v.substring(4) : v; // verbatim: "txt:" prefix
            }
            default -> throw new IOException("unexpected reply " + head);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        if (c == -1 && sb.length() == 0) {
            throw new IOException("connection closed");
        }
        return sb.toString();
    }
}
