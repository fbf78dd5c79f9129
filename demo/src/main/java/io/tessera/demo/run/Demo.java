package io.tessera.demo.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.demo.console.ProgressLine;
import io.tessera.demo.dataset.DatasetGenerator;
import io.tessera.demo.dataset.DatasetJson;
import io.tessera.demo.dataset.DatasetManifest;
import io.tessera.demo.dataset.DatasetSpec;
import io.tessera.demo.dataset.EvalQuery;
import io.tessera.demo.dataset.ManifestItem;
import io.tessera.demo.dataset.Task;
import io.tessera.events.CuratedPair;
import io.tessera.events.MediaArrived;
import io.tessera.events.ModelVersion;
import io.tessera.events.Topics;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * {@code ./tessera demo}: the whole loop on one machine. Starts the local stack and every service, generates the
 * dataset, publishes the media through Kafka and follows its indexing, evaluates retrieval with the default model,
 * publishes the training pairs, waits for the trainer to promote a new version and for the indexers to re-index with
 * it and flip the alias, evaluates again and prints the before/after table. Then it keeps the search page up until
 * Ctrl-C (or exits, with {@code --no-serve}) and stops everything it started.
 *
 * <p>Each run works in a {@link Namespace} of its own (topic and collection prefixes, model store), so runs are
 * repeatable on a stack that other work shares.
 */
public final class Demo {

    static final String SEARCH_API = "search-api";
    static final String CATALOG = "media-catalog";
    static final String TRAINER = "trainer";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(250);
    /** How long after a promotion the first re-indexed item may take before the roll-out is declared missing. */
    private static final Duration ROLLOUT_START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration ALIAS_FLIP_TIMEOUT = Duration.ofSeconds(90);

    private final DemoOptions options;
    private final DemoPlatform platform;
    private final PrintStream out;
    private final Map<String, Duration> phases = new LinkedHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final long begin = System.nanoTime();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int phaseNumber;
    private volatile Namespace namespace;
    private volatile DemoPlatform.StackAddresses stackAddresses;

    public Demo(DemoOptions options, DemoPlatform platform, PrintStream out) {
        this.options = options;
        this.platform = platform;
        this.out = out;
    }

    /** What a run produced: the table's figures and how long it took to get there. */
    /**
     * @param afterAllModalities the held-out queries after training, searched over every modality at once
     */
    public record Result(Map<Task, Recall> before, Map<Task, Recall> after, Map<Task, Recall> afterAllModalities,
                         int versionBefore, int versionAfter, Duration toTable, Map<String, Duration> phases) {
    }

