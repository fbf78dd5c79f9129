package io.tessera.demo.run;

import io.tessera.events.IndexStatus;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Topics;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows {@code media.indexed} and keeps, per model version, the latest outcome of every item of one tenant:
 * the demo's progress while media is (re-)indexed.
 */
final class IndexedTracker implements AutoCloseable {

    /** The latest outcome of an item with one model version. */
    record Outcome(IndexStatus status, String error) {
    }

    private final String tenant;
    private final Set<String> expected;
    private final Map<Integer, Map<String, Outcome>> byVersion = new ConcurrentHashMap<>();
    private TopicFollower<MediaIndexed> follower;

    IndexedTracker(String tenant, Set<String> expected) {
        this.tenant = tenant;
        this.expected = Set.copyOf(expected);
    }

    /** A tracker fed by the run's {@code media.indexed} topic, from its beginning. */
    static IndexedTracker following(String bootstrap, String registryUrl, Namespace ns, String tenant,
                                    Set<String> expected) {
        IndexedTracker tracker = new IndexedTracker(tenant, expected);
        tracker.follower = new TopicFollower<>(bootstrap, registryUrl, ns.topic(Topics.MEDIA_INDEXED),
                MediaIndexed.class, r -> tracker.accept(r.value()));
        return tracker;
    }

    void accept(MediaIndexed e) {
        if (!tenant.equals(e.getTenant()) || !expected.contains(e.getMediaId())) {
            return;
        }
        byVersion.computeIfAbsent(e.getModelVersion(), v -> new ConcurrentHashMap<>())
                .put(e.getMediaId(), new Outcome(e.getStatus(), e.getError()));
    }

    /** Items whose latest outcome with this version is INDEXED. */
    int indexed(int version) {
        return count(version, IndexStatus.INDEXED);
    }

    int failed(int version) {
        return count(version, IndexStatus.FAILED);
    }

    /** Items with any outcome for this version. */
    int done(int version) {
        return byVersion.getOrDefault(version, Map.of()).size();
    }

    Map<String, Outcome> outcomes(int version) {
        return Map.copyOf(byVersion.getOrDefault(version, Map.of()));
    }

    Set<Integer> versions() {
        return Set.copyOf(byVersion.keySet());
    }

    private int count(int version, IndexStatus status) {
        return (int) byVersion.getOrDefault(version, Map.of()).values().stream()
                .filter(o -> o.status() == status).count();
    }

    void check(String step) {
        if (follower != null) {
            follower.check(step);
        }
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
    }
}
