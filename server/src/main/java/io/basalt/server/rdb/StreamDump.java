package io.basalt.server.rdb;

import io.basalt.server.storage.types.StreamId;
import java.util.List;

/**
 * A stream as RDB carries it (type 19, Redis 7.0): listpack nodes keyed by their master ID, the
 * stream's counters, and the consumer groups with their pending entries and consumers.
 */
public record StreamDump(List<Node> nodes, long length, StreamId lastId, StreamId firstId, StreamId maxDeletedId,
        long entriesAdded, List<Group> groups) {

    /** One entry: ID and fields/values (f1, v1, …). */
    public record Entry(StreamId id, List<byte[]> fields) {}

    /**
     * A listpack node: its master ID and fields, the live entries, how many deleted entries it holds
     * ({@code deleted}), the ID of its last entry (live or not) and the bytes its entries take.
     */
    public record Node(StreamId master, List<byte[]> masterFields, List<Entry> entries, long deleted, StreamId lastId,
            long entryBytes) {}

    /** A pending entry: ID, delivery time (unix ms), delivery count. */
    public record Nack(StreamId id, long deliveryTime, long deliveryCount) {}

    public record Consumer(byte[] name, long seenTime, List<StreamId> pending) {}

    public record Group(byte[] name, StreamId lastId, long entriesRead, List<Nack> pel, List<Consumer> consumers) {}
}
