package io.tessera.models.base;

import static io.tessera.models.base.BaseModelFixture.dot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The measurements behind {@link TesseraBase#TEMPERATURE} and {@link TesseraBase#FEATURE_TO_BRIDGE}: recombines the
 * raw graph outputs (logits, features), E and the MiniLM query vectors of {@link BaseModelFixture} for every
 * candidate T and γ/β, exactly as the graph and the heads would (β² + γ² = 1, the runtime normalising after the
 * head), without rebuilding the model for each candidate.
 */
final class Measurements {
    static final double[] TEMPERATURES = {0.5, 1, 2, 4};
    static final double[] RATIOS = {0.5, 0.75, 1, 1.25, 1.5, 2};

    private final BaseModelFixture f;
    private final List<String> gallery;
    private final Map<Double, Map<String, float[]>> bridges = new LinkedHashMap<>();
    private final Map<String, float[]> unitFeatures = new LinkedHashMap<>();

    Measurements(BaseModelFixture f) {
        this.f = f;
        this.gallery = f.gallery();
        for (String name : f.images.keySet()) {
            unitFeatures.put(name, f.unitFeatures(name));
        }
    }

    Map<String, float[]> bridges(double t) {
        return bridges.computeIfAbsent(t, k -> {
            Map<String, float[]> m = new LinkedHashMap<>();
            for (String name : f.images.keySet()) {
                m.put(name, f.bridge(name, k));
            }
            return m;
        });
    }

    /** Text→image over the gallery (photos and distractors). Does not depend on γ/β (β scales every score). */
    record TextToImage(double t, Map<String, Integer> ranks, Map<String, Double> right, Map<String, String> bestWrong,
            Map<String, Double> bestWrongCos) {
        int top(int k) {
            return (int) ranks.values().stream().filter(r -> r <= k).count();
        }

        double mrr() {
            return ranks.values().stream().mapToDouble(r -> 1.0 / r).average().orElse(0);
        }
    }

    TextToImage textToImage(double t) {
        Map<String, float[]> b = bridges(t);
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, Double> right = new LinkedHashMap<>();
        Map<String, String> wrong = new LinkedHashMap<>();
        Map<String, Double> wrongCos = new LinkedHashMap<>();
        for (BaseModelFixture.Query q : BaseModelFixture.QUERIES) {
            float[] qv = f.textVectors.get(q.text());
            double bestRight = Double.NEGATIVE_INFINITY;
            double bestWrong = Double.NEGATIVE_INFINITY;
            String bestWrongName = null;
            for (String g : gallery) {
                double s = dot(qv, b.get(g));
                if (q.targets().contains(g)) {
                    bestRight = Math.max(bestRight, s);
                } else if (s > bestWrong) {
                    bestWrong = s;
                    bestWrongName = g;
                }
            }
            int rank = 1;
            for (String g : gallery) {
                if (!q.targets().contains(g) && dot(qv, b.get(g)) > bestRight) {
                    rank++;
                }
            }
            ranks.put(q.text(), rank);
            right.put(q.text(), bestRight);
            wrong.put(q.text(), bestWrongName);
            wrongCos.put(q.text(), bestWrong);
        }
        return new TextToImage(t, ranks, right, wrong, wrongCos);
    }

    /** Image→image: each edited copy of each photo searches the gallery; its original should come first. */
    record ImageToImage(double t, double ratio, int found, int total, double minMargin, double meanMargin,
            String worst, double sameKindCos, double otherCos) {}

    ImageToImage imageToImage(double t, double ratio) {
        Map<String, float[]> b = bridges(t);
        double w2 = ratio * ratio;
        Function<String[], Double> cos = p -> (dot(b.get(p[0]), b.get(p[1]))
                + w2 * dot(unitFeatures.get(p[0]), unitFeatures.get(p[1]))) / (1 + w2);
        int found = 0;
        int total = 0;
        double minMargin = Double.POSITIVE_INFINITY;
        double sumMargin = 0;
        String worst = null;
        for (String photo : BaseModelFixture.PHOTOS) {
            for (String edit : BaseModelFixture.EDITS) {
                String q = photo + "#" + edit;
                double own = cos.apply(new String[] {q, photo});
                double other = Double.NEGATIVE_INFINITY;
                for (String g : gallery) {
                    if (!g.equals(photo)) {
                        other = Math.max(other, cos.apply(new String[] {q, g}));
                    }
                }
                total++;
                if (own > other) {
                    found++;
                }
                double margin = own - other;
                sumMargin += margin;
                if (margin < minMargin) {
                    minMargin = margin;
                    worst = q;
                }
            }
        }
        // Two different photographs of the same kind of thing (the stereo pair) vs unrelated photographs.
        double same = cos.apply(new String[] {"motorcycle_left.png", "motorcycle_right.png"});
        double otherSum = 0;
        int n = 0;
        for (int i = 0; i < BaseModelFixture.PHOTOS.size(); i++) {
            for (int j = i + 1; j < BaseModelFixture.PHOTOS.size(); j++) {
                String a = BaseModelFixture.PHOTOS.get(i);
                String c = BaseModelFixture.PHOTOS.get(j);
                if (!(a.startsWith("motorcycle") && c.startsWith("motorcycle"))) {
                    otherSum += cos.apply(new String[] {a, c});
                    n++;
                }
            }
        }
        return new ImageToImage(t, ratio, found, total, minMargin, sumMargin / total, worst, same, otherSum / n);
    }

    /**
     * Mixed: each query searches pictures and texts together (an index holding both). Scores: β·cos(query,
     * bridge) for pictures, MiniLM's cosine for texts.
     */
    record Mixed(double t, double ratio, Map<String, Integer> ranks, int aboveAllUnrelated, double rightMean,
            double rightMin, double wrongImageMean, double wrongImageMax, double unrelatedTextMean,
            double unrelatedTextMax, double relatedTextMean, double relatedTextMax) {
        double meanRank() {
            return ranks.values().stream().mapToInt(Integer::intValue).average().orElse(0);
        }
    }

    Mixed mixed(double t, double ratio) {
        Map<String, float[]> b = bridges(t);
        double beta = 1 / Math.sqrt(1 + ratio * ratio);
        Map<String, Integer> ranks = new LinkedHashMap<>();
        int aboveUnrelated = 0;
        List<Double> right = new ArrayList<>();
        List<Double> wrongImages = new ArrayList<>();
        List<Double> unrelated = new ArrayList<>();
        List<Double> related = new ArrayList<>();
        for (BaseModelFixture.Query q : BaseModelFixture.QUERIES) {
            float[] qv = f.textVectors.get(q.text());
            double bestRight = Double.NEGATIVE_INFINITY;
            List<Double> others = new ArrayList<>();
            for (String g : gallery) {
                double s = beta * dot(qv, b.get(g));
                if (q.targets().contains(g)) {
                    bestRight = Math.max(bestRight, s);
                } else {
                    others.add(s);
                    wrongImages.add(s);
                }
            }
            double maxUnrelated = Double.NEGATIVE_INFINITY;
            for (String text : BaseModelFixture.UNRELATED_TEXTS) {
                double s = dot(qv, f.textVectors.get(text));
                others.add(s);
                unrelated.add(s);
                maxUnrelated = Math.max(maxUnrelated, s);
            }
            for (String text : BaseModelFixture.RELATED_TEXTS) {
                double s = dot(qv, f.textVectors.get(text));
                others.add(s);
                related.add(s);
            }
            double r = bestRight;
            ranks.put(q.text(), 1 + (int) others.stream().filter(s -> s > r).count());
            right.add(bestRight);
            if (bestRight > maxUnrelated) {
                aboveUnrelated++;
            }
        }
        return new Mixed(t, ratio, ranks, aboveUnrelated, mean(right), min(right), mean(wrongImages),
                max(wrongImages), mean(unrelated), max(unrelated), mean(related), max(related));
    }

    /** The whole report, as written to target/test-work/report/tessera-base.txt. */
    String report() {
        StringBuilder r = new StringBuilder();
        line(r, "tessera-base 1: choosing the bridge temperature T and the image head's gamma/beta");
        line(r, "gallery: %d pictures (%d scikit-image photos, %d distractors); %d text queries; %d edits per photo"
                + " (%s); mixed index adds %d related and %d unrelated texts", gallery.size(),
                BaseModelFixture.PHOTOS.size(), gallery.size() - BaseModelFixture.PHOTOS.size(),
                BaseModelFixture.QUERIES.size(), BaseModelFixture.EDITS.size(), String.join(", ", BaseModelFixture.EDITS),
                BaseModelFixture.RELATED_TEXTS.size(), BaseModelFixture.UNRELATED_TEXTS.size());
        line(r, "");
        line(r, "(1) text->image (rank of the right photo in the gallery; independent of gamma/beta)");
        line(r, "   T   top-1  top-3  MRR    mean cos right  mean cos best wrong");
        for (double t : TEMPERATURES) {
            TextToImage x = textToImage(t);
            line(r, "%5.2f  %2d/%d  %2d/%d  %.3f  %.3f           %.3f", t, x.top(1), x.ranks().size(), x.top(3),
                    x.ranks().size(), x.mrr(), mean(new ArrayList<>(x.right().values())),
                    mean(new ArrayList<>(x.bestWrongCos().values())));
        }
        TextToImage chosen = textToImage(TesseraBase.TEMPERATURE);
        line(r, "per query at T = %.2f:", (double) TesseraBase.TEMPERATURE);
        for (BaseModelFixture.Query q : BaseModelFixture.QUERIES) {
            line(r, "   %-26s rank %2d  cos %.3f  (best wrong %s %.3f)", '"' + q.text() + '"',
                    chosen.ranks().get(q.text()), chosen.right().get(q.text()), chosen.bestWrong().get(q.text()),
                    chosen.bestWrongCos().get(q.text()));
        }
        line(r, "");
        line(r, "(2) image->image (each edited copy searches the gallery; found = its original first; margin ="
                + " cos(original) - cos(best other))");
        line(r, "   T   g/b   found   min margin  mean margin  worst                         cos stereo pair"
                + "  mean cos unrelated photos");
        for (double t : TEMPERATURES) {
            for (double ratio : RATIOS) {
                ImageToImage x = imageToImage(t, ratio);
                line(r, "%5.2f %4.2f  %2d/%d   %+.3f      %.3f        %-29s %.3f            %.3f", t, ratio,
                        x.found(), x.total(), x.minMargin(), x.meanMargin(), x.worst(), x.sameKindCos(), x.otherCos());
            }
        }
        ImageToImage bridgeOnly = imageToImage(TesseraBase.TEMPERATURE, 0);
        ImageToImage featuresOnly = imageToImage(TesseraBase.TEMPERATURE, 1e6);
        line(r, "limits at T = %.2f: bridge alone %d/%d found (worst margin %+.3f, mean cos unrelated photos %.3f);"
                + " features alone %d/%d found (worst margin %+.3f, mean cos unrelated photos %.3f)",
                (double) TesseraBase.TEMPERATURE, bridgeOnly.found(), bridgeOnly.total(), bridgeOnly.minMargin(),
                bridgeOnly.otherCos(), featuresOnly.found(), featuresOnly.total(), featuresOnly.minMargin(),
                featuresOnly.otherCos());
        line(r, "");
        line(r, "(3) mixed index (pictures + texts): rank of the right picture among %d pictures and %d texts;"
                + " text scores are MiniLM's own cosines", gallery.size(),
                BaseModelFixture.RELATED_TEXTS.size() + BaseModelFixture.UNRELATED_TEXTS.size());
        line(r, "   T   g/b   beta   mean rank  right>all unrelated texts  cos right pic (mean/min)  wrong pics"
                + " (mean/max)");
        for (double t : TEMPERATURES) {
            for (double ratio : RATIOS) {
                Mixed m = mixed(t, ratio);
                line(r, "%5.2f %4.2f  %.3f  %5.2f      %2d/%d                      %.3f / %.3f             %.3f / %.3f",
                        t, ratio, 1 / Math.sqrt(1 + ratio * ratio), m.meanRank(), m.aboveAllUnrelated(),
                        m.ranks().size(), m.rightMean(), m.rightMin(), m.wrongImageMean(), m.wrongImageMax());
            }
        }
        Mixed m = mixed(TesseraBase.TEMPERATURE, TesseraBase.FEATURE_TO_BRIDGE);
        line(r, "cosine distributions at T = %.2f, gamma/beta = %.2f: query<->right picture mean %.3f min %.3f;"
                + " query<->wrong pictures mean %.3f max %.3f; query<->unrelated texts mean %.3f max %.3f;"
                + " query<->related captions mean %.3f max %.3f", (double) TesseraBase.TEMPERATURE,
                TesseraBase.FEATURE_TO_BRIDGE, m.rightMean(), m.rightMin(), m.wrongImageMean(), m.wrongImageMax(),
                m.unrelatedTextMean(), m.unrelatedTextMax(), m.relatedTextMean(), m.relatedTextMax());
        line(r, "mixed ranks per query: %s", m.ranks());
        return r.toString();
    }

    private static void line(StringBuilder r, String format, Object... args) {
        r.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