    /**
     * Runs the demo. Everything started is stopped when this returns (with {@code serve}: after Ctrl-C, through the
     * shutdown hook), also when a step fails.
     *
     * @throws DemoFailedException naming the step that could not be done and why
     */
    public Result run() throws InterruptedException {
        Thread hook = new Thread(this::stopEverything, "tessera-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Result result = loop();
            if (options.serve()) {
                URI page = platform.serviceUrl(SEARCH_API);
                out.printf("%nsearch page: %s  (tenant %s; try \"a red circle\")   Ctrl-C stops everything the demo"
                        + " started%n", page, options.tenant());
                out.flush();
                new CountDownLatch(1).await();
            }
            return result;
        } finally {
            stopEverything();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    private Result loop() throws InterruptedException {
        Namespace ns = Namespace.create(options.runsDir(), System.currentTimeMillis());
        namespace = ns;
        out.printf("tessera demo: run %s, dataset seed %d size %d, tenant %s, model %s:%d%n", ns.runId(),
                options.seed(), options.size(), options.tenant(), options.modelName(), options.modelVersion());

        phase("build");
        platform.buildServices();
        done("build");

        phase("stack");
        DemoPlatform.StackAddresses stack = platform.startStack();
        stackAddresses = stack;
        done("stack");

        phase("dataset");
        DatasetManifest manifest = dataset();
        Path root = options.datasetDir().toAbsolutePath().normalize();
        List<EvalQuery> queries = read("dataset", () -> DatasetJson.readEvalQueries(root.resolve(DatasetManifest.EVAL_FILE)));
        List<EventPublisher.Keyed<CuratedPair>> pairs = read("dataset",
                () -> PairPublisher.read(root.resolve(DatasetManifest.PAIRS_FILE)));
        done("dataset");

        phase("services");
        platform.installModel(options.modelName(), options.modelVersion(), ns.modelStore());
        Map<String, String> env = new LinkedHashMap<>(ns.serviceEnvironment(List.of(root), options.tenant()));
        env.putAll(Namespace.modelEnvironment(options.modelName(), options.modelVersion()));
        // One training round once every pair is in (the trainer counts pairs new since its last round).
        env.put("TESSERA_TRAINER_ROUND_AFTER_NEW_PAIRS", Integer.toString(pairs.size()));
        platform.startServices(env);
        done("services");

        Set<String> ids = manifest.items().stream().map(ManifestItem::mediaId).collect(Collectors.toSet());
        try (IndexedTracker indexed = IndexedTracker.following(stack.kafkaBootstrap(), stack.registryUrl(), ns,
                options.tenant(), ids);
             ModelVersions models = ModelVersions.following(stack.kafkaBootstrap(), stack.registryUrl(), ns, options.modelName());
             SearchClient search = new SearchClient(platform.serviceUrl(SEARCH_API))) {

            phase("index");
            publishMedia(manifest, root, stack, ns);
            int versionBefore = awaitIndexed("index", indexed, ids.size(), -1);
            done("index");

            phase("evaluate before");
            awaitSearchVersion("evaluate before", search, versionBefore);
            Map<Task, Recall> before = evaluate("evaluate before", search, queries);
            printRecall(before);
            done("evaluate before");

            phase("real media");
            Set<String> realIds = publishRealMedia(stack, ns, versionBefore);
            searchRealMedia(search, "real media, zero-shot with " + options.modelName() + " v" + versionBefore);
            done("real media");

            phase("train");
            publishPairs(pairs, stack, ns);
            ModelVersion promoted = awaitPromotion(models, versionBefore, pairs.size());
            done("train");

            phase("re-index");
            int versionAfter = promoted.getVersion();
            awaitReindexed(indexed, ids.size(), versionAfter);
            awaitSearchVersion("re-index", search, versionAfter);
            done("re-index");

            phase("evaluate after");
            Map<Task, Recall> after = evaluate("evaluate after", search, queries);
            printRecall(after);
            done("evaluate after");

            phase("all modalities");
            RetrievalEvaluator everything = new RetrievalEvaluator(search, options.tenant());
            Map<Task, Recall> afterAll = evaluate("all modalities", queries,
                    (q, progress) -> everything.evaluate(q, true, null, progress));
            // The same queries merged by raw cosine: the baseline the fusion has to beat.
            Map<Task, Recall> afterAllRaw = evaluate("all modalities", queries,
                    (q, progress) -> new RetrievalEvaluator(search, options.tenant()).evaluate(q, true, "none", progress));
            done("all modalities");

            Duration toTable = Duration.ofNanos(System.nanoTime() - begin);
            out.println();
            out.print(ResultsTable.format(options.modelName(), before, after));
            out.println();
            out.print(RecallComparison.format(RecallComparison.compare(before, after)));
            out.println();
            out.print(AllModalitiesTable.format(after, afterAll, afterAllRaw, everything.fusion()));
            out.println();
            if (!realIds.isEmpty()) {
                searchRealMedia(search, "real media after training on the dataset's pairs, " + options.modelName()
                        + " v" + versionAfter);
            }
            out.println("time per phase: " + phases.entrySet().stream()
                    .map(e -> e.getKey() + " " + seconds(e.getValue())).collect(Collectors.joining(", ")));
            out.printf("total: %s to the table%n", seconds(toTable));
            out.flush();
            return new Result(before, after, afterAll, versionBefore, versionAfter, toTable, Map.copyOf(phases));
        }
    }

    // ---- real media

    /**
     * Real photographs, real texts and a scanned page, published through the services next to the dataset; returns
     * their ids (none when the photos are not bundled).
     */
    private Set<String> publishRealMedia(DemoPlatform.StackAddresses stack, Namespace ns, int version)
            throws InterruptedException {
        List<EventPublisher.Keyed<MediaArrived>> events;
        try {
            events = RealMedia.events(options.tenant(), Instant.now());
        } catch (IOException e) {
            out.println("  real media: skipped (" + e.getMessage() + ")");
            return Set.of();
        }
        Set<String> ids = events.stream().map(EventPublisher.Keyed::key).collect(Collectors.toSet());
        out.printf("  %d photos (scikit-image), %d licence texts (%s), 1 scanned page (no text layer)%n",
                ids.stream().filter(i -> i.startsWith("real-photo-")).count(),
                ids.stream().filter(i -> i.startsWith("real-license-")).count(), RealMedia.LICENSES);
        io.tessera.media.ocr.OcrEngine ocr = io.tessera.media.ocr.OcrEngine.system();
        out.println(ocr.available() ? "  OCR for pages and frames without text: " + ocr.name()
                : "  OCR is off (no engine installed: apt-get install tesseract-ocr): the scanned page has no words");
        try (IndexedTracker indexed = IndexedTracker.following(stack.kafkaBootstrap(), stack.registryUrl(), ns,
                options.tenant(), ids);
             EventPublisher<MediaArrived> publisher = new EventPublisher<>(stack.kafkaBootstrap(), stack.registryUrl(),
                     "tessera-demo-real-media", 8 << 20)) {
            publisher.publish(ns.topic(Topics.MEDIA_ARRIVED), events, n -> { });
            awaitIndexed("real media", indexed, ids.size(), version);
        } catch (EventPublisher.PublishException e) {
            throw new DemoFailedException("real media", e.getMessage(), e);
        }
        return ids;
    }

    /** The real-media queries with the live model: their top hits and the rank of the right item ("-": not in 5). */
    private void searchRealMedia(SearchClient search, String title) {
        List<RealMedia.Query> queries;
        try {
            queries = RealMedia.queries();
        } catch (IOException e) {
            out.println(title + ": skipped (" + e.getMessage() + ")");
            return;
        }
        out.println(title + ":");
        out.printf("%-62s %-5s %s%n", "QUERY", "RANK", "TOP HITS");
        for (RealMedia.Query q : queries) {
            String label = q.text() != null ? "\"" + q.text() + "\"" : "[image] " + q.label();
            try {
                JsonNode answer = search.search(q.text(), q.image(), options.tenant(), q.modalities(), 5);
                List<String> hits = SearchClient.hits(answer).stream().map(h -> h.path("mediaId").asText()).toList();
                int rank = 0;
                for (int i = 0; i < hits.size() && rank == 0; i++) {
                    if (hits.get(i).startsWith(q.expectedPrefix())) {
                        rank = i + 1;
                    }
                }
                out.printf("%-62s %-5s %s%n", label, rank == 0 ? "-" : Integer.toString(rank),
                        String.join(", ", hits.subList(0, Math.min(3, hits.size()))));
            } catch (IOException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                out.printf("%-62s %-5s search failed: %s%n", label, "?", e.getMessage());
            }
        }
        out.println();
    }

    // ---- dataset

    private DatasetManifest dataset() {
        Path dir = options.datasetDir();
        try {
            if (Files.isRegularFile(dir.resolve(DatasetManifest.FILE_NAME))) {
                DatasetManifest existing = DatasetJson.readManifest(dir);
                if (existing.seed() == options.seed() && existing.size() == options.size()
                        && existing.formatVersion() == DatasetManifest.FORMAT_VERSION) {
                    out.printf("  reusing the dataset in %s (seed %d, size %d: %d items, %d pairs, %d queries)%n",
                            dir, existing.seed(), existing.size(), existing.items().size(),
                            existing.counts().get("pairs"), existing.counts().get("evalQueries"));
                    return existing;
                }
            }
            if (System.getProperty("java.awt.headless") == null) {
                System.setProperty("java.awt.headless", "true");
            }
            out.printf("  generating seed %d size %d into %s%n", options.seed(), options.size(), dir);
            out.flush();
            DatasetManifest m = new DatasetGenerator().generate(new DatasetSpec(options.seed(), options.size()), dir);
            Map<String, Integer> c = m.counts();
            out.printf("  %d images, %d videos (%d moments), %d documents (%d pages), %d texts; %d pairs, %d held-out"
                            + " queries%n", c.get("images"), c.get("videos"), c.get("moments"), c.get("documents"),
                    c.get("pages"), c.get("texts"), c.get("pairs"), c.get("evalQueries"));
            return m;
        } catch (IOException e) {
            throw new DemoFailedException("dataset", "cannot write the dataset to " + dir + ": " + e.getMessage(), e);
        }
    }

    // ---- index

    private void publishMedia(DatasetManifest manifest, Path root, DemoPlatform.StackAddresses stack, Namespace ns) {
        List<EventPublisher.Keyed<MediaArrived>> events = new ArrayList<>();
        Instant now = Instant.now();
        int inline = 0;
        try {
            for (ManifestItem item : manifest.items()) {
                MediaArrived e = MediaEvents.of(item, root, options.tenant(), options.inlineMaxBytes(), now);
                inline += e.getContent() instanceof io.tessera.events.ContentReference ? 0 : 1;
                events.add(new EventPublisher.Keyed<>(item.mediaId(), e));
            }
        } catch (IOException e) {
            throw new DemoFailedException("index", "cannot read a dataset file: " + e.getMessage(), e);
        }
        ProgressLine line = new ProgressLine(out, options.terminal(), "publish", events.size());
        int maxRequest = (int) Math.max(1 << 20, options.inlineMaxBytes() + (64 << 10));
        try (EventPublisher<MediaArrived> publisher = new EventPublisher<>(stack.kafkaBootstrap(), stack.registryUrl(),
                "tessera-demo-media", maxRequest)) {
            publisher.publish(ns.topic(Topics.MEDIA_ARRIVED), events, n -> line.update(n, ""));
        } catch (EventPublisher.PublishException e) {
            throw new DemoFailedException("index", e.getMessage(), e);
        }
        line.update(events.size(), "");
        line.finish(String.format(Locale.ROOT, "%d items to %s (%d inline, %d as file: references)", events.size(),
                ns.topic(Topics.MEDIA_ARRIVED), inline, events.size() - inline));
    }

    /**
     * Waits until every item has an outcome with one model version and returns that version. {@code version} -1
     * takes the first version the indexers report.
     */
    private int awaitIndexed(String step, IndexedTracker indexed, int total, int version) throws InterruptedException {
        ProgressLine line = new ProgressLine(out, options.terminal(), "indexed", total);
        int lastDone = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            indexed.check(step);
            int v = version >= 0 ? version : indexed.versions().stream().max(Integer::compare).orElse(-1);
            int done = v < 0 ? 0 : indexed.done(v);
            int failed = v < 0 ? 0 : indexed.failed(v);
            line.update(done, failed > 0 ? failed + " failed" : "");
            if (v >= 0 && done >= total) {
                line.finish(String.format(Locale.ROOT, "%d items indexed with %s v%d%s", indexed.indexed(v),
                        options.modelName(), v, failed > 0 ? ", " + failed + " FAILED" : ""));
                reportFailures(indexed, v);
                if (indexed.indexed(v) == 0) {
                    throw new DemoFailedException(step, "every item failed to index: see the reasons above");
                }
                return v;
            }
            if (done != lastDone) {
                lastDone = done;
                lastProgress = System.nanoTime();
            } else if (Duration.ofNanos(System.nanoTime() - lastProgress).compareTo(options.stallTimeout()) > 0) {
                line.finish(null);
                throw new DemoFailedException(step, String.format(Locale.ROOT, "indexing made no progress for %ds"
                                + " (%d of %d items done%s): see %s and the indexer logs beside it",
                        options.stallTimeout().toSeconds(), done, total, v < 0 ? "" : " with v" + v,
                        platform.serviceLog(CATALOG)));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private void reportFailures(IndexedTracker indexed, int version) {
        indexed.outcomes(version).entrySet().stream()
                .filter(e -> e.getValue().status() == io.tessera.events.IndexStatus.FAILED)
                .limit(5)
                .forEach(e -> out.printf("  FAILED %s: %s%n", e.getKey(), e.getValue().error()));
    }

    // ---- evaluate

    /** Waits until search-api encodes queries with {@code version} (it follows the alias with a short cache). */
    private void awaitSearchVersion(String step, SearchClient search, int version) throws InterruptedException {
        Instant deadline = Instant.now().plus(ALIAS_FLIP_TIMEOUT);
        int seen = -1;
        String error = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                seen = SearchClient.modelVersion(search.search("a red circle", options.tenant(), "IMAGE", 1, false));
                error = null;
                if (seen == version) {
                    return;
                }
            } catch (IOException e) {
                error = e.getMessage();
            }
            Thread.sleep(500);
        }
        throw new DemoFailedException(step, error != null
                ? "search-api did not answer: " + error + " (see " + platform.serviceLog(SEARCH_API) + ")"
                : String.format(Locale.ROOT, "search-api still answers with %s v%d, not v%d, after %ds: the alias %s"
                        + " was not moved to the new collection", options.modelName(), seen, version,
                        ALIAS_FLIP_TIMEOUT.toSeconds(), options.modelName()));
    }

    private Map<Task, Recall> evaluate(String step, SearchClient search, List<EvalQuery> queries)
            throws InterruptedException {
        RetrievalEvaluator evaluator = new RetrievalEvaluator(search, options.tenant());
        return evaluate(step, queries, evaluator::evaluate);
    }

    private interface Evaluation {
        Map<Task, Recall> run(List<EvalQuery> queries, java.util.function.IntConsumer progress)
                throws IOException, InterruptedException;
    }

    private Map<Task, Recall> evaluate(String step, List<EvalQuery> queries, Evaluation evaluation)
            throws InterruptedException {
        ProgressLine line = new ProgressLine(out, options.terminal(), "queries", queries.size());
        try {
            Map<Task, Recall> r = evaluation.run(queries, n -> line.update(n, ""));
            line.finish(null);
            return r;
        } catch (IOException | IllegalStateException e) {
            line.finish(null);
            throw new DemoFailedException(step, "evaluating through search-api failed: " + e.getMessage()
                    + " (see " + platform.serviceLog(SEARCH_API) + ")", e);
        }
    }

    private void printRecall(Map<Task, Recall> recall) {
        for (Recall r : recall.values()) {
            out.printf(Locale.ROOT, "  %-22s v%d  recall@1 %.3f  @5 %.3f  @10 %.3f  (%d %s)%n",
                    ResultsTable.taskName(r.task()), r.modelVersion(), r.at(1), r.at(5), r.at(10), r.queries(),
                    r.queries() == 1 ? "query" : "queries");
        }
    }

    // ---- train

    private void publishPairs(List<EventPublisher.Keyed<CuratedPair>> pairs, DemoPlatform.StackAddresses stack,
                              Namespace ns) {
        ProgressLine line = new ProgressLine(out, options.terminal(), "pairs", pairs.size());
        try {
            int n = new PairPublisher(stack.kafkaBootstrap(), stack.registryUrl())
                    .publish(pairs, ns.topicPrefix(), c -> line.update(c, ""));
            line.update(n, "");
            line.finish(n + " training pairs to " + ns.topic(Topics.PAIRS_CURATED));
        } catch (EventPublisher.PublishException e) {
            line.finish(null);
            throw new DemoFailedException("train", e.getMessage(), e);
        }
    }

    /**
     * Waits for the trainer to promote a version above {@code versionBefore}. The trainer starts a round by itself once
     * every pair is in (its count trigger is set to the number of pairs); when some pairs were dead-lettered that
     * count is never reached, so once the trainer has received every pair and stays idle the demo asks for the round.
     */
    private ModelVersion awaitPromotion(ModelVersions models, int versionBefore, int pairsPublished)
            throws InterruptedException {
        ProgressLine line = new ProgressLine(out, options.terminal(), "training", 0);
        Instant deadline = Instant.now().plus(options.trainTimeout());
        URI trainer = platform.serviceUrl(TRAINER);
        String note = "waiting for the trainer";
        Instant idleSince = null;
        boolean requested = false;
        long polls = 0;
        while (true) {
            models.check("train");
            var promoted = models.promotedAbove(versionBefore);
            if (promoted.isPresent()) {
                ModelVersion v = promoted.get();
                line.finish(String.format(Locale.ROOT, "%s v%d PROMOTED (trained on %d pairs%s)", options.modelName(),
                        v.getVersion(), v.getPairsTrained(), metrics(v)));
                return v;
            }
            List<ModelVersion> rejected = models.rejectedAbove(versionBefore);
            if (!rejected.isEmpty()) {
                ModelVersion r = rejected.getLast();
                line.finish(null);
                throw new DemoFailedException("train", String.format(Locale.ROOT, "the trainer REJECTED %s v%d (it did"
                        + " not beat v%d on its validation pairs%s): nothing to roll out; see %s", options.modelName(),
                        r.getVersion(), versionBefore, metrics(r), platform.serviceLog(TRAINER)));
            }
            if (Instant.now().isAfter(deadline)) {
                line.finish(null);
                throw new DemoFailedException("train", String.format(Locale.ROOT, "no version of %s was promoted within"
                        + " %ds of publishing the pairs (last trainer status: %s); see %s", options.modelName(),
                        options.trainTimeout().toSeconds(), note, platform.serviceLog(TRAINER)));
            }
            if (polls++ % 4 == 0) {
                var status = getJson(trainer.resolve("/v1/training/status"));
                if (status.isPresent()) {
                    JsonNode st = status.get();
                    note = summarize(st);
                    JsonNode last = st.path("lastRound");
                    if (last.path("version").asInt(-1) > versionBefore
                            && List.of("FAILED", "SKIPPED").contains(last.path("outcome").asText())) {
                        line.finish(null);
                        throw new DemoFailedException("train", "the trainer's round for v" + last.path("version").asInt()
                                + " ended " + last.path("outcome").asText() + ": " + last.path("reason").asText()
                                + "; see " + platform.serviceLog(TRAINER));
                    }
                    JsonNode pairs = st.path("pairs");
                    boolean allIn = pairs.path("received").asLong() + pairs.path("deadLettered").asLong() >= pairsPublished;
                    boolean idle = "IDLE".equals(st.path("round").path("state").asText());
                    idleSince = allIn && idle ? (idleSince == null ? Instant.now() : idleSince) : null;
                    if (!requested && idleSince != null && Duration.between(idleSince, Instant.now()).toSeconds() >= 8) {
                        requested = post(trainer.resolve("/v1/training/rounds?reason=tessera-demo"));
                        if (requested) {
                            out.printf("%n  the trainer has every pair but started no round: asked for one%n");
                        }
                    }
                }
            }
            line.update(0, note);
            Thread.sleep(POLL.toMillis());
        }
    }

    private static String metrics(ModelVersion v) {
        Map<String, Double> m = v.getMetrics();
        if (m == null || m.isEmpty()) {
            return "";
        }
        return "; " + m.entrySet().stream().filter(e -> e.getKey().startsWith("recall@1"))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private java.util.Optional<JsonNode> getJson(URI uri) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? java.util.Optional.of(JSON.readTree(r.body())) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    private boolean post(URI uri) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 202 || r.statusCode() == 409;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One line from the trainer's status document: pairs received, the round's state, progress and detail. */
    static String summarize(JsonNode status) {
        List<String> parts = new ArrayList<>();
        JsonNode pairs = status.path("pairs");
        if (pairs.isObject()) {
            parts.add(pairs.path("received").asLong() + " pairs in"
                    + (pairs.path("deadLettered").asLong() > 0 ? " (" + pairs.path("deadLettered").asLong()
                    + " dead-lettered)" : ""));
        }
        JsonNode round = status.path("round");
        if (round.isObject()) {
            String state = round.path("state").asText("");
            parts.add(state + ("IDLE".equals(state) ? "" : String.format(Locale.ROOT, " %.0f%%",
                    100 * round.path("progress").asDouble())));
            if (!round.path("detail").asText("").isEmpty()) {
                parts.add(round.path("detail").asText());
            }
        }
        return parts.isEmpty() ? "trainer running" : String.join(", ", parts);
    }

    // ---- re-index

    private void awaitReindexed(IndexedTracker indexed, int total, int version) throws InterruptedException {
        Instant firstDeadline = Instant.now().plus(ROLLOUT_START_TIMEOUT);
        while (indexed.done(version) == 0) {
            indexed.check("re-index");
            if (Instant.now().isAfter(firstDeadline)) {
                throw new DemoFailedException("re-index", String.format(Locale.ROOT, "%s v%d was promoted, but no"
                        + " item was re-indexed with it within %ds: the indexers' roll-out (react to PROMOTED on %s,"
                        + " backfill the new collection from %s, flip the alias) is not available in this build",
                        options.modelName(), version, ROLLOUT_START_TIMEOUT.toSeconds(), Topics.MODELS_PUBLISHED,
                        Topics.MEDIA_CATALOG));
            }
            Thread.sleep(POLL.toMillis());
        }
        awaitIndexed("re-index", indexed, total, version);
    }

    // ---- phases

    /** build, stack, dataset, services, index, evaluate before, real media, train, re-index, evaluate after, all modalities. */
    private static final int PHASES = 11;

    private void phase(String name) {
        phaseNumber++;
        out.printf("%n[%d/%d] %s%n", phaseNumber, PHASES, name);
        out.flush();
        phases.put(name, Duration.ofNanos(-System.nanoTime()));
    }

    private void done(String name) {
        Duration took = phases.get(name).plusNanos(System.nanoTime());
        phases.put(name, took);
        out.printf("  %s done in %s%n", name, seconds(took));
        out.flush();
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private interface Reader<T> {
        T read() throws IOException;
    }

    private <T> T read(String step, Reader<T> reader) {
        try {
            return reader.read();
        } catch (IOException e) {
            throw new DemoFailedException(step, e.getMessage(), e);
        }
    }

    /** Stops everything the demo started, once, from the normal path or the shutdown hook (Ctrl-C). */
    private void stopEverything() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        out.println();
        out.println("stopping what the demo started...");
        out.flush();
        try {
            platform.stopStartedServices();
        } catch (RuntimeException e) {
            out.println("could not stop everything: " + e.getMessage());
        }
        // Before the stack goes (when the demo started it): deleting the run's topics and collections needs it.
        if (!options.keep()) {
            removeRunData();
        }
        try {
            platform.stopStartedStack();
        } catch (RuntimeException e) {
            out.println("could not stop everything: " + e.getMessage());
        }
        http.close();
        out.flush();
    }

    /**
     * Deletes what only this run could use: its topics, its Milvus collections and alias (its own collection prefix)
     * and its model store (about 50 MB: the default model and the trained one).
     */
    private void removeRunData() {
        Namespace ns = namespace;
        if (ns == null) {
            return;
        }
        DemoPlatform.StackAddresses stack = stackAddresses;
        int topics = 0;
        if (stack != null) {
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                    org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                    org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                    org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
                List<String> ours = admin.listTopics().names().get(10, java.util.concurrent.TimeUnit.SECONDS).stream()
                        .filter(t -> t.startsWith(ns.topicPrefix())).toList();
                admin.deleteTopics(ours).all().get(20, java.util.concurrent.TimeUnit.SECONDS);
                topics = ours.size();
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                out.println("  could not delete the run's topics (" + ns.topicPrefix() + "*): " + cause);
            }
        }
        int collections = stack == null ? 0 : removeCollections(ns, stack.milvusUri());
        Path runDir = ns.modelStore().getParent();
        try {
            if (Files.isDirectory(runDir)) {
                try (var files = Files.walk(runDir)) {
                    for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            out.printf("  removed the run's %d topics, %d Milvus collections and its model store (--keep keeps them)%n",
                    topics, collections);
        } catch (IOException e) {
            out.println("  could not delete " + runDir + ": " + e.getMessage());
        }
    }

    /** Drops the alias and every version's collection of the demo model under the run's collection prefix. */
    private int removeCollections(Namespace ns, String milvusUri) {
        VectorStoreConfig config = VectorStoreConfig.defaults(milvusUri)
                .withNaming(new CollectionNaming(ns.collectionPrefix()));
        try (VectorStore store = VectorStore.connect(config)) {
            store.dropAlias(store.naming().alias(options.modelName()));
            List<ModelCollection> ours = store.listCollections(options.modelName());
            for (ModelCollection c : ours) {
                store.dropCollection(c.collection());
            }
            return ours.size();
        } catch (RuntimeException e) {
            out.println("  could not drop the run's Milvus collections (" + ns.collectionPrefix() + "*): "
                    + e.getMessage());
            return 0;
        }
    }
}
