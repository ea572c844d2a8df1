package io.basalt.client;

import io.lettuce.core.RedisFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The merged result of a multi-key command split per group. */
final class GroupedFuture<T> extends CompletableFuture<T> implements RedisFuture<T> {
    private volatile String error;

    @Override
    public boolean completeExceptionally(Throwable ex) {
        error = ex.getMessage();
        return super.completeExceptionally(ex);
    }

    @Override
    public String getError() {
        return error;
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            get(timeout, unit);
            return true;
        } catch (ExecutionException e) {
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }
}
