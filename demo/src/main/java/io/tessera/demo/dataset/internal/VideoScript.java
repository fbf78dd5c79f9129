package io.tessera.demo.dataset.internal;

import io.tessera.demo.dataset.DatasetSpec;
import io.tessera.demo.dataset.internal.Vocabulary.Background;
import io.tessera.demo.dataset.internal.Vocabulary.Colour;
import io.tessera.demo.dataset.internal.Vocabulary.Position;
import io.tessera.demo.dataset.internal.Vocabulary.Shape;
import io.tessera.demo.dataset.internal.Vocabulary.Size;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The script of a generated video: one shape on one background, in two or three moments. The first moment shows it
 * appearing; each later one either moves it to another cell (in the first {@value DatasetSpec#TRANSITION_MS} ms)
 * or changes its colour in place. Consecutive moments therefore differ in exactly one attribute, and every moment's
 * shape, colour and cell are visible in any frame after its transition.
 */
public record VideoScript(Shape shape, Size size, Background background, List<Beat> beats) {

    private static final long[] TWO_BEAT_MS = {2000, 2500, 3000, 3500, 4000};
    private static final long[] THREE_BEAT_MS = {2000, 2500};
    private static final int MAX_TRIES = 200;

    public enum Event {
        APPEAR("appear"), MOVE("move"), TURN("turn");

        public final String word;

        Event(String word) {
            this.word = word;
        }
    }

    /** One moment: from {@code startMs} (inclusive) to {@code endMs} (exclusive). */
    public record Beat(Event event, long startMs, long endMs, Colour colour, Position position, Position from) {

        /** The moment's description; it always names the colour, the shape and the cell. */
        public String text(Shape shape) {
            return switch (event) {
                case APPEAR -> "a " + colour.word + " " + shape.word + " appears " + position.phrase;
                case MOVE -> "the " + colour.word + " " + shape.word + " moves to the " + position.word;
                case TURN -> "the " + shape.word + " turns " + colour.word + " " + position.phrase;
            };
        }

        /** The (shape, colour, cell) a frame of this moment shows: unique across all videos of a dataset. */
        public List<Object> key(Shape shape) {
            return List.of(shape, colour, position);
        }
    }

    public long durationMs() {
        return beats.getLast().endMs();
    }

    /**
     * Plans a video whose moments are all of the given split (held-out shape-colour pairs for evaluation videos,
     * others for training ones) and whose (shape, colour, cell) triples are not in {@code usedMoments} yet.
     */
    public static VideoScript plan(Random random, boolean eval, HeldOut heldOut, Set<List<Object>> usedMoments) {
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            VideoScript script = tryPlan(random, eval, heldOut, usedMoments);
            if (script != null) {
                for (Beat beat : script.beats) {
                    usedMoments.add(beat.key(script.shape));
                }
                return script;
            }
        }
        throw new IllegalStateException("no unused video moment left after " + MAX_TRIES
                + " plans: the dataset size is too large for the attribute vocabulary");
    }

    private static VideoScript tryPlan(Random random, boolean eval, HeldOut heldOut, Set<List<Object>> usedMoments) {
        Shape shape = Seeds.pick(random, Shape.values());
        List<Colour> colours = heldOut.colours(shape, eval);
        Size size = Seeds.pick(random, Size.values());
        Background background = Seeds.pick(random, Background.values());
        int count = 2 + random.nextInt(2);
        long[] durations = count == 2 ? TWO_BEAT_MS : THREE_BEAT_MS;
        List<Beat> beats = new ArrayList<>();
        Colour colour = Seeds.pick(random, colours);
        Position position = Seeds.pick(random, Position.values());
        long start = 0;
        for (int i = 0; i < count; i++) {
            long end = start + durations[random.nextInt(durations.length)];
            Event event = i == 0 ? Event.APPEAR
                    : colours.size() > 1 && random.nextBoolean() ? Event.TURN : Event.MOVE;
            Position from = position;
            if (event == Event.TURN) {
                colour = other(random, colours, colour);
            } else if (event == Event.MOVE) {
                position = other(random, List.of(Position.values()), position);
            }
            Beat beat = new Beat(event, start, end, colour, position, from);
            List<Object> key = beat.key(shape);
            if (usedMoments.contains(key) || beats.stream().anyMatch(b -> b.key(shape).equals(key))) {
                return null;
            }
            beats.add(beat);
            start = end;
        }
        return new VideoScript(shape, size, background, beats);
    }

    private static <T> T other(Random random, List<T> values, T current) {
        List<T> others = new ArrayList<>(values);
        others.remove(current);
        return Seeds.pick(random, others);
    }

    public Beat beatAt(long timeMs) {
        for (Beat beat : beats) {
            if (timeMs < beat.endMs()) {
                return beat;
            }
        }
        return beats.getLast();
    }

    /** The frame at {@code timeMs}, drawn on a copy of {@code backdrop} (the video's background texture). */
    public BufferedImage frame(BufferedImage backdrop, long timeMs) {
        int width = backdrop.getWidth();
        int height = backdrop.getHeight();
        BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = SceneRenderer.graphics(frame);
        try {
            g.drawImage(backdrop, 0, 0, null);
            Beat beat = beatAt(timeMs);
            double cx = centre(beat.position().column, width);
            double cy = centre(beat.position().row, height);
            long since = timeMs - beat.startMs();
            if (beat.event() == Event.MOVE && since < DatasetSpec.TRANSITION_MS) {
                double p = (double) since / DatasetSpec.TRANSITION_MS;
                double eased = p * p * (3 - 2 * p);
                cx = centre(beat.from().column, width) + (cx - centre(beat.from().column, width)) * eased;
                cy = centre(beat.from().row, height) + (cy - centre(beat.from().row, height)) * eased;
            }
            SceneRenderer.drawShape(g, shape, beat.colour(), cx, cy, width / 3.0 * size.fraction);
        } finally {
            g.dispose();
        }
        return frame;
    }

    private static double centre(int cell, int extent) {
        return (cell + 0.5) * extent / 3.0;
    }

    /** "a small red circle on a striped background appears at the top left, moves to the center, then turns green". */
    public String caption() {
        List<String> phrases = new ArrayList<>();
        for (Beat beat : beats) {
            phrases.add(switch (beat.event()) {
                case APPEAR -> "appears " + beat.position().phrase;
                case MOVE -> "moves to the " + beat.position().word;
                case TURN -> "turns " + beat.colour().word;
            });
        }
        String story = phrases.size() == 1 ? phrases.getFirst()
                : String.join(", ", phrases.subList(0, phrases.size() - 1)) + ", then " + phrases.getLast();
        return "a " + size.word + " " + beats.getFirst().colour().word + " " + shape.word + " on a "
                + background.adjective + " background " + story;
    }

    /** What a frame of {@code beat} shows, as attributes; {@code event} says how the moment began. */
    public Map<String, String> attributes(Beat beat) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(Vocabulary.SHAPE, shape.word);
        map.put(Vocabulary.COLOR, beat.colour().word);
        map.put(Vocabulary.POSITION, beat.position().word);
        map.put(Vocabulary.SIZE, size.word);
        map.put(Vocabulary.BACKGROUND, background.word);
        map.put("event", beat.event().word);
        return map;
    }
}
