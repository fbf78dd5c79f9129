package io.tessera.catalog.client;

import static io.tessera.catalog.client.FakeTopic.inline;
import static io.tessera.catalog.client.FakeTopic.item;
import static io.tessera.catalog.client.FakeTopic.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CatalogTableTest {

    private final FakeTopic topic = new FakeTopic(2);
    private CatalogTable table;

    @AfterEach
    void close() {
        if (table != null) {
            table.close();
        }
    }

    private CatalogTable start(boolean keepInlineContent) {
        table = new CatalogTable(topic.readers(), topic.deserializer(), keepInlineContent).start();
        await().until(() -> topic.main.assignment().size() == 2);
        topic.deliverBacklog();
        return table;
    }

    @Test
    void caughtUpOnceWhatWasThereAtStartIsRead_latestVersionWins_tombstonesDelete() {
        topic.append(0, "a", topic.value("a1", item("a", "acme", reference("file:/a1"))));
        topic.append(1, "b", topic.value("b1", item("b", "globex", reference("file:/b1"))));
        topic.append(0, "a", topic.value("a2", item("a", "acme", reference("file:/a2"))));
        topic.append(1, "b", null);
        topic.append(1, "c", topic.value("c1", item("c", "acme", reference("file:/c1"))));

        start(true).caughtUp().join();

        assertThat(table.size()).isEqualTo(2);
        CatalogEntry a = table.find("a").orElseThrow();
        assertThat(a.tenant()).isEqualTo("acme");
        assertThat(a.content()).isEqualTo(reference("file:/a2"));
        assertThat(a.position()).isEqualTo(new CatalogPosition(FakeTopic.TOPIC, 0, 1));
        assertThat(a.version()).isEqualTo("0:1");
        assertThat(table.find("b")).isEmpty();

        // Following on: later records change the table too.
        topic.append(0, "a", null);
        await().until(() -> table.find("a").isEmpty());
    }

    @Test
    void unreadableRecordsAndRecordsWithoutKeyLeaveTheTableAsItWas() {
        topic.append(0, "a", topic.value("a1", item("a", "acme", reference("file:/a1"))));
        topic.append(0, "a", "poison");
        topic.append(0, null, topic.value("x", item("x", "acme", reference("file:/x"))));
        topic.append(0, "b", topic.value("flaky-b", item("b", "acme", reference("file:/b"))));

        start(true).caughtUp().join();

        assertThat(table.find("a").orElseThrow().content()).isEqualTo(reference("file:/a1"));
        // A registry outage is waited out, not skipped.
        assertThat(table.find("b")).isPresent();
        assertThat(topic.flakyFailures.get()).isEqualTo(3);
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void inlineBytesStayInMemoryOnlyWhenAskedTo() {
        topic.append(0, "a", topic.value("a1", item("a", "acme", inline("picture"))));
        start(true).caughtUp().join();
        CatalogEntry kept = table.find("a").orElseThrow();
        assertThat(((InlineBytes) kept.content()).getData().remaining()).isEqualTo(7);
        assertThat(table.inlineBytes(kept, Duration.ofSeconds(1))).hasValueSatisfying(
                b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("picture"));
    }

    @Test
    void inlineBytesLeftOutOfMemoryAreReadBackFromTheirRecord() {
        var record = topic.append(0, "a", topic.value("a1", item("a", "acme", inline("picture"))));
        start(false).caughtUp().join();
        CatalogEntry entry = table.find("a").orElseThrow();
        assertThat(((InlineBytes) entry.content()).getData().remaining()).isZero();
        topic.append(1, "t", topic.value("t1", item("t", "acme", new InlineText("a long text"))));
        await().until(() -> table.find("t").isPresent());
        assertThat(table.find("t").orElseThrow().content()).isEqualTo(new InlineText(""));

        topic.lookup.schedulePollTask(() -> topic.lookup.addRecord(record));
        assertThat(table.inlineBytes(entry, Duration.ofSeconds(5))).hasValueSatisfying(
                b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("picture"));
        // Not inline: nothing to read back.
        topic.append(0, "b", topic.value("b1", item("b", "acme", reference("file:/b"))));
        await().until(() -> table.find("b").isPresent());
        assertThat(table.inlineBytes(table.find("b").orElseThrow(), Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void awaitCaughtUpWaitsForWhatWasWrittenBeforeTheCall() throws Exception {
        start(true).caughtUp().join();
        topic.append(1, "late", topic.value("late", item("late", "acme", reference("file:/late"))));
        table.awaitCaughtUp(Duration.ofSeconds(10));
        assertThat(table.find("late")).isPresent();
    }

    @Test
    void awaitCaughtUpTimesOutWhenTheRecordsDoNotArrive() {
        table = new CatalogTable(topic.readers(), topic.deserializer(), true);
        // Never started: written records are never read.
        topic.append(0, "a", topic.value("a1", item("a", "acme", reference("file:/a1"))));
        assertThatThrownBy(() -> table.awaitCaughtUp(Duration.ofMillis(300))).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("not caught up with media.catalog");
    }

    @Test
    void aTopicThatDoesNotExistYetIsCaughtUpAtOnce() {
        FakeTopic none = new FakeTopic(0);
        table = new CatalogTable(none.readers(), none.deserializer(), true).start();
        table.caughtUp().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(table.size()).isZero();
    }
}
