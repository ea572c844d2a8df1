/**
 * Redis's RDB serialization, as DUMP and RESTORE exchange it with real Redis servers.
 *
 * <p>A DUMP payload is {@code type byte | object | RDB version (2 bytes LE) | CRC-64 (8 bytes LE)}.
 * {@link io.basalt.server.rdb.RdbWriter} writes objects exactly as Redis 7.0 does (integer encodings,
 * LZF for strings over 20 bytes when it saves space, RDB version 10); {@link io.basalt.server.rdb.RdbReader}
 * reads every encoding Redis may produce. Both dispatch on the RDB type byte, so each composite type
 * (list/set/zset/hash/stream and their listpack, intset and ziplist encodings) adds one case to each
 * side when it lands; an unknown type is "Bad data format".
 */
package io.basalt.server.rdb;
