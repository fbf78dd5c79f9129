package io.tessera.indexer.modality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.embedding.Device;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelRef;
import io.tessera.events.Modality;
import io.tessera.indexer.IndexerSettings;
import io.tessera.indexer.TestMedia;
import io.tessera.indexer.ModelDecodeOptions;
import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.FetchConfig;
import io.tessera.media.MediaDecoder;
import io.tessera.media.MediaSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rows written and moment recall with and without merging frames into moments, with the default model
 * (tessera-base) on CPU, through the indexer's own decoding (sampling, scene cuts, OCR when Tesseract is installed)
 * and embedding (VideoEmbedder with merging off gives every frame's vector; {@link VideoMoments} merges them as
 * VideoEmbedder does, for each similarity). Off by default (a few minutes); run with
 * <pre>
 * ./mvnw -B -o -q -pl services/indexer-core -Pbench test -Dtest=VideoMomentsBenchmarkTest -Dtessera.bench=true \
 *     [-Dtessera.bench.demo-dataset=DIR] [-Dtessera.bench.model=NAME:VERSION -Dtessera.bench.models-dir=STORE]
 * </pre>
 * The bench profile puts scikit-image's wheel (its sample photographs) where {@code tessera.bench.skimage-wheel}
 * says. DIR is a dataset of the demo ({@code ./tessera dataset --seed 42 --size 200 --out DIR}, or the one
 * {@code ./tessera demo} left under {@code .tessera/demo/}); without it only the generated videos are measured.
 * Another model than tessera-base/1 comes from a model store, e.g. the trained version a {@code ./tessera demo
 * --keep} run leaves in its store.
 *
 * <p>Two sets: {@link StaticShotVideos} (long shots of photographs and a talk's slides, one query per shot) and the
 * demo's videos with its held-out moment queries. Rows are laid out as the pipeline writes them (a whole-video row,
 * plus one row per moment when there are several) and every query is scored against all rows of its set, as a
 * search with the VIDEO filter does. A row is right when it is a moment row (never the whole-video row) of the right
 * video and, for {@code span}, its time span meets the expected one within 1 s (the demo's RetrievalEvaluator), for
 * the stricter {@code start}, it starts within 1 s of the expected span (so that playing it from its start shows the
 * right thing; a merged moment that began in the shot before fails it). {@code distinct@10} is how many different
 * shots (or demo moments) the first 10 rows show: what crowding takes away.
 */
@EnabledIfSystemProperty(named = "tessera.bench", matches = "true")
class VideoMomentsBenchmarkTest {

    private static final double[] SIMILARITIES = {0.99, 0.98, 0.97, 0.96, 0.95, 0.94, 0.93, 0.90};
    private static final int[] KS = {1, 5, 10};
    private static final long TOLERANCE_MS = 1_000;
    private static final String QUERY_TASK = "search";

    /** A video decoded and embedded frame by frame; {@code spans} are its shots or moments, for distinct@10. */
    private record Indexed(String mediaId, List<DecodedMedia.VideoFrame> frames, List<float[]> vectors,
                           float[] whole, long durationMs, List<long[]> spans) {
    }

    /** A query and the spans of one video that answer it. */
    private record Target(String text, String mediaId, List<long[]> spans) {
    }

    private record Row(String mediaId, int segment, long startMs, long endMs, float[] vector) {
    }

    private record Scores(int rows, double[] start, double[] span, double distinct) {
    }

    @Test
    void bench() throws Exception {
        Path wheel = StaticShotVideos.requireWheel("tessera.bench.skimage-wheel");
        String modelsDir = System.getProperty("tessera.bench.models-dir", "");
        LocalModelStore store = modelsDir.isBlank() ? DefaultModels.defaultStore()
                : new LocalModelStore(Path.of(modelsDir));
        ModelRef model = DefaultModels.resolve(store, System.getProperty("tessera.bench.model",
                DefaultModels.DEFAULT.name() + ":" + DefaultModels.DEFAULT.version()));
        IndexerSettings off = IndexerSettings.builder(Modality.VIDEO).momentSimilarity(VideoMoments.OFF).build();
        ItemEmbedder perFrame = ItemEmbedder.forModality(Modality.VIDEO, off);
        try (EmbeddingRuntime runtime = EmbeddingRuntime.start(DefaultModels.openOrInstall(store, model),
                RuntimeConfig.defaults().withDevice(Device.CPU));
             ModelDecodeOptions modelOptions = new ModelDecodeOptions(store, off.decodeOptions());
             MediaDecoder decoder = new MediaDecoder(FetchConfig.builder().maxBytes(256L << 20).build())) {
            DecodeOptions options = modelOptions.forPixels(runtime);
            System.out.printf(Locale.ROOT, "bench moments model=%s frames_every=%ds frame_short_side=%d ocr=%s"
                            + " default_similarity=%.2f%n", runtime.model(), options.frameInterval().toSeconds(),
                    options.frameShortSide(), options.ocr().enabled() && options.ocr().engine().available(),
                    IndexerSettings.DEFAULT_MOMENT_SIMILARITY);

            Path dir = Files.createDirectories(Path.of("target", "bench-moments"));
            List<StaticShotVideos.Video> videos = StaticShotVideos.generate(wheel, dir);
            List<Indexed> generated = new ArrayList<>();
            for (StaticShotVideos.Video v : videos) {
                List<long[]> shots = v.shots().stream().map(s -> new long[] {s.startMs(), s.endMs()}).toList();
                generated.add(index(runtime, decoder, options, perFrame, v.mediaId(), Files.readAllBytes(v.file()),
                        shots));
            }
            for (int i = 0; i < videos.size(); i++) {
                reportShots(videos.get(i), generated.get(i));
            }
            List<Target> shotQueries = StaticShotVideos.queries(videos).stream()
                    .map(q -> new Target(q.text(), q.mediaId(),
                            q.shots().stream().map(s -> new long[] {s.startMs(), s.endMs()}).toList()))
                    .toList();
            report("generated", runtime, generated, shotQueries, true);

            String dataset = System.getProperty("tessera.bench.demo-dataset");
            if (dataset == null || dataset.isBlank()) {
                System.out.println("bench moments set=demo skipped: -Dtessera.bench.demo-dataset=DIR not given");
                return;
            }
            Path root = Path.of(dataset);
            ObjectMapper json = new ObjectMapper();
            List<Indexed> demo = new ArrayList<>();
            for (JsonNode item : json.readTree(root.resolve("manifest.json").toFile()).get("items")) {
                if (!"VIDEO".equals(item.path("modality").asText())) {
                    continue;
                }
                List<long[]> moments = new ArrayList<>();
                item.get("moments").forEach(m -> moments.add(new long[] {m.get("startMs").asLong(),
                        m.get("endMs").asLong()}));
                demo.add(index(runtime, decoder, options, perFrame, item.get("mediaId").asText(),
                        Files.readAllBytes(root.resolve(item.get("file").asText())), moments));
            }
            List<Target> momentQueries = new ArrayList<>();
            for (String line : Files.readAllLines(root.resolve("eval.jsonl"))) {
                JsonNode q = json.readTree(line);
                if ("t2v".equals(q.path("task").asText())) {
                    JsonNode e = q.get("expected");
                    momentQueries.add(new Target(q.get("text").asText(), e.get("mediaId").asText(),
                            List.of(new long[] {e.get("startMs").asLong(), e.get("endMs").asLong()})));
                }
            }
            report("demo", runtime, demo, momentQueries, false);
        }
    }

    private static Indexed index(EmbeddingRuntime runtime, MediaDecoder decoder, DecodeOptions options,
                                 ItemEmbedder perFrame, String mediaId, byte[] bytes, List<long[]> spans)
            throws Exception {
        DecodedMedia.DecodedVideo video = (DecodedMedia.DecodedVideo) decoder.decode(MediaSource.bytes(bytes),
                io.tessera.media.Modality.VIDEO, options);
        ItemVectors vectors = perFrame.embed(runtime, TestMedia.inline(mediaId, "bench", Modality.VIDEO, "video/mp4",
                bytes), video).get(10, TimeUnit.MINUTES);
        assertThat(vectors.segments()).hasSameSizeAs(video.frames());
        return new Indexed(mediaId, video.frames(), vectors.segments().stream().map(ItemVectors.Segment::vector)
                .toList(), vectors.whole(), vectors.wholeEndMs(), spans);
    }

    /** Per generated video: scene cuts found against the real ones, and the moments each shot became. */
    private static void reportShots(StaticShotVideos.Video video, Indexed indexed) {
        List<DecodedMedia.VideoFrame> frames = indexed.frames();
        long interval = frames.size() > 1 ? frames.get(1).startMs() - frames.get(0).startMs() : 1000;
        List<long[]> windows = new ArrayList<>();
        for (StaticShotVideos.Shot s : video.shots().subList(1, video.shots().size())) {
            // A hard cut shows on the first frame sampled in the new shot, a dissolve by its end.
            long transition = s.transitionIn() == StaticShotVideos.Transition.DISSOLVE ? 1000 : 0;
            windows.add(new long[] {s.startMs() - interval, s.startMs() + transition + interval});
        }
        int found = 0;
        for (long[] w : windows) {
            if (frames.stream().anyMatch(f -> f.sceneCut() && f.startMs() > w[0] && f.startMs() <= w[1])) {
                found++;
            }
        }
        long falseCuts = frames.stream().filter(DecodedMedia.VideoFrame::sceneCut)
                .filter(f -> windows.stream().noneMatch(w -> f.startMs() > w[0] && f.startMs() <= w[1])).count();
        long ocr = frames.stream().filter(f -> f.textOrigin() == DecodedMedia.TextOrigin.OCR).count();
        System.out.printf(Locale.ROOT, "bench moments video=%s frames=%d cuts_real=%d cuts_found=%d cuts_false=%d"
                + " frames_with_ocr_text=%d%n", video.mediaId(), frames.size(), windows.size(), found, falseCuts, ocr);
        List<ItemVectors.Segment> moments = VideoMoments.merge(frames, indexed.vectors(),
                IndexerSettings.DEFAULT_MOMENT_SIMILARITY);
        StringBuilder line = new StringBuilder("bench moments video=" + video.mediaId() + " moments_per_shot");
        for (StaticShotVideos.Shot s : video.shots()) {
            long starting = moments.stream().filter(m -> m.startMs() >= s.startMs() && m.startMs() < s.endMs())
                    .count();
            // A moment that runs on past the shot's end (beyond a sampling interval) would have merged two shots.
            long crossing = moments.stream().filter(m -> m.startMs() >= s.startMs() && m.startMs() < s.endMs()
                    && m.endMs() > s.endMs() + interval).count();
            line.append(String.format(Locale.ROOT, " %s/%s/%ds=%d%s", s.source(), s.camera().name().toLowerCase(
                    Locale.ROOT), (s.endMs() - s.startMs()) / 1000, starting, crossing > 0 ? "(crosses)" : ""));
        }
        System.out.println(line);
    }

    private static void report(String set, EmbeddingRuntime runtime, List<Indexed> videos, List<Target> targets,
                               boolean perQuery) {
        List<float[]> queries = runtime.embedTexts(targets.stream()
                .map(t -> new TextInput(t.text(), QUERY_TASK, null)).toList()).stream().map(e -> e.vector()).toList();
        int frames = videos.stream().mapToInt(v -> v.frames().size()).sum();
        if (perQuery) {
            int[] before = ranks(videos, targets, queries, VideoMoments.OFF);
            int[] after = ranks(videos, targets, queries, IndexerSettings.DEFAULT_MOMENT_SIMILARITY);
            for (int q = 0; q < targets.size(); q++) {
                System.out.printf(Locale.ROOT, "bench moments set=%s query=\"%s\" rank_off=%s rank_default=%s%n",
                        set, targets.get(q).text(), rank(before[q]), rank(after[q]));
            }
        }
        Scores before = score(videos, targets, queries, VideoMoments.OFF, VideoMoments.Reference.MEAN);
        print(set, videos.size(), frames, targets.size(), "off", "-", before);
        for (VideoMoments.Reference reference : VideoMoments.Reference.values()) {
            for (double similarity : SIMILARITIES) {
                Scores after = score(videos, targets, queries, similarity, reference);
                print(set, videos.size(), frames, targets.size(), String.format(Locale.ROOT, "%.2f", similarity),
                        reference.name().toLowerCase(Locale.ROOT), after);
            }
        }
    }

    private static void print(String set, int videos, int frames, int queries, String similarity, String reference,
                              Scores s) {
        System.out.printf(Locale.ROOT, "bench moments set=%s videos=%d frames=%d queries=%d similarity=%s"
                        + " reference=%s rows=%d start_r@1=%.3f start_r@5=%.3f start_r@10=%.3f span_r@1=%.3f"
                        + " span_r@5=%.3f span_r@10=%.3f distinct@10=%.2f%n", set, videos, frames, queries,
                similarity, reference, s.rows(), s.start()[0], s.start()[1], s.start()[2], s.span()[0], s.span()[1],
                s.span()[2], s.distinct());
    }

    private static Scores score(List<Indexed> videos, List<Target> targets, List<float[]> queries, double similarity,
                                VideoMoments.Reference reference) {
        List<Row> rows = rows(videos, similarity, reference);
        double[] start = new double[KS.length];
        double[] span = new double[KS.length];
        double distinct = 0;
        for (int q = 0; q < targets.size(); q++) {
            Target t = targets.get(q);
            List<Row> top = top(rows, queries.get(q));
            int startRank = startRank(t, top);
            int spanRank = spanRank(t, top);
            for (int k = 0; k < KS.length; k++) {
                start[k] += startRank > 0 && startRank <= KS[k] ? 1.0 / targets.size() : 0;
                span[k] += spanRank > 0 && spanRank <= KS[k] ? 1.0 / targets.size() : 0;
            }
            distinct += top.stream().map(r -> r.mediaId() + "#" + spanOf(videos, r)).distinct().count();
        }
        return new Scores(rows.size(), start, span, distinct / targets.size());
    }

    private static int[] ranks(List<Indexed> videos, List<Target> targets, List<float[]> queries, double similarity) {
        List<Row> rows = rows(videos, similarity, VideoMoments.Reference.MEAN);
        int[] ranks = new int[targets.size()];
        for (int q = 0; q < targets.size(); q++) {
            ranks[q] = startRank(targets.get(q), top(rows, queries.get(q)));
        }
        return ranks;
    }

    private static String rank(int rank) {
        return rank == 0 ? ">" + KS[KS.length - 1] : Integer.toString(rank);
    }

    /** The rows the pipeline writes for these videos when frames are merged at {@code similarity}. */
    private static List<Row> rows(List<Indexed> videos, double similarity, VideoMoments.Reference reference) {
        List<Row> rows = new ArrayList<>();
        for (Indexed v : videos) {
            rows.add(new Row(v.mediaId(), -1, 0, v.durationMs(), v.whole()));
            List<ItemVectors.Segment> moments = VideoMoments.merge(v.frames(), v.vectors(), similarity, reference);
            // As IndexerPipeline.rowsOf: moment rows only when there are several.
            if (moments.size() > 1) {
                for (ItemVectors.Segment m : moments) {
                    rows.add(new Row(v.mediaId(), m.index(), m.startMs(), m.endMs(), m.vector()));
                }
            }
        }
        return rows;
    }

    private static List<Row> top(List<Row> rows, float[] query) {
        return rows.stream().sorted(Comparator.comparingDouble((Row r) -> Vectors.cosine(query, r.vector())).reversed())
                .limit(KS[KS.length - 1]).toList();
    }

    /** The 1-based rank of the first moment row of the right video starting within 1 s of a right span; 0: none. */
    private static int startRank(Target t, List<Row> top) {
        for (int i = 0; i < top.size(); i++) {
            Row r = top.get(i);
            if (isMomentOf(t, r) && t.spans().stream().anyMatch(s ->
                    r.startMs() >= s[0] - TOLERANCE_MS && r.startMs() <= s[1] + TOLERANCE_MS)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The 1-based rank of the first moment row of the right video meeting a right span within 1 s; 0: none. */
    private static int spanRank(Target t, List<Row> top) {
        for (int i = 0; i < top.size(); i++) {
            Row r = top.get(i);
            if (isMomentOf(t, r) && t.spans().stream().anyMatch(s ->
                    r.startMs() <= s[1] + TOLERANCE_MS && r.endMs() >= s[0] - TOLERANCE_MS)) {
                return i + 1;
            }
        }
        return 0;
    }

    private static boolean isMomentOf(Target t, Row r) {
        return r.segment() >= 0 && r.mediaId().equals(t.mediaId());
    }

    /** The shot (or demo moment) a row starts in; -1 for a whole-video row. */
    private static int spanOf(List<Indexed> videos, Row row) {
        if (row.segment() < 0) {
            return -1;
        }
        List<long[]> spans = videos.stream().filter(v -> v.mediaId().equals(row.mediaId())).findFirst()
                .orElseThrow().spans();
        for (int i = 0; i < spans.size(); i++) {
            if (row.startMs() >= spans.get(i)[0] && row.startMs() < spans.get(i)[1]) {
                return i;
            }
        }
        return spans.size() - 1;
    }
}
