package io.tessera.trainer.features;

import io.tessera.catalog.client.CatalogEntry;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.Tower;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.Item;
import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaDecoder;
import io.tessera.media.MediaException;
import io.tessera.media.MediaSource;
import io.tessera.media.Modality;
import io.tessera.media.RgbImage;
import io.tessera.training.FeatureItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns curated-pair items into {@link FeatureItem}s: the features entering the trainable projection of the item's
 * tower, computed by the frozen backbone of the loaded model through the embedding runtime, and cached by content
 * hash. Text goes through the text tower with the model's instruction template (query side: the search task, so the
 * trainer sees queries exactly as search-api encodes them; candidate side: the default task; an item's own
 * instruction replaces the template's prompt). Images, video frames and document pages go through the image tower; a
 * video or a document is the mean of its frames' or pages' features (the projection is linear, so this is the
 * projection of the mean).
 *
 * <p>The {@link FeatureItem#tower()} is the projection's initializer name, which is also the key of the weights that
 * {@code ModelVersions.derive} replaces. Not thread-safe: one round at a time uses it.
 */
public final class FeatureExtractor {

    /** Which side of a pair an item is on: decides the instruction template of text. */
    public enum Role { QUERY, CANDIDATE }

    /** An item to featurise. */
    public record Request(Item item, Role role) {
        public Request {
            Objects.requireNonNull(item, "item");
            Objects.requireNonNull(role, "role");
        }
    }

    /** The outcome for one request. */
    public sealed interface Outcome {
        record Ok(FeatureItem item) implements Outcome { }

        /**
         * @param transientFailure true when trying again later may work (the catalog has not seen the item yet, a
         *                         server was down); false for content that can never be used (a poison pill)
         */
        record Failed(String reason, boolean transientFailure) implements Outcome { }
    }

    /** Progress of a batch: items done out of the total. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);
    }

    private static final int BATCH = 32;

    private final EmbeddingRuntime runtime;
    private final MediaDecoder decoder;
    private final DecodeOptions options;
    private final CatalogLookup catalog;
    private final FeatureCache cache;
    private final String queryTextTask;
    private final String imageTower;
    private final String textTower;

    /**
     * @param queryTextTask the model task whose instruction precedes query-side text (search-api uses "search")
     */
    public FeatureExtractor(EmbeddingRuntime runtime, MediaDecoder decoder, DecodeOptions options,
                            CatalogLookup catalog, FeatureCache cache, String queryTextTask) {
        this.runtime = runtime;
        this.decoder = decoder;
        this.options = options;
        this.catalog = catalog;
        this.cache = cache;
        this.queryTextTask = queryTextTask;
        ModelManifest m = runtime.manifest();
        this.imageTower = m.image() == null ? null : singleProjection(m, Tower.IMAGE);
        this.textTower = m.text() == null ? null : singleProjection(m, Tower.TEXT);
    }

    private static String singleProjection(ModelManifest m, Tower tower) {
        List<String> projections = m.trainableProjections(tower);
        if (projections.size() != 1) {
            throw new IllegalArgumentException("model " + m.ref() + " has " + projections.size()
                    + " trainable projections in its " + tower.label() + " tower; the trainer needs exactly one per"
                    + " tower (a head file, or one in-graph projection: the features entering it, y = x·Wᵀ)");
        }
        return projections.get(0);
    }

    public String imageTower() {
        return imageTower;
    }

    public String textTower() {
        return textTower;
    }

    /**
     * The identity of a model's frozen backbone: the SHA-256 of its features for a fixed probe image and probe text
     * (plus the model name and projection names). Trained versions share their parent's backbone bit for bit (only
     * projection initializers or head files are rewritten), so they share its cache; any other backbone gets a different one.
     */
    public static String backboneFingerprint(EmbeddingRuntime runtime) {
        ModelManifest m = runtime.manifest();
        MessageDigest md = sha256();
        md.update(m.name().getBytes(StandardCharsets.UTF_8));
        if (m.image() != null) {
            // The pixels a feature was computed from are part of what it is: features decoded another way (another
            // subsampling side) must not be reused from the cache.
            md.update(("decode-short-side " + m.image().decodeShortSide()).getBytes(StandardCharsets.UTF_8));
            int size = m.image().imageSize();
            byte[] rgb = new byte[size * size * 3];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int i = (y * size + x) * 3;
                    rgb[i] = (byte) (x * 255 / size);
                    rgb[i + 1] = (byte) (y * 255 / size);
                    rgb[i + 2] = (byte) (((x / 8 + y / 8) % 2) * 200);
                }
            }
            var f = runtime.imageFeatures(List.of(ImageInput.ofRgb(rgb, size, size)));
            digest(md, f.features());
        }
        if (m.text() != null) {
            var f = runtime.textFeatures(List.of(new TextInput("tessera backbone probe: a red circle", null, "")));
            digest(md, f.features());
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 32);
    }

    private static void digest(MessageDigest md, java.util.Map<String, float[][]> features) {
        new java.util.TreeMap<>(features).forEach((name, rows) -> {
            md.update(name.getBytes(StandardCharsets.UTF_8));
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(rows[0].length * 4);
            for (float v : rows[0]) {
                // Rounded to 1e-4 so that CPU and GPU builds of the same backbone share a cache.
                b.putFloat(Math.round(v * 1e4f) / 1e4f);
            }
            md.update(b.array());
        });
    }

    /** A plan for one item: how to get its features. */
    private static final class Plan {
        final int index;
        String tower;
        String key;
        TextInput text;
        MediaSource media;
        Modality modality;
        Outcome done;
        List<RgbImage> images;
        String textTask;
        String textInstruction;

        Plan(int index) {
            this.index = index;
        }
    }

    /** Featurises {@code requests}; the result is aligned with them. Never throws for one bad item. */
    public List<Outcome> extract(List<Request> requests, Progress progress) {
        List<Plan> plans = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            plans.add(plan(i, requests.get(i)));
        }
        keyTexts(plans);
        int total = plans.size();
        int done = 0;
        List<Plan> pendingText = new ArrayList<>();
        List<Plan> pendingMedia = new ArrayList<>();
        for (Plan p : plans) {
            if (p.done == null && p.key != null) {
                float[] f = cache.get(p.tower, p.key);
                if (f != null) {
                    p.done = new Outcome.Ok(new FeatureItem(p.tower, p.key, f));
                }
            }
            if (p.done != null) {
                done++;
                continue;
            }
            if (p.text != null) {
                pendingText.add(p);
            } else {
                pendingMedia.add(p);
            }
        }
        progress.update(done, total);
        for (int from = 0; from < pendingText.size(); from += BATCH) {
            List<Plan> batch = pendingText.subList(from, Math.min(pendingText.size(), from + BATCH));
            runText(batch);
            done += batch.size();
            progress.update(done, total);
        }
        for (int from = 0; from < pendingMedia.size(); from += BATCH) {
            List<Plan> batch = pendingMedia.subList(from, Math.min(pendingMedia.size(), from + BATCH));
            List<Plan> textFromMedia = runMedia(batch);
            if (!textFromMedia.isEmpty()) {
                keyTexts(textFromMedia);
                List<Plan> uncached = new ArrayList<>();
                for (Plan p : textFromMedia) {
                    float[] f = cache.get(p.tower, p.key);
                    if (f != null) {
                        p.done = new Outcome.Ok(new FeatureItem(p.tower, p.key, f));
                    } else {
                        uncached.add(p);
                    }
                }
                runText(uncached);
            }
            done += batch.size();
            progress.update(done, total);
        }
        List<Outcome> out = new ArrayList<>(plans.size());
        for (Plan p : plans) {
            out.add(Objects.requireNonNull(p.done, "no outcome for item " + p.index));
        }
        return out;
    }

    private Plan plan(int index, Request request) {
        Plan p = new Plan(index);
        Item item = request.item();
        String task = request.role() == Role.QUERY ? queryTextTask : null;
        if (item.getText() != null) {
            return text(p, new TextInput(item.getText(), task, item.getInstruction()));
        }
        if (item.getContent() != null) {
            return media(p, item.getContent(), toMedia(item.getModality()), task, item.getInstruction());
        }
        if (item.getMediaId() != null) {
            Optional<CatalogEntry> entry = catalog.find(item.getMediaId());
            if (entry.isEmpty()) {
                p.done = new Outcome.Failed("mediaId '" + item.getMediaId() + "' is not in media.catalog (yet)", true);
                return p;
            }
            CatalogEntry e = entry.get();
            String instruction = item.getInstruction() != null ? item.getInstruction() : e.instruction();
            return media(p, e.content(), toMedia(e.modality()), task, instruction);
        }
        p.done = new Outcome.Failed("the item has no text, mediaId or content", false);
        return p;
    }

    private Plan text(Plan p, TextInput input) {
        if (textTower == null) {
            p.done = new Outcome.Failed("the model has no text tower", false);
            return p;
        }
        p.tower = textTower;
        p.text = input;
        return p;
    }

    private Plan media(Plan p, Object content, Modality modality, String task, String instruction) {
        if (content instanceof InlineText t) {
            return text(p, new TextInput(t.getText(), task, instruction));
        }
        if (modality == null) {
            p.done = new Outcome.Failed("the item's modality is UNKNOWN", false);
            return p;
        }
        if (modality == Modality.TEXT) {
            // Text given as bytes: decoded first, keyed by the text the tower will see.
            p.textTask = task;
            p.textInstruction = instruction;
        } else if (imageTower == null) {
            p.done = new Outcome.Failed("the model has no image tower for " + modality, false);
            return p;
        } else {
            p.tower = imageTower;
        }
        p.modality = modality;
        if (content instanceof InlineBytes b) {
            byte[] data = new byte[b.getData().remaining()];
            b.getData().duplicate().get(data);
            p.media = MediaSource.bytes(data);
            if (modality != Modality.TEXT) {
                p.key = mediaKey(modality, HexFormat.of().formatHex(sha256().digest(data)));
            }
        } else if (content instanceof ContentReference r) {
            p.media = MediaSource.reference(r.getUri(), r.getSizeBytes(), r.getSha256());
            if (modality != Modality.TEXT && r.getSha256() != null && r.getSha256().matches("[0-9a-fA-F]{64}")) {
                p.key = mediaKey(modality, r.getSha256().toLowerCase(Locale.ROOT));
            }
        } else {
            p.done = new Outcome.Failed("unsupported content " + content.getClass().getSimpleName(), false);
        }
        return p;
    }

    private String mediaKey(Modality modality, String sha256) {
        return switch (modality) {
            case IMAGE -> "image:" + sha256;
            case VIDEO -> "video:" + options.frameInterval().toMillis() + "ms/" + options.maxFrames() + ":" + sha256;
            case DOCUMENT -> "document:" + options.pageDpi() + "dpi/" + options.maxPages() + ":" + sha256;
            case TEXT -> "text:" + sha256;
        };
    }

    private static Modality toMedia(io.tessera.events.Modality m) {
        return switch (m) {
            case IMAGE -> Modality.IMAGE;
            case VIDEO -> Modality.VIDEO;
            case DOCUMENT -> Modality.DOCUMENT;
            case TEXT -> Modality.TEXT;
            case UNKNOWN -> null;
        };
    }

    /** Keys text plans by the exact string the text tower sees (instruction template applied). */
    private void keyTexts(List<Plan> plans) {
        List<Plan> texts = plans.stream().filter(p -> p.done == null && p.text != null).toList();
        if (texts.isEmpty()) {
            return;
        }
        List<String> seen = runtime.instructedTexts(texts.stream().map(p -> p.text).toList());
        MessageDigest md = sha256();
        for (int i = 0; i < texts.size(); i++) {
            texts.get(i).key = "text:" + HexFormat.of().formatHex(md.digest(seen.get(i).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void runText(List<Plan> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            float[][] rows = runtime.textFeatures(batch.stream().map(p -> p.text).toList()).features().get(textTower);
            for (int i = 0; i < batch.size(); i++) {
                Plan p = batch.get(i);
                p.done = new Outcome.Ok(new FeatureItem(p.tower, p.key, cache.put(p.tower, p.key, rows[i])));
            }
        } catch (RuntimeException e) {
            // One bad text must not sink its batch: retry one by one to find it.
            if (batch.size() > 1) {
                for (Plan p : batch) {
                    runText(List.of(p));
                }
            } else {
                batch.get(0).done = new Outcome.Failed("text tower failed: " + e.getMessage(), false);
            }
        }
    }

    /** Fetches and decodes a batch of media, runs the image tower on every picture; returns text decoded from bytes. */
    private List<Plan> runMedia(List<Plan> batch) {
        List<Plan> textPlans = new ArrayList<>();
        List<ImageInput> pictures = new ArrayList<>();
        List<Plan> owners = new ArrayList<>();
        for (Plan p : batch) {
            try {
                FetchedContent content = decoder.fetch(p.media);
                if (p.modality == Modality.TEXT) {
                    DecodedMedia.DecodedText t = (DecodedMedia.DecodedText) decoder.decode(content, Modality.TEXT, options);
                    p.tower = textTower;
                    p.text = new TextInput(t.text(), p.textTask, p.textInstruction);
                    textPlans.add(p);
                    continue;
                }
                if (p.key == null) {
                    p.key = mediaKey(p.modality, content.sha256());
                    float[] cached = cache.get(p.tower, p.key);
                    if (cached != null) {
                        p.done = new Outcome.Ok(new FeatureItem(p.tower, p.key, cached));
                        continue;
                    }
                }
                DecodedMedia decoded = decoder.decode(content, p.modality, options);
                p.images = switch (decoded) {
                    case DecodedMedia.DecodedImage i -> List.of(i.image());
                    case DecodedMedia.DecodedVideo v -> v.frames().stream().map(DecodedMedia.VideoFrame::image).toList();
                    case DecodedMedia.DecodedDocument d -> d.pages().stream().map(DecodedMedia.DocumentPage::image).toList();
                    case DecodedMedia.DecodedText t -> List.of();
                };
                if (p.images.isEmpty()) {
                    p.done = new Outcome.Failed(p.modality + " decoded to no pictures", false);
                    continue;
                }
                for (RgbImage img : p.images) {
                    pictures.add(ImageInput.ofRgb(img.rgb(), img.width(), img.height()));
                    owners.add(p);
                }
            } catch (MediaException e) {
                p.done = new Outcome.Failed(e.reasonCode() + ": " + e.getMessage(), e.retriable());
            } catch (RuntimeException e) {
                p.done = new Outcome.Failed("cannot decode " + p.media + ": " + e, false);
            }
        }
        if (pictures.isEmpty()) {
            return textPlans;
        }
        float[][] rows = new float[pictures.size()][];
        try {
            for (int from = 0; from < pictures.size(); from += BATCH) {
                int to = Math.min(pictures.size(), from + BATCH);
                float[][] part = runtime.imageFeatures(pictures.subList(from, to)).features().get(imageTower);
                System.arraycopy(part, 0, rows, from, to - from);
            }
        } catch (RuntimeException e) {
            for (Plan p : owners) {
                if (p.done == null) {
                    p.done = new Outcome.Failed("image tower failed: " + e.getMessage(), false);
                }
            }
            return textPlans;
        }
        int i = 0;
        while (i < owners.size()) {
            Plan p = owners.get(i);
            int n = p.images.size();
            float[] mean = new float[rows[i].length];
            for (int k = 0; k < n; k++) {
                float[] r = rows[i + k];
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += r[d] / n;
                }
            }
            p.done = new Outcome.Ok(new FeatureItem(p.tower, p.key, cache.put(p.tower, p.key, mean)));
            p.images = null;
            i += n;
        }
        return textPlans;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
