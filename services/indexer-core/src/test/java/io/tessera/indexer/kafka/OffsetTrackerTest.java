package io.tessera.indexer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("media.image", 0);
    private static final TopicPartition P1 = new TopicPartition("media.image", 1);

    @Test
    void commitsOnlyPastRecordsWhoseEveryPredecessorFinished() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.assigned(List.of(P0));
        var token = tracker.started(P0, 10);
        tracker.started(P0, 11);
        tracker.started(P0, 12);

        tracker.finished(P0, 12, token);
        tracker.finished(P0, 11, token);
        assertThat(tracker.committable()).isEmpty();
        assertThat(tracker.inFlight()).isEqualTo(3);

        tracker.finished(P0, 10, token);
        assertThat(tracker.committable()).containsExactly(Map.entry(P0, new OffsetAndMetadata(13)));
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void gapsInOffsetsDoNotHoldCommitsBack() {
        OffsetTracker tracker = new OffsetTracker();
        var token = tracker.started(P0, 5);
        tracker.started(P0, 9);
        tracker.finished(P0, 5, token);
        assertThat(tracker.committable().get(P0).offset()).isEqualTo(6);
        tracker.finished(P0, 9, token);
        assertThat(tracker.committable().get(P0).offset()).isEqualTo(10);
    }

    @Test
    void partitionsAdvanceIndependently() {
        OffsetTracker tracker = new OffsetTracker();
        var t0 = tracker.started(P0, 0);
        var t1 = tracker.started(P1, 0);
        tracker.started(P1, 1);
        tracker.finished(P1, 0, t1);
        assertThat(tracker.committable()).containsOnlyKeys(P1);
        tracker.finished(P0, 0, t0);
        assertThat(tracker.committable()).containsOnlyKeys(P0, P1);
    }

    @Test
    void committedPositionsAreNotOfferedAgainUnlessTheCommitFailed() {
        OffsetTracker tracker = new OffsetTracker();
        var token = tracker.started(P0, 0);
        tracker.finished(P0, 0, token);
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
        tracker.committed(offsets);
        assertThat(tracker.committable()).isEmpty();
        tracker.commitFailed(offsets);
        assertThat(tracker.committable()).isEqualTo(offsets);
    }

    @Test
    void completionsFromBeforeARevocationAreIgnored() {
        OffsetTracker tracker = new OffsetTracker();
        var old = tracker.started(P0, 0);
        tracker.revoked(List.of(P0));
        assertThat(tracker.inFlight()).isZero();
        tracker.assigned(List.of(P0));
        var fresh = tracker.started(P0, 0);

        tracker.finished(P0, 0, old);
        assertThat(tracker.committable()).isEmpty();
        tracker.finished(P0, 0, fresh);
        assertThat(tracker.committable().get(P0).offset()).isEqualTo(1);
    }
}
