package io.tessera.demo.dataset;

/** The containers and codecs the dataset's videos come in. */
public enum VideoFormat {
    MP4_H264("video/mp4", "mp4"), WEBM_VP8("video/webm", "webm");

    public final String contentType;
    public final String extension;

    VideoFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }
}
