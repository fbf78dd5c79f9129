package io.tessera.demo.dataset.internal;

import io.tessera.demo.dataset.ContentRef;
import io.tessera.demo.dataset.DataFile;
import io.tessera.demo.dataset.DatasetJson;
import io.tessera.demo.dataset.DatasetManifest;
import io.tessera.demo.dataset.DatasetSpec;
import io.tessera.demo.dataset.EvalQuery;
import io.tessera.demo.dataset.EvalTarget;
import io.tessera.demo.dataset.FrameSink;
import io.tessera.demo.dataset.HeldOutCombinations;
import io.tessera.demo.dataset.ManifestItem;
import io.tessera.demo.dataset.Modality;
import io.tessera.demo.dataset.Moment;
import io.tessera.demo.dataset.PageAnnotation;
import io.tessera.demo.dataset.PairItem;
import io.tessera.demo.dataset.Split;
import io.tessera.demo.dataset.Task;
import io.tessera.demo.dataset.TrainingPair;
import io.tessera.demo.dataset.VideoEncoder;
import io.tessera.demo.dataset.VideoFormat;
import io.tessera.demo.dataset.VideoInfo;
import io.tessera.demo.dataset.internal.OutputDirectory.Written;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;

/** Generates one dataset; see {@link io.tessera.demo.dataset.DatasetGenerator} for what it contains. */
public final class DatasetBuilder {

    /** 2025-01-01T00:00:00Z: the nominal creation time of every pair, fixed so that output is reproducible. */
    public static final long CREATED_AT_MS = 1_735_689_600_000L;
    public static final int IMAGE_SIZE = 224;
    public static final int PAGE_IMAGE_WIDTH = 224;
    public static final int MAX_NEGATIVES = 3;
    private static final int FAMILY_SIZE = LookSampler.MAX_FAMILY;
    private static final List<String> DOCUMENT_KINDS =
            List.of("Field notes", "Shape atlas", "Survey", "Catalogue", "Study", "Report");

    private final DatasetSpec spec;
    private final VideoEncoder encoder;
    private final HeldOut heldOut;
    private final Set<Look> usedVisualLooks = new HashSet<>();
    private OutputDirectory out;

    private final List<LookEntry> images = new ArrayList<>();
    private final List<LookEntry> texts = new ArrayList<>();
    private final List<PageEntry> pages = new ArrayList<>();
    private final List<MomentEntry> moments = new ArrayList<>();
    private final List<ManifestItem> items = new ArrayList<>();
    /** Filled by the video thread only; merged into {@link #items} once it is done. */
    private final List<ManifestItem> videoItems = new ArrayList<>();

    private record LookEntry(ManifestItem item, Look look, String passage) {
    }

    private record PageEntry(ManifestItem document, PageAnnotation page, Look look) {
    }

    private record MomentEntry(ManifestItem video, Moment moment, List<String> tuple) {
    }

    public DatasetBuilder(DatasetSpec spec, VideoEncoder encoder) {
        this.spec = spec;
        this.encoder = encoder;
        this.heldOut = HeldOut.choose(spec.seed());
    }

