package memdb.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Convergence: once the cluster is healed, every replica of every key must hold the same version (the
 * same timestamp, or all absent) within {@link #WINDOW}. Each replica is asked directly, through a node's
 * admin API ({@code GET /v1/keys/{key}?versions=true}, which reads every replica of the key), not through
 * a quorum read that would repair what it reads.
 */
final class Convergence {
    static final Duration WINDOW = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String adminAddress;

    Convergence(String adminAddress) {
        this.adminAddress = adminAddress;
    }

    /** The keys still differing (or not answering) when the window closes; each key is polled until it agrees. */
    Verdict check(List<String> keys) throws InterruptedException {
        long deadline = System.nanoTime() + WINDOW.toNanos();
        List<String> pending = new ArrayList<>(keys);
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            pending.removeIf(this::agrees);
            if (!pending.isEmpty()) Thread.sleep(250);
        }
        List<String> violations = new ArrayList<>();
        for (String key : pending) violations.add("key " + key + ": replicas differ " + WINDOW.toSeconds() + " s after healing: " + versions(key));
        return new Verdict("convergence", keys.size(), keys.size(), violations);
    }

    private boolean agrees(String key) {
        JsonNode replicas = versions(key);
        if (replicas == null || replicas.size() == 0) return false;
        String first = null;
        for (JsonNode replica : replicas) {
            String state = replica.path("state").asText();
            if (state.equals("UNREACHABLE")) return false;
            String version = state + " " + replica.path("timestamp");
            if (first == null) first = version;
            else if (!first.equals(version)) return false;
        }
        return true;
    }

    /** Every replica's version of {@code key} (the admin API's "replicas"), or null when it could not be asked. */
    JsonNode versions(String key) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + adminAddress + "/v1/keys/" + key + "?versions=true"))
                    .header("Authorization", "Bearer " + ChaosCluster.AUTH_KEY).timeout(Duration.ofSeconds(5)).build();
            return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).path("replicas");
        } catch (Exception e) {
            return null;
        }
    }
}
