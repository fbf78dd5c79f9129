package io.tessera.demo.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The retrieval task of a training pair or an evaluation query: what the query is, what it should find. */
public enum Task {
    /** Text to image. */
    T2I("t2i"),
    /** Text to a video moment; the positive is a frame of the moment. */
    T2V("t2v"),
    /** Text to a document page; the positive is the rendered page. */
    T2D("t2d"),
    /** Text to text passage. */
    T2T("t2t");

    private final String id;

    Task(String id) {
        this.id = id;
    }

    /** The task tag used in pairs, queries and the model's per-task settings ("t2i", …). */
    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static Task fromId(String id) {
        for (Task task : values()) {
            if (task.id.equals(id)) {
                return task;
            }
        }
        throw new IllegalArgumentException("unknown task '" + id + "' (expected t2i, t2v, t2d or t2t)");
    }
}
