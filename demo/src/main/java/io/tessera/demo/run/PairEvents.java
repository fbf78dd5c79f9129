package io.tessera.demo.run;

import io.tessera.demo.dataset.ContentRef;
import io.tessera.demo.dataset.PairItem;
import io.tessera.demo.dataset.TrainingPair;
import io.tessera.events.ContentReference;
import io.tessera.events.CuratedPair;
import io.tessera.events.Item;
import io.tessera.events.Modality;
import java.net.URI;
import java.time.Instant;

/** Turns the dataset's training pairs into {@link CuratedPair} events. */
public final class PairEvents {

    private PairEvents() {
    }

    /**
     * @param pair a pair with absolute content URIs ({@code DatasetJson.readPairsResolved})
     * @throws IllegalArgumentException when a content URI is still relative (the schema wants absolute URIs)
     */
    public static CuratedPair of(TrainingPair pair) {
        return CuratedPair.newBuilder()
                .setPairId(pair.pairId())
                .setTask(pair.task().id())
                .setQuery(item(pair.query(), pair.pairId()))
                .setPositive(item(pair.positive(), pair.pairId()))
                .setNegatives(pair.negatives().stream().map(n -> item(n, pair.pairId())).toList())
                .setWeight(pair.weight())
                .setSource(pair.source())
                .setCreatedAt(Instant.ofEpochMilli(pair.createdAt()))
                .build();
    }

    static Item item(PairItem item, String pairId) {
        Item.Builder b = Item.newBuilder()
                .setModality(Modality.valueOf(item.modality().name()))
                .setText(item.text())
                .setMediaId(item.mediaId())
                .setInstruction(item.instruction());
        ContentRef content = item.content();
        if (content != null) {
            if (!URI.create(content.uri()).isAbsolute()) {
                throw new IllegalArgumentException("pair " + pairId + ": content URI '" + content.uri()
                        + "' is relative; read the file with DatasetJson.readPairsResolved to publish it");
            }
            b.setContent(ContentReference.newBuilder().setUri(content.uri()).setSizeBytes(content.sizeBytes())
                    .setSha256(content.sha256()).build());
        } else {
            b.setContent(null);
        }
        return b.build();
    }
}
