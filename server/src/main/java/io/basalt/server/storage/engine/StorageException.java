package io.basalt.server.storage.engine;

/** The engine failed (I/O error, corruption). Not a user error: the command replies ERR and it is logged. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
