package io.tessera.demo.dataset;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A lossless stand-in for the media library's video writer in unit tests: a small header, then every frame as raw
 * RGB, so tests can read back exactly the frames the generator drew (and quickly: no codec, no compression).
 */
final class RawFramesEncoder implements VideoEncoder {

    @Override
    public FrameSink open(Path file, VideoFormat format, int width, int height, int fps) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        out.writeUTF(format.name());
        out.writeInt(width);
        out.writeInt(height);
        out.writeInt(fps);
        return new FrameSink() {
            @Override
            public void write(BufferedImage frame) throws IOException {
                if (frame.getWidth() != width || frame.getHeight() != height) {
                    throw new IOException("frame is " + frame.getWidth() + "x" + frame.getHeight() + ", video is "
                            + width + "x" + height);
                }
                int[] rgb = frame.getRGB(0, 0, width, height, null, 0, width);
                byte[] bytes = new byte[rgb.length * 3];
                for (int i = 0; i < rgb.length; i++) {
                    bytes[3 * i] = (byte) (rgb[i] >> 16);
                    bytes[3 * i + 1] = (byte) (rgb[i] >> 8);
                    bytes[3 * i + 2] = (byte) rgb[i];
                }
                out.write(bytes);
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    record Video(String format, int width, int height, int fps, List<BufferedImage> frames) {
    }

    static Video read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            String format = in.readUTF();
            int width = in.readInt();
            int height = in.readInt();
            int fps = in.readInt();
            List<BufferedImage> frames = new ArrayList<>();
            byte[] bytes = new byte[width * height * 3];
            while (true) {
                try {
                    in.readFully(bytes);
                } catch (EOFException end) {
                    break;
                }
                BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                for (int i = 0; i < width * height; i++) {
                    frame.setRGB(i % width, i / width,
                            (bytes[3 * i] & 0xFF) << 16 | (bytes[3 * i + 1] & 0xFF) << 8 | bytes[3 * i + 2] & 0xFF);
                }
                frames.add(frame);
            }
            return new Video(format, width, height, fps, frames);
        }
    }
}
