package io.basalt.server.testing;

import io.basalt.server.resp.RespDecoder;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A minimal RESP client for tests that compare exact replies: sends a command as a multibulk and
 * returns the complete reply as raw text (types, lengths and all), so two servers can be compared
 * byte for byte.
 */
public final class RespConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RespConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends an inline-style line (split like redis-cli: quotes, \x escapes) as a multibulk. */
    public String call(String line) throws IOException {
        List<byte[]> args = RespDecoder.splitArgs(line.getBytes(StandardCharsets.UTF_8));
        return call(args);
    }

    /** Sends a command without reading a reply (CLIENT REPLY OFF/SKIP, pipelining). */
    public void send(String line) throws IOException {
        out.write(encode(RespDecoder.splitArgs(line.getBytes(StandardCharsets.UTF_8))));
        out.flush();
    }

    private static byte[] encode(List<byte[]> args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(a);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    public String call(List<byte[]> args) throws IOException {
        out.write(encode(args));
        out.flush();
        return readReply();
    }

    /** Reads one complete reply, returned as its raw RESP text. */
    public String readReply() throws IOException {
        StringBuilder sb = new StringBuilder();
        readInto(sb);
        return sb.toString();
    }

    private void readInto(StringBuilder sb) throws IOException {
        String line = readLine();
        sb.append(line).append("\r\n");
        char type = line.charAt(0);
        switch (type) {
            case '$', '=', '!' -> {
                int n = Integer.parseInt(line.substring(1));
                if (n >= 0) {
                    byte[] data = in.readNBytes(n + 2);
                    sb.append(new String(data, StandardCharsets.ISO_8859_1));
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    readInto(sb);
                }
            }
            case '%' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < 2 * n; i++) {
                    readInto(sb);
                }
            }
            default -> {
                // simple string, error, integer, null, boolean, double, big number: one line
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\r') {
                int d = in.read();
                if (d == '\n') {
                    break;
                }
                b.write(c);
                b.write(d);
                continue;
            }
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            throw new IOException("connection closed");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
