package memdb.chaos;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The reads after healing: retried (bounded) until one is ok, since a just-healed cluster may still refuse one. */
final class FinalReads {
    static final int ATTEMPTS = 10;

    private FinalReads() {}

    static <T> Outcome<T> retry(Supplier<CompletableFuture<T>> read) throws InterruptedException {
        Outcome<T> outcome = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            outcome = Outcome.of(read.get());
            if (outcome.ok()) return outcome;
            Thread.sleep(500);
        }
        return outcome;
    }
}
