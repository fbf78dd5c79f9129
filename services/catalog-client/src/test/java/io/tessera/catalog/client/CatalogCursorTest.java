package io.tessera.catalog.client;

import static io.tessera.catalog.client.FakeTopic.item;
import static io.tessera.catalog.client.FakeTopic.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogCursorTest {

    private final FakeTopic topic = new FakeTopic(1);

    @Test
    void returnsEveryRecordInOrder_tombstonesAndUnreadableValuesIncluded_untilCaughtUp() {
        topic.append(0, "a", topic.value("a1", item("a", "acme", reference("file:/a1"))));
        topic.append(0, "a", null);
        topic.append(0, "p", "poison");
        topic.append(0, "", topic.value("x", item("x", "acme", reference("file:/x"))));
        topic.append(0, "b", topic.value("b1", item("b", "acme", reference("file:/b1"))));

        try (CatalogCursor cursor = new QueuedCatalogCursor(topic.readers(), topic.deserializer())) {
            assertThat(cursor.total()).isEqualTo(5);
            assertThat(cursor.caughtUp()).isFalse();
            await().until(() -> !topic.main.assignment().isEmpty());
            topic.deliverBacklog();

            List<CatalogEntry> read = new ArrayList<>();
            await().until(() -> {
                read.addAll(cursor.poll(Duration.ofMillis(50)));
                return read.size() == 5;
            });
            assertThat(read).extracting(CatalogEntry::mediaId).containsExactly("a", "a", "p", "", "b");
            assertThat(read.get(0).item().getMediaId()).isEqualTo("a");
            assertThat(read.get(1).isTombstone()).isTrue();
            assertThat(read.get(2).unreadable()).contains("not Avro");
            assertThat(read.get(3).unreadable()).isEqualTo("no key (the mediaId)");
            assertThat(read.get(4).position()).isEqualTo(new CatalogPosition(FakeTopic.TOPIC, 0, 4));
            await().until(cursor::caughtUp);

            // A record written later is one more to read before the cursor is caught up again.
            topic.append(0, "c", topic.value("c1", item("c", "acme", reference("file:/c1"))));
            assertThat(cursor.caughtUp()).isFalse();
            assertThat(cursor.total()).isEqualTo(6);
            await().until(() -> !cursor.poll(Duration.ofMillis(50)).isEmpty());
            await().until(cursor::caughtUp);
        }
    }

    @Test
    void aCatalogThatDoesNotExistIsCaughtUpAtOnce() {
        FakeTopic none = new FakeTopic(0);
        try (CatalogCursor cursor = new QueuedCatalogCursor(none.readers(), none.deserializer())) {
            assertThat(cursor.caughtUp()).isTrue();
            assertThat(cursor.total()).isZero();
            assertThat(cursor.poll(Duration.ofMillis(10))).isEmpty();
        }
    }
}