    private static void await(Future<?> task) throws IOException {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the videos were being written");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    public DatasetManifest build(Path root) throws IOException {
        out = OutputDirectory.prepare(root, Set.of(DatasetManifest.FILE_NAME, DatasetManifest.PAIRS_FILE,
                DatasetManifest.EVAL_FILE));
        // Videos share nothing with the other modalities (own random stream, own uniqueness set, own lists), so they
        // are drawn and encoded on a second thread: the encoder is the slowest part and the output stays the same.
        ExecutorService videoThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "dataset-videos");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<?> videos = videoThread.submit(() -> {
                generateVideos();
                return null;
            });
            generateImages();
            generateDocuments();
            generateTexts();
            await(videos);
        } finally {
            videoThread.shutdownNow();
        }
        items.addAll(videoItems);
        items.sort(java.util.Comparator.comparing(ManifestItem::mediaId));

        List<TrainingPair> pairs = pairs();
        List<EvalQuery> queries = evalQueries();
        Written pairsFile = out.write(DatasetManifest.PAIRS_FILE, DatasetJson.jsonLines(pairs));
        Written evalFile = out.write(DatasetManifest.EVAL_FILE, DatasetJson.jsonLines(queries));

        DatasetManifest manifest = new DatasetManifest(DatasetManifest.FORMAT, DatasetManifest.FORMAT_VERSION,
                spec.seed(), spec.size(), counts(pairs, queries), Vocabulary.asMap(),
                new HeldOutCombinations(List.of(Vocabulary.SHAPE, Vocabulary.COLOR), heldOut.combinations()),
                new DataFile(pairsFile.file(), pairs.size(), pairsFile.sha256()),
                new DataFile(evalFile.file(), queries.size(), evalFile.sha256()), items);
        out.write(DatasetManifest.FILE_NAME, DatasetJson.manifestBytes(manifest));
        return manifest;
    }

    /** Which items of {@code count} are held out: a seeded choice of {@code evalCount} of them. */
    private boolean[] evalMask(int count, int evalCount, String label) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            order.add(i);
        }
        Collections.shuffle(order, Seeds.stream(spec.seed(), label + "/split"));
        boolean[] eval = new boolean[count];
        for (int i = 0; i < evalCount; i++) {
            eval[order.get(i)] = true;
        }
        return eval;
    }

    private static String id(String prefix, int number) {
        return String.format("%s-%06d", prefix, number);
    }

    // ---- images

    private void generateImages() throws IOException {
        Random random = Seeds.stream(spec.seed(), "images");
        LookSampler sampler = new LookSampler(heldOut, usedVisualLooks);
        int evalCount = spec.evalImages();
        List<Look> looks = new ArrayList<>(sampler.draw(random, true, evalCount, FAMILY_SIZE));
        looks.addAll(sampler.draw(random, false, spec.images() - evalCount, FAMILY_SIZE));
        // Families were drawn together; spread them over the ids so that an id says nothing about split or family.
        Collections.shuffle(looks, random);
        for (int i = 0; i < looks.size(); i++) {
            Look look = looks.get(i);
            String mediaId = id("img", i + 1);
            BufferedImage picture = SceneRenderer.render(look, IMAGE_SIZE, Seeds.derive(spec.seed(), mediaId));
            Written file = out.write(OutputDirectory.IMAGES + "/" + mediaId + ".png", png(picture));
            ManifestItem item = new ManifestItem(mediaId, Modality.IMAGE, split(heldOut.contains(look)), file.file(),
                    "image/png", file.sizeBytes(), file.sha256(), look.caption(), look.attributes(), null, null, null);
            items.add(item);
            images.add(new LookEntry(item, look, null));
        }
    }

    private static Split split(boolean eval) {
        return eval ? Split.EVAL : Split.TRAIN;
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IllegalStateException("no PNG writer in this JDK");
        }
        return bytes.toByteArray();
    }

    // ---- documents

    private void generateDocuments() throws IOException {
        Random random = Seeds.stream(spec.seed(), "documents");
        LookSampler sampler = new LookSampler(heldOut, usedVisualLooks);
        boolean[] evalMask = evalMask(spec.documents(), spec.evalDocuments(), "documents");
        for (int d = 0; d < spec.documents(); d++) {
            String mediaId = id("doc", d + 1);
            boolean eval = evalMask[d];
            List<Look> looks = sampler.family(random, eval, 2 + random.nextInt(3));
            String title = Seeds.pick(random, DOCUMENT_KINDS) + " no. " + (d + 1);
            List<DocumentPdf.Page> pdfPages = new ArrayList<>();
            List<PageAnnotation> annotations = new ArrayList<>();
            for (int p = 0; p < looks.size(); p++) {
                Look look = looks.get(p);
                int number = p + 1;
                String pageTitle = title + "." + number + ": " + Passages.capitalised(look.colour().word) + " "
                        + look.shape().plural;
                List<String> keywords = List.of(look.shape().word, look.colour().word, look.position().word,
                        look.background().word);
                String figureCaption = "Figure " + number + ": " + look.caption();
                String body = Passages.passage(look, random);
                BufferedImage figure = SceneRenderer.render(look, IMAGE_SIZE,
                        Seeds.derive(spec.seed(), mediaId + "/" + number));
                pdfPages.add(new DocumentPdf.Page(pageTitle, keywords, figure, figureCaption, body));
                annotations.add(new PageAnnotation(number, pageTitle, keywords, figureCaption, body,
                        look.attributes(), OutputDirectory.PAGES + "/" + mediaId + "-p" + number + ".png"));
            }
            byte[] pdf = DocumentPdf.write(spec.seed() + "/" + mediaId, title, "Figures of shapes with their descriptions", pdfPages);
            Written file = out.write(OutputDirectory.DOCUMENTS + "/" + mediaId + ".pdf", pdf);
            List<BufferedImage> rendered = DocumentPdf.render(pdf, PAGE_IMAGE_WIDTH);
            for (int p = 0; p < rendered.size(); p++) {
                out.write(annotations.get(p).imageFile(), png(rendered.get(p)));
            }
            ManifestItem item = new ManifestItem(mediaId, Modality.DOCUMENT, split(eval), file.file(),
                    "application/pdf", file.sizeBytes(), file.sha256(), title,
                    Map.of("pages", Integer.toString(looks.size()), "title", title), null, null, annotations);
            items.add(item);
            for (int p = 0; p < looks.size(); p++) {
                pages.add(new PageEntry(item, annotations.get(p), looks.get(p)));
            }
        }
    }

    // ---- videos

    private void generateVideos() throws IOException {
        Random random = Seeds.stream(spec.seed(), "videos");
        boolean[] evalMask = evalMask(spec.videos(), spec.evalVideos(), "videos");
        Set<List<Object>> usedMoments = new HashSet<>();
        for (int v = 0; v < spec.videos(); v++) {
            String mediaId = id("vid", v + 1);
            boolean eval = evalMask[v];
            // Every fourth video is WebM/VP8 so that both decoders are exercised; the rest MP4/H.264.
            VideoFormat format = v % 4 == 3 ? VideoFormat.WEBM_VP8 : VideoFormat.MP4_H264;
            int side = format == VideoFormat.WEBM_VP8 ? 160 : 192;
            int fps = format == VideoFormat.WEBM_VP8 ? 8 : 10;
            VideoScript script = VideoScript.plan(random, eval, heldOut, usedMoments);
            BufferedImage backdrop = SceneRenderer.background(script.background(), side, side,
                    Seeds.derive(spec.seed(), mediaId));
            long duration = script.durationMs();
            int frames = (int) (duration * fps / 1000);
            String relative = OutputDirectory.VIDEOS + "/" + mediaId + "." + format.extension;
            try (FrameSink sink = encoder.open(out.resolve(relative), format, side, side, fps)) {
                for (int f = 0; f < frames; f++) {
                    sink.write(script.frame(backdrop, frameTime(f, fps)));
                }
            }
            Written file = out.describe(relative);
            List<Moment> annotated = new ArrayList<>();
            for (int b = 0; b < script.beats().size(); b++) {
                VideoScript.Beat beat = script.beats().get(b);
                long middle = beat.startMs() + (beat.endMs() - beat.startMs()) / 2;
                long frameMs = frameTime((int) (middle * fps / 1000), fps);
                String frameFile = OutputDirectory.FRAMES + "/" + mediaId + "-m" + (b + 1) + ".png";
                out.write(frameFile, png(script.frame(backdrop, frameMs)));
                annotated.add(new Moment(b + 1, beat.startMs(), beat.endMs(), beat.text(script.shape()),
                        script.attributes(beat), frameMs, frameFile));
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put(Vocabulary.SHAPE, script.shape().word);
            attributes.put(Vocabulary.SIZE, script.size().word);
            attributes.put(Vocabulary.BACKGROUND, script.background().word);
            ManifestItem item = new ManifestItem(mediaId, Modality.VIDEO, split(eval), file.file(),
                    format.contentType, file.sizeBytes(), file.sha256(), script.caption(), attributes,
                    new VideoInfo(side, side, fps, duration, frames), annotated, null);
            videoItems.add(item);
            for (int b = 0; b < annotated.size(); b++) {
                Map<String, String> a = annotated.get(b).attributes();
                moments.add(new MomentEntry(item, annotated.get(b), List.of(a.get(Vocabulary.SHAPE),
                        a.get(Vocabulary.COLOR), a.get(Vocabulary.POSITION), a.get(Vocabulary.SIZE),
                        a.get(Vocabulary.BACKGROUND))));
            }
        }
    }

    private static long frameTime(int frame, int fps) {
        return frame * 1000L / fps;
    }

    // ---- texts

    private void generateTexts() throws IOException {
        Random random = Seeds.stream(spec.seed(), "texts");
        // Passages are not pictures: they get their own uniqueness set, so they may describe a look an image shows.
        LookSampler sampler = new LookSampler(heldOut, new HashSet<>());
        int evalCount = spec.evalTexts();
        List<Look> looks = new ArrayList<>(sampler.draw(random, true, evalCount, FAMILY_SIZE));
        looks.addAll(sampler.draw(random, false, spec.texts() - evalCount, FAMILY_SIZE));
        Collections.shuffle(looks, random);
        for (int i = 0; i < looks.size(); i++) {
            Look look = looks.get(i);
            String mediaId = id("txt", i + 1);
            String passage = Passages.passage(look, random);
            Written file = out.write(OutputDirectory.TEXTS + "/" + mediaId + ".txt",
                    (passage + "\n").getBytes(StandardCharsets.UTF_8));
            ManifestItem item = new ManifestItem(mediaId, Modality.TEXT, split(heldOut.contains(look)), file.file(),
                    "text/plain; charset=utf-8", file.sizeBytes(), file.sha256(), look.caption(), look.attributes(),
                    null, null, null);
            items.add(item);
            texts.add(new LookEntry(item, look, passage));
        }
    }

    // ---- pairs

    private List<TrainingPair> pairs() {
        List<TrainingPair> pairs = new ArrayList<>();
        String source = "tessera-dataset seed=" + spec.seed() + " size=" + spec.size();
        Set<Integer> allSix = Set.of(0, 1, 2, 3, 4, 5);

        List<LookEntry> trainImages = images.stream().filter(e -> e.item().split() == Split.TRAIN).toList();
        NeighbourIndex imageIndex = new NeighbourIndex(trainImages.stream().map(e -> tuple(e.look())).toList());
        for (LookEntry entry : trainImages) {
            String pairId = pairId(Task.T2I, entry.item().mediaId());
            List<PairItem> negatives = new ArrayList<>();
            for (int j : imageIndex.pick(tuple(entry.look()), allSix, MAX_NEGATIVES, pairRandom(pairId))) {
                negatives.add(catalogImage(trainImages.get(j).item()));
            }
            pairs.add(new TrainingPair(pairId, Task.T2I, PairItem.text(entry.look().caption()),
                    catalogImage(entry.item()), negatives, 1.0, source, CREATED_AT_MS));
        }

        List<MomentEntry> trainMoments = moments.stream().filter(e -> e.video().split() == Split.TRAIN).toList();
        NeighbourIndex momentIndex = new NeighbourIndex(trainMoments.stream().map(MomentEntry::tuple).toList());
        // A moment's text names shape, colour and cell only: a negative differing in size or background would still
        // match it, so negatives agree on those and differ in one of the named three.
        Set<Integer> named = Set.of(0, 1, 2);
        for (MomentEntry entry : trainMoments) {
            String pairId = pairId(Task.T2V, entry.video().mediaId() + "-m" + entry.moment().index());
            List<PairItem> negatives = new ArrayList<>();
            for (int j : momentIndex.pick(entry.tuple(), named, MAX_NEGATIVES, pairRandom(pairId))) {
                negatives.add(frame(trainMoments.get(j).moment()));
            }
            pairs.add(new TrainingPair(pairId, Task.T2V, PairItem.text(entry.moment().text()),
                    frame(entry.moment()), negatives, 1.0, source, CREATED_AT_MS));
        }

        List<PageEntry> trainPages = pages.stream().filter(e -> e.document().split() == Split.TRAIN).toList();
        NeighbourIndex pageIndex = new NeighbourIndex(trainPages.stream().map(e -> tuple(e.look())).toList());
        for (PageEntry entry : trainPages) {
            String pairId = pairId(Task.T2D, entry.document().mediaId() + "-p" + entry.page().page());
            List<PairItem> negatives = new ArrayList<>();
            for (int j : pageIndex.pick(tuple(entry.look()), allSix, MAX_NEGATIVES, pairRandom(pairId))) {
                negatives.add(pageImage(trainPages.get(j).page()));
            }
            pairs.add(new TrainingPair(pairId, Task.T2D, PairItem.text(entry.look().caption()),
                    pageImage(entry.page()), negatives, 1.0, source, CREATED_AT_MS));
        }

        List<LookEntry> trainTexts = texts.stream().filter(e -> e.item().split() == Split.TRAIN).toList();
        NeighbourIndex textIndex = new NeighbourIndex(trainTexts.stream().map(e -> tuple(e.look())).toList());
        for (LookEntry entry : trainTexts) {
            String pairId = pairId(Task.T2T, entry.item().mediaId());
            List<PairItem> negatives = new ArrayList<>();
            for (int j : textIndex.pick(tuple(entry.look()), allSix, MAX_NEGATIVES, pairRandom(pairId))) {
                negatives.add(passage(trainTexts.get(j)));
            }
            pairs.add(new TrainingPair(pairId, Task.T2T, PairItem.text(entry.look().caption()), passage(entry),
                    negatives, 1.0, source, CREATED_AT_MS));
        }
        return pairs;
    }

    private String pairId(Task task, String subject) {
        return "s" + spec.seed() + "-" + task.id() + "-" + subject;
    }

    private Random pairRandom(String pairId) {
        return Seeds.stream(spec.seed(), "negatives/" + pairId);
    }

    private static List<String> tuple(Look look) {
        return look.values().stream().map(Vocabulary::word).toList();
    }

    private static PairItem catalogImage(ManifestItem item) {
        return PairItem.media(Modality.IMAGE, item.mediaId());
    }

    private PairItem frame(Moment moment) {
        return PairItem.content(Modality.IMAGE, written(moment.frameFile()));
    }

    private PairItem pageImage(PageAnnotation page) {
        return PairItem.content(Modality.IMAGE, written(page.imageFile()));
    }

    /** Inline: the trainer needs no catalog lookup for text (the pair id names the passage's item). */
    private static PairItem passage(LookEntry entry) {
        return PairItem.text(entry.passage());
    }

    private ContentRef written(String relative) {
        try {
            Written file = out.describe(relative);
            return new ContentRef(file.file(), file.sizeBytes(), file.sha256());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- evaluation

    private List<EvalQuery> evalQueries() {
        List<EvalQuery> queries = new ArrayList<>();
        for (LookEntry entry : images) {
            if (entry.item().split() == Split.EVAL) {
                queries.add(new EvalQuery("eval-t2i-" + entry.item().mediaId(), Task.T2I, entry.look().caption(),
                        new EvalTarget(entry.item().mediaId(), Modality.IMAGE, null, null, null, null),
                        entry.look().attributes()));
            }
        }
        for (MomentEntry entry : moments) {
            if (entry.video().split() == Split.EVAL) {
                Moment m = entry.moment();
                queries.add(new EvalQuery("eval-t2v-" + entry.video().mediaId() + "-m" + m.index(), Task.T2V,
                        m.text(), new EvalTarget(entry.video().mediaId(), Modality.VIDEO, m.startMs(), m.endMs(),
                                m.frameMs(), null), m.attributes()));
            }
        }
        for (PageEntry entry : pages) {
            if (entry.document().split() == Split.EVAL) {
                int page = entry.page().page();
                queries.add(new EvalQuery("eval-t2d-" + entry.document().mediaId() + "-p" + page, Task.T2D,
                        entry.look().caption(), new EvalTarget(entry.document().mediaId(), Modality.DOCUMENT, null,
                                null, null, page), entry.look().attributes()));
            }
        }
        for (LookEntry entry : texts) {
            if (entry.item().split() == Split.EVAL) {
                queries.add(new EvalQuery("eval-t2t-" + entry.item().mediaId(), Task.T2T, entry.look().caption(),
                        new EvalTarget(entry.item().mediaId(), Modality.TEXT, null, null, null, null),
                        entry.look().attributes()));
            }
        }
        return queries;
    }

    private Map<String, Integer> counts(List<TrainingPair> pairs, List<EvalQuery> queries) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Modality modality : Modality.values()) {
            String key = modality.name().toLowerCase(java.util.Locale.ROOT) + "s";
            counts.put(key, (int) items.stream().filter(i -> i.modality() == modality).count());
            counts.put(key + ".eval", (int) items.stream()
                    .filter(i -> i.modality() == modality && i.split() == Split.EVAL).count());
        }
        counts.put("moments", moments.size());
        counts.put("pages", pages.size());
        counts.put("pairs", pairs.size());
        counts.put("evalQueries", queries.size());
        for (Task task : Task.values()) {
            counts.put("pairs." + task.id(), (int) pairs.stream().filter(p -> p.task() == task).count());
            counts.put("evalQueries." + task.id(), (int) queries.stream().filter(q -> q.task() == task).count());
        }
        return counts;
    }
}
