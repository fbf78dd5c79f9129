package io.tessera.demo.dataset;

import java.awt.image.BufferedImage;
import java.io.IOException;

/** Takes the frames of one video in order; closing it finishes the file. */
public interface FrameSink extends AutoCloseable {

    void write(BufferedImage frame) throws IOException;

    @Override
    void close() throws IOException;
}
