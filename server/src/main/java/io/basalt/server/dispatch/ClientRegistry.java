package io.basalt.server.dispatch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** All connected clients, by id: CLIENT LIST/KILL, INFO clients, maxclients, MONITOR fan-out. */
public final class ClientRegistry {
    private final ConcurrentSkipListMap<Long, ClientSession> clients = new ConcurrentSkipListMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final java.util.concurrent.CopyOnWriteArrayList<ClientSession> monitors = new java.util.concurrent.CopyOnWriteArrayList<>();

    public long nextId() {
        return nextId.getAndIncrement();
    }

    public void add(ClientSession s) {
        clients.put(s.id(), s);
    }

    public void remove(ClientSession s) {
        clients.remove(s.id());
        monitors.remove(s);
    }

    public ClientSession get(long id) {
        return clients.get(id);
    }

    public int size() {
        return clients.size();
    }

    public Collection<ClientSession> all() {
        return clients.values();
    }

    public void addMonitor(ClientSession s) {
        s.monitor(true);
        monitors.addIfAbsent(s);
    }

    public void removeMonitor(ClientSession s) {
        monitors.remove(s);
    }

    public List<ClientSession> monitors() {
        return monitors.isEmpty() ? List.of() : new ArrayList<>(monitors);
    }

    public boolean hasMonitors() {
        return !monitors.isEmpty();
    }
}
