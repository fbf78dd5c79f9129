package io.tessera.bench.training;

import io.tessera.demo.dataset.ContentRef;
import io.tessera.demo.dataset.DatasetJson;
import io.tessera.demo.dataset.DatasetManifest;
import io.tessera.demo.dataset.EvalQuery;
import io.tessera.demo.dataset.ManifestItem;
import io.tessera.demo.dataset.Moment;
import io.tessera.demo.dataset.Task;
import io.tessera.demo.run.PairEvents;
import io.tessera.catalog.client.CatalogEntry;
import io.tessera.catalog.client.CatalogPosition;
import io.tessera.events.ContentReference;
import io.tessera.events.CuratedPair;
import io.tessera.events.Item;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.trainer.features.CatalogLookup;
import io.tessera.trainer.features.FeatureExtractor;
import io.tessera.trainer.features.FeatureExtractor.Outcome;
import io.tessera.trainer.features.FeatureExtractor.Request;
import io.tessera.trainer.features.FeatureExtractor.Role;
import io.tessera.trainer.round.PairSplit;
import io.tessera.trainer.round.RoundDataset;
import io.tessera.training.Example;
import io.tessera.training.FeatureItem;
import io.tessera.training.Projection;
import io.tessera.training.ValidationSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The generated demo dataset as an {@link AblationDataset}, on real features of the model's frozen backbone (computed
 * by the same {@link FeatureExtractor} the trainer service uses, so the ablation measures what the service trains).
 *
 * <ul>
 *   <li>training: every pair of {@code pairs.jsonl} (all four tasks; none shows a held-out attribute combination)</li>
 *   <li>validation and test: the held-out queries of {@code eval.jsonl} for text→image and text→video, split by their
 *       held-out shape–colour combination (alternating over the manifest's list), so the combinations used for model
 *       selection (β, δ, greedy souping, best ingredient) are never those reported</li>
 *   <li>galleries: text→image searches every image of the dataset (training images are distractors);
 *       text→video searches every moment of every video (as the frame the generator wrote for it), the answer being
 *       the moment the query describes</li>
 * </ul>
 */
public final class DemoDatasetFeatures implements AblationDataset {

    public static final String T2I = "text->image";
    public static final String T2V = "text->video";

    private final String description;
    private final Map<String, Projection> base;
    private final List<Example> training;
    private final List<ValidationSet> validation;
    private final List<ValidationSet> test;

    private DemoDatasetFeatures(String description, Map<String, Projection> base, List<Example> training,
                                List<ValidationSet> validation, List<ValidationSet> test) {
        this.description = description;
        this.base = base;
        this.training = training;
        this.validation = validation;
        this.test = test;
    }

    /** The catalog a publisher of this dataset would fill: every item by mediaId, its file as a reference. */
    public static CatalogLookup catalog(DatasetManifest manifest, Path root) {
        Map<String, CatalogEntry> byId = new HashMap<>();
        for (ManifestItem i : manifest.items()) {
            ContentRef ref = i.content(root);
            MediaArrived item = MediaArrived.newBuilder().setMediaId(i.mediaId()).setTenant("bench")
                    .setModality(Modality.valueOf(i.modality().name())).setContentType(i.contentType())
                    .setContent(new ContentReference(ref.uri(), ref.sizeBytes(), ref.sha256()))
                    .setOccurredAt(java.time.Instant.EPOCH).build();
            byId.put(i.mediaId(), CatalogEntry.item(item, new CatalogPosition("media.catalog", 0, byId.size())));
        }
        return id -> Optional.ofNullable(byId.get(id));
    }

    /**
     * Featurises the dataset in {@code root} with {@code extractor} (whose catalog must be {@link #catalog}).
     */
    public static DemoDatasetFeatures load(Path root, FeatureExtractor extractor, Map<String, Projection> base)
            throws IOException {
        DatasetManifest manifest = DatasetJson.readManifest(root);
        List<CuratedPair> pairs = DatasetJson.readPairsResolved(root.resolve(DatasetManifest.PAIRS_FILE)).stream()
                .map(PairEvents::of).toList();
        RoundDataset data = RoundDataset.build(pairs, new PairSplit(0.0), r -> extractor.extract(r, (d, t) -> { }));
        if (data.trainPairs() != pairs.size()) {
            throw new IllegalStateException("only " + data.trainPairs() + " of " + pairs.size()
                    + " training pairs could be featurised: excluded " + data.excluded() + ", deferred " + data.deferred());
        }
        List<EvalQuery> queries = DatasetJson.readEvalQueries(root.resolve(DatasetManifest.EVAL_FILE));
        List<List<String>> heldOut = manifest.heldOut().values();

        // Galleries: every image; every video moment's frame.
        List<ManifestItem> images = manifest.items(io.tessera.demo.dataset.Modality.IMAGE);
        List<Request> imageRequests = images.stream()
                .map(i -> new Request(Item.newBuilder().setModality(Modality.IMAGE).setMediaId(i.mediaId()).build(),
                        Role.CANDIDATE)).toList();
        Map<String, FeatureItem> imageById = new HashMap<>();
        List<Outcome> imageOutcomes = extractor.extract(imageRequests, (d, t) -> { });
        for (int k = 0; k < images.size(); k++) {
            imageById.put(images.get(k).mediaId(), ok(imageOutcomes.get(k), images.get(k).mediaId()));
        }
        List<String> momentIds = new ArrayList<>();
        List<Request> momentRequests = new ArrayList<>();
        for (ManifestItem v : manifest.items(io.tessera.demo.dataset.Modality.VIDEO)) {
            for (Moment m : v.moments()) {
                momentIds.add(v.mediaId() + "@" + m.startMs());
                String uri = root.toAbsolutePath().normalize().toUri().resolve(m.frameFile()).toString();
                momentRequests.add(new Request(Item.newBuilder().setModality(Modality.IMAGE)
                        .setContent(new ContentReference(uri, null, null)).build(), Role.CANDIDATE));
            }
        }
        Map<String, FeatureItem> momentById = new HashMap<>();
        List<Outcome> momentOutcomes = extractor.extract(momentRequests, (d, t) -> { });
        for (int k = 0; k < momentIds.size(); k++) {
            momentById.put(momentIds.get(k), ok(momentOutcomes.get(k), momentIds.get(k)));
        }
        List<Request> queryRequests = queries.stream()
                .map(q -> new Request(Item.newBuilder().setModality(Modality.TEXT).setText(q.text()).build(), Role.QUERY))
                .toList();
        List<Outcome> queryOutcomes = extractor.extract(queryRequests, (d, t) -> { });

        Map<String, List<ValidationSet.Pair>> val = new HashMap<>();
        Map<String, List<ValidationSet.Pair>> tst = new HashMap<>();
        for (int k = 0; k < queries.size(); k++) {
            EvalQuery q = queries.get(k);
            String task;
            FeatureItem answer;
            if (q.task() == Task.T2I) {
                task = T2I;
                answer = imageById.get(q.expected().mediaId());
            } else if (q.task() == Task.T2V) {
                task = T2V;
                answer = momentById.get(q.expected().mediaId() + "@" + q.expected().startMs());
            } else {
                continue;
            }
            if (answer == null) {
                throw new IllegalStateException("eval query " + q.queryId() + " expects " + q.expected()
                        + ", which is not in the gallery");
            }
            int combination = heldOut.indexOf(List.of(q.attributes().get("shape"), q.attributes().get("color")));
            if (combination < 0) {
                throw new IllegalStateException("eval query " + q.queryId() + " shows no held-out combination: "
                        + q.attributes());
            }
            FeatureItem query = ok(queryOutcomes.get(k), q.queryId());
            (combination % 2 == 0 ? val : tst).computeIfAbsent(task, t -> new ArrayList<>())
                    .add(new ValidationSet.Pair(query, answer));
        }
        List<FeatureItem> imageGallery = images.stream().map(i -> imageById.get(i.mediaId())).toList();
        List<FeatureItem> momentGallery = momentIds.stream().map(momentById::get).toList();
        List<ValidationSet> validation = List.of(ValidationSet.of(T2I, val.get(T2I), imageGallery),
                ValidationSet.of(T2V, val.get(T2V), momentGallery));
        List<ValidationSet> test = List.of(ValidationSet.of(T2I, tst.get(T2I), imageGallery),
                ValidationSet.of(T2V, tst.get(T2V), momentGallery));
        String description = String.format(Locale.ROOT,
                "demo dataset seed %d size %d: %d training pairs %s; held-out combinations %s; validation %d+%d and"
                        + " test %d+%d text->image+text->video queries (split by combination); galleries %d images,"
                        + " %d video moments",
                manifest.seed(), manifest.size(), pairs.size(), countByTask(data.training()), heldOut.size(),
                val.get(T2I).size(), val.get(T2V).size(), tst.get(T2I).size(), tst.get(T2V).size(), imageGallery.size(),
                momentGallery.size());
        return new DemoDatasetFeatures(description, base, data.training(), validation, test);
    }

    private static Map<String, Integer> countByTask(List<Example> examples) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        examples.forEach(e -> out.merge(e.task(), 1, Integer::sum));
        return out;
    }

    private static FeatureItem ok(Outcome o, String what) {
        if (o instanceof Outcome.Ok ok) {
            return ok.item();
        }
        throw new IllegalStateException("cannot featurise " + what + ": " + ((Outcome.Failed) o).reason());
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Map<String, Projection> baseProjections() {
        return base;
    }

    @Override
    public List<Example> training() {
        return training;
    }

    @Override
    public List<ValidationSet> validation() {
        return validation;
    }

    @Override
    public List<ValidationSet> test() {
        return test;
    }
}
