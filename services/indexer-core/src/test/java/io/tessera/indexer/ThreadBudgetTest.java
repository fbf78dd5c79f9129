package io.tessera.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.events.Modality;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ThreadBudgetTest {

    private static final OptionalInt UNSET = OptionalInt.empty();

    private static ThreadBudget split(Modality m, int cores) {
        return ThreadBudget.split(m, cores, "test", UNSET, UNSET, UNSET);
    }

    @Test
    void theDefaultSplitKeepsItsRule() {
        for (Modality m : new Modality[] {Modality.IMAGE, Modality.TEXT, Modality.VIDEO, Modality.DOCUMENT}) {
            int towers = ThreadBudget.towers(m);
            for (int cores = (m == Modality.IMAGE ? 1 : 1 + towers); cores <= 64; cores++) {
                ThreadBudget b = split(m, cores);
                String as = m + " on " + cores + " cores: " + b.describe();
                if (m == Modality.IMAGE) {
                    // Images: inference gets the whole budget, the decode pool runs beside it.
                    assertThat(b.decodeBeside()).isTrue();
                    assertThat(b.inferenceThreads()).as(as).isEqualTo(cores);
                } else {
                    // The minimum is one decode thread and one worker per tower: below that the budget cannot hold.
                    assertThat(b.decodeBeside()).isFalse();
                    assertThat(b.threadsAtOnce()).as(as).isLessThanOrEqualTo(cores)
                            .isGreaterThanOrEqualTo(cores - towers);
                }
                assertThat(b.overcommitted()).as(as).isFalse();
                assertThat(b.decodeThreads()).isEqualTo(Math.max(1, cores / 4));
                assertThat(b.threadsAtOnce()).isEqualTo(b.inferenceThreads() + b.decodeThreads());
                assertThat(b.batchWorkers()).isBetween(1, 2);
                assertThat(b.intraOpThreads()).isGreaterThanOrEqualTo(1);
            }
        }
    }

    @Test
    void twoCoresForImages_twoSingleThreadedWorkers_oneDecoderBeside() {
        ThreadBudget b = split(Modality.IMAGE, 2);
        assertThat(b).extracting(ThreadBudget::decodeThreads, ThreadBudget::batchWorkers,
                ThreadBudget::intraOpThreads).containsExactly(1, 2, 1);
        assertThat(b.inferenceThreads()).isEqualTo(2);
        assertThat(b.threadsAtOnce()).isEqualTo(3);
        assertThat(b.describe()).contains("thread budget 2 (test)", "decode pool 1 beside inference", "batch workers 2",
                "intra-op threads 1 (the calling worker + 0 pool)", "= 3 threads at once").doesNotContain("more than");
    }

    @Test
    void twoCoresForTexts_oneDecoder_oneWorker_oneIntraOpThread() {
        ThreadBudget b = split(Modality.TEXT, 2);
        assertThat(b).extracting(ThreadBudget::decodeThreads, ThreadBudget::batchWorkers,
                ThreadBudget::intraOpThreads).containsExactly(1, 1, 1);
        assertThat(b.threadsAtOnce()).isEqualTo(2);
        assertThat(b.describe()).contains("decode pool 1,", "= 2 threads at once").doesNotContain("beside", "more than");
    }

    @Test
    void largerMachinesGiveInferenceTheMost() {
        assertThat(split(Modality.IMAGE, 4)).extracting(ThreadBudget::decodeThreads, ThreadBudget::batchWorkers,
                ThreadBudget::intraOpThreads).containsExactly(1, 2, 3);
        assertThat(split(Modality.IMAGE, 8)).extracting(ThreadBudget::decodeThreads, ThreadBudget::batchWorkers,
                ThreadBudget::intraOpThreads).containsExactly(2, 2, 7);
        // Texts: two workers once the tower has four cores after decoding.
        assertThat(split(Modality.TEXT, 4)).extracting(ThreadBudget::decodeThreads, ThreadBudget::batchWorkers,
                ThreadBudget::intraOpThreads).containsExactly(1, 1, 3);
        assertThat(split(Modality.TEXT, 8)).extracting(ThreadBudget::decodeThreads, ThreadBudget::batchWorkers,
                ThreadBudget::intraOpThreads).containsExactly(2, 2, 5);
        // Documents keep two towers busy (page pictures and text layers): each gets half of what decoding leaves.
        ThreadBudget docs = split(Modality.DOCUMENT, 8);
        assertThat(docs).extracting(ThreadBudget::decodeThreads, ThreadBudget::batchWorkers,
                ThreadBudget::intraOpThreads).containsExactly(2, 1, 3);
        assertThat(docs.threadsAtOnce()).isEqualTo(8);
    }

    @Test
    void explicitSettingsWinAndTheRestShareWhatIsLeft() {
        ThreadBudget b = ThreadBudget.split(Modality.TEXT, 8, "test", OptionalInt.of(4), UNSET, UNSET);
        assertThat(b).extracting(ThreadBudget::decodeThreads, ThreadBudget::batchWorkers,
                ThreadBudget::intraOpThreads).containsExactly(4, 2, 3);
        assertThat(b.threadsAtOnce()).isEqualTo(8);
        assertThat(b.explicit()).isEqualTo("decode");
        ThreadBudget oneWorker = ThreadBudget.split(Modality.IMAGE, 2, "test", UNSET, OptionalInt.of(1), UNSET);
        assertThat(oneWorker).extracting(ThreadBudget::batchWorkers, ThreadBudget::intraOpThreads)
                .containsExactly(1, 2);

        // An old way of the benchmark (intra-op = decode = cores, two workers) on 2 cores: taken, but flagged.
        ThreadBudget old = ThreadBudget.split(Modality.IMAGE, 2, "test", OptionalInt.of(2), OptionalInt.of(2),
                OptionalInt.of(2));
        assertThat(old.threadsAtOnce()).isEqualTo(5);
        assertThat(old.overcommitted()).isTrue();
        assertThat(old.describe()).contains("set explicitly: decode workers intra-op", "more than the budget");

        // 0 intra-op threads keeps ONNX Runtime's own default (one per core), as before.
        ThreadBudget ort = ThreadBudget.split(Modality.TEXT, 4, "test", UNSET, UNSET, OptionalInt.of(0));
        assertThat(ort.intraOpThreads()).isZero();
        assertThat(ort.describe()).contains("ONNX Runtime's default");
    }

    @Test
    void oneCoreCannotHoldTheMinimumAndSaysSo() {
        ThreadBudget b = split(Modality.TEXT, 1);
        assertThat(b).extracting(ThreadBudget::decodeThreads, ThreadBudget::batchWorkers,
                ThreadBudget::intraOpThreads).containsExactly(1, 1, 1);
        assertThat(b.overcommitted()).isTrue();
        // Images decode beside inference: one single-threaded worker fits one core.
        assertThat(split(Modality.IMAGE, 1).overcommitted()).isFalse();
    }

    @Test
    void withoutAConfiguredBudgetItIsTheProcessorsTheJvmSees() {
        ThreadBudget b = ThreadBudget.split(Modality.IMAGE, UNSET, UNSET, UNSET, UNSET);
        assertThat(b.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(b.coresSource()).isEqualTo("available processors");
        assertThat(ThreadBudget.split(Modality.IMAGE, OptionalInt.of(6), UNSET, UNSET, UNSET).coresSource())
                .isEqualTo("tessera.pipeline.thread-budget");
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> split(Modality.IMAGE, 0)).hasMessageContaining("at least 1 core");
        assertThatThrownBy(() -> ThreadBudget.split(Modality.IMAGE, 2, "test", OptionalInt.of(0), UNSET, UNSET))
                .hasMessageContaining("decode threads");
        assertThatThrownBy(() -> ThreadBudget.split(Modality.IMAGE, 2, "test", UNSET, OptionalInt.of(0), UNSET))
                .hasMessageContaining("batch workers");
        assertThatThrownBy(() -> ThreadBudget.split(Modality.IMAGE, 2, "test", UNSET, UNSET, OptionalInt.of(-1)))
                .hasMessageContaining("intra-op");
    }
}
