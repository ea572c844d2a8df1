package io.basalt.server.net;

/** Formatting of MONITOR lines. */
final class Monitor {
    private Monitor() {}

    /** Quotes an argument the way Redis's sdscatrepr does. */
    static String quote(byte[] a) {
        StringBuilder sb = new StringBuilder(a.length + 2).append('"');
        for (byte b : a) {
            int c = b & 0xFF;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 32 && c < 127) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
